/**
 * A 300-row build killed with SIGKILL part way, then run again: every row ends rendered and each
 * row's clip was paid for exactly once (one emulator job per row, one Idempotency-Key each).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import type { Lockfile } from '../../src/model/lock.js';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { emulator } from './emulator.js';
import { makeProject } from './project.js';

const ROWS = 300;

function readLock(dir: string): Lockfile | undefined {
  const file = join(dir, 'heygen.lock.yaml');
  return existsSync(file) ? parseLockfile(readFileSync(file, 'utf8'), 'heygen.lock.yaml') : undefined;
}

describe('rows: crash safety (SIGKILL, emulator)', () => {
  it(`killed in the middle of a ${ROWS}-row build: the rerun pays for every row exactly once`, async () => {
    const { emu, env } = await emulator({ renderMs: 300 });
    const csv = ['id,name', ...Array.from({ length: ROWS }, (_, i) => `c${i},Person ${i}`)].join('\n') + '\n';
    const manifest = 'rows: people.csv\nid: hi/{{ id }}\navatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello {{ name }}, this video is yours alone.\n';
    const dir = makeProject({ 'videos/hi.yaml': manifest, 'videos/people.csv': csv });
    const child = spawn(process.execPath, [BIN, 'build', '--concurrency', '8'], { cwd: dir, env: cleanEnv(env), stdio: 'ignore' });
    const exited = new Promise<void>((res) => child.on('exit', () => res()));
    const deadline = Date.now() + 120_000;
    let atKill: Lockfile | undefined;
    for (;;) {
      const l = readLock(dir);
      const done = l ? Object.keys(l.videos).filter((id) => id.startsWith('hi/') && l.videos[id]!.status === 'completed').length : 0;
      // Some rows finished, some clips in flight, most not started.
      if (l && done >= 20 && Object.values(l.clips ?? {}).some((c) => c.status !== 'completed')) {
        child.kill('SIGKILL');
        await exited;
        atKill = readLock(dir);
        break;
      }
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error('the kill condition never held');
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const doneAtKill = Object.values(atKill!.videos).filter((e) => e.status === 'completed').length;
    expect(doneAtKill).toBeLessThan(ROWS);

    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    const after = readLock(dir)!;
    const rows = Object.entries(after.videos).filter(([id]) => id.startsWith('hi/'));
    expect(rows).toHaveLength(ROWS);
    expect(rows.every(([, e]) => e.status === 'completed' && e.output)).toBe(true);
    // Each row has its own script: its own clip, rendered once. The base project adds 4 clips.
    const clipJobs = emu.jobs().filter((j) => j.kind === 'video');
    expect(clipJobs).toHaveLength(ROWS + 4);
    expect(new Set(clipJobs.map((j) => j.idempotencyKey)).size).toBe(ROWS + 4);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toContain(`hi/* (${ROWS} rows): ${ROWS} unchanged`);
  }, 400_000);
});
