/**
 * A lockfile cut short before one video's entry (a full disk during a checkout, a failed copy):
 * `plan` and `build` refuse it instead of treating the lost video as new and paying for it again,
 * and nothing touches the file. (Issue #15, "hold up under hostile conditions".)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { emulator, posts } from './emulator.js';
import { makeProject } from './project.js';

describe('a cut-short lockfile (emulator)', () => {
  it('plan and build exit 1 with E_LOCKFILE_TRUNCATED, send nothing, and leave the file byte-identical', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();
    const file = join(dir, 'heygen.lock.yaml');
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const whole = readFileSync(file, 'utf8');
    // Videos are sorted by id: hello, intro, tour. Keep what comes before tour's entry.
    const cut = whole.slice(0, whole.indexOf('\n  tour:') + 1);
    expect(cut.length).toBeGreaterThan(0);
    writeFileSync(file, cut);
    const postsBefore = posts(emu);
    const requestsBefore = emu.requests.length;

    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('E_LOCKFILE_TRUNCATED');
    expect(plan.stderr).toContain(`heygen.lock.yaml:${cut.split('\n').length - 1}:`);
    expect(plan.stderr).toContain('git checkout -- heygen.lock.yaml');
    expect(plan.stdout).not.toMatch(/\+ create/);

    const json = await runCli(['plan', '--json'], { cwd: dir, env });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ format_version: 1, error: { code: 'E_LOCKFILE_TRUNCATED' } });

    const build = await runCli(['build'], { cwd: dir, env });
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('E_LOCKFILE_TRUNCATED');
    expect(posts(emu)).toBe(postsBefore);
    expect(emu.requests.length).toBe(requestsBefore);
    expect(readFileSync(file, 'utf8')).toBe(cut);

    // Restored from a good copy, the project has nothing to do again.
    writeFileSync(file, whole);
    const again = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(again.code).toBe(0);
  });
});
