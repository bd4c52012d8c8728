/** A build with many more videos than HeyGen slots: it must not make node print warnings. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { emulator } from './emulator.js';
import { makeProject } from './project.js';

describe('a build of 50 videos (emulator)', () => {
  it('prints no node warning (MaxListenersExceededWarning came from 40 jobs queued on one abort signal)', async () => {
    const { emu, env } = await emulator({ renderMs: 200 });
    const extra: Record<string, string> = {};
    for (let i = 0; i < 47; i++) extra[`videos/many/m${i}.yaml`] = `avatar: presenter\nscenes:\n  - script: Video number ${i} says hello.\n`;
    const dir = makeProject(extra);
    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const jobs = emu.jobs();
    expect(jobs.length).toBeGreaterThanOrEqual(50);
    expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(jobs.length);
    expect(r.stderr).not.toContain('MaxListenersExceededWarning');
    expect(r.stderr).not.toContain('Warning:');
    // Room for the CLI's own 120 s (50 renders and compositions on a loaded machine), not the 60 s default.
  }, 180_000);
});
