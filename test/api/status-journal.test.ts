/**
 * `status()` over a lockfile whose build ran while it was conflicted: the jobs that build recorded only
 * in its journal beside the lockfile (heygen.lock.unmerged.yaml) are in flight too, and are listed.
 */
import { describe, expect, it } from 'vitest';
import { status } from '../../src/api/status.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { projectFactory } from '../helpers/cli.js';

const CONFIG = `export default { manifests: ['videos/**/*.yaml'], voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' } };\n`;
const project = projectFactory(CONFIG);
const CLIP = 'c'.repeat(64);

describe('status() and the unmerged journal', () => {
  it('lists a job recorded only in the journal (its intent journaled, not yet sent: no request needed)', async () => {
    const journal = serializeLockfile({ version: 3, videos: {}, assets: {}, clips: { [CLIP]: { kind: 'avatar', status: 'pending', attempt: 1, idempotencyKey: `${CLIP}-1` } } });
    const dir = project({
      'videos/intro.yaml': 'avatar: Daisy-inskirt-20220818\nvoice: narrator\nscenes:\n  - script: Hello.\n',
      'heygen.lock.yaml': serializeLockfile({ version: 3, videos: {}, assets: {} }),
      'heygen.lock.unmerged.yaml': journal,
    });
    const r = await status({ cwd: dir, env: {} });
    expect(r.requests).toBe(0);
    expect(r.jobs).toHaveLength(1);
    expect(r.jobs[0]).toMatchObject({ kind: 'clip' });
  });
});
