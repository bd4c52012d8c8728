/** `lock merge-driver` run by hand, or from a mistyped driver line: a missing side is a user error, not a crash. */
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

describe('lock merge-driver with a side that does not exist', () => {
  it('says which side and how git runs the driver; no stack trace, exit 1', async () => {
    const dir = tempProject({ 'ours.yaml': '' });
    const r = await runCli(['lock', 'merge-driver', 'missing-base.yaml', 'ours.yaml', 'theirs.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error [E_LOCK_MERGE_INPUT] merge driver: cannot read the common ancestor side's lockfile missing-base.yaml (ENOENT)");
    expect(r.stderr).toContain('lock merge-driver %O %A %B %P');
    expect(r.stderr).not.toContain('internal error');
  });
});
