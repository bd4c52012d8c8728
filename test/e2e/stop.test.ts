/**
 * Stopped from outside. A reader that closes our stdout (`heygen-build build --json | head -1`): a
 * quiet stop with exit 141 (128 + SIGPIPE), never a stack trace; a build in flight stops as on the
 * first Ctrl-C. SIGTERM (a cancelled CI job): the same stop, exit 143 (128 + 15).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { BIN, REPO, cleanEnv, runCli, type CliResult } from '../helpers/cli.js';
import type { Emulator } from '../../src/emulator/index.js';
import type { Lockfile } from '../../src/model/lock.js';
import { emulator } from './emulator.js';
import { makeProject } from './project.js';

/** Every remote id the lockfile records: videos, their translations, and scene clips. */
function recordedIds(lock: Lockfile): Set<string> {
  const ids: (string | undefined)[] = [];
  for (const v of Object.values(lock.videos)) ids.push(v.remoteId, ...Object.values(v.translations).map((t) => t.remoteId));
  for (const c of Object.values(lock.clips ?? {})) ids.push(c.remoteId);
  return new Set(ids.filter((id): id is string => id !== undefined));
}

/** What a stop must leave: every job HeyGen has is in the lockfile, none twice; then a rerun pays for the rest only. */
async function expectResumable(emu: Emulator, dir: string, env: Record<string, string>): Promise<void> {
  const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
  const atStop = emu.jobs();
  const recorded = recordedIds(lock);
  expect(atStop.filter((j) => !recorded.has(j.id))).toEqual([]);
  const rerun = await runCli(['build'], { cwd: dir, env });
  expect(rerun.code, rerun.stderr).toBe(0);
  const jobs = emu.jobs();
  // It had stopped early, and nothing was created twice.
  expect(atStop.length).toBeLessThan(jobs.length);
  expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(jobs.length);
  const again = await runCli(['build'], { cwd: dir, env });
  expect(again.code).toBe(0);
  expect(emu.jobs()).toHaveLength(jobs.length);
}

/** Runs the CLI and closes its stdout as `head` would: at once, or once `closeWhen` sees enough. */
function runClosingStdout(args: string[], opts: { cwd: string; env?: Record<string, string>; closeWhen?: (out: string) => boolean }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const close = (): void => {
      child.stdout.removeAllListeners('data');
      child.stdout.destroy();
    };
    if (opts.closeWhen) {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (opts.closeWhen!(stdout)) close();
      });
    } else {
      close();
    }
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const noCrash = (r: CliResult): void => {
  expect(r.stderr).not.toContain('EPIPE');
  expect(r.stderr).not.toMatch(/Unhandled|internal error|\n\s+at /);
};

describe('a closed stdout (| head)', () => {
  it('validate and plan stop quietly with exit 141', async () => {
    for (const args of [['validate'], ['validate', '--format', 'json'], ['plan', '--all'], ['plan', '--json']]) {
      const r = await runClosingStdout(args, { cwd: REPO });
      expect(r.code, args.join(' ')).toBe(141);
      noCrash(r);
    }
  });

  it('a build mid-render stops submitting, records what is in flight and exits 141; a rerun pays nothing twice', async () => {
    const { emu, env } = await emulator({ renderMs: 1500 });
    const extra: Record<string, string> = {};
    for (let i = 0; i < 6; i++) extra[`videos/more/m${i}.yaml`] = `avatar: presenter\nscenes:\n  - script: More video ${i}.\n`;
    const dir = makeProject(extra);
    // Like `build --json | head -3`: the reader leaves once the first render is under way.
    const r = await runClosingStdout(['build', '--json', '--concurrency', '2'], { cwd: dir, env, closeWhen: (out) => out.includes('"type":"submitted"') });
    expect(r.code).toBe(141);
    noCrash(r);
    expect(r.stderr).toContain('Output closed: no new submissions');
    await expectResumable(emu, dir, env);
  });
});

describe('SIGTERM', () => {
  const lockOf = (dir: string) => parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
  const start = (dir: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, [BIN, 'build', '--concurrency', '2'], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exit = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    return { child, exit, stderr: () => err };
  };
  /** Polls the lockfile until some video or clip is in `status` (the build is past planning, mid-flight). */
  const until = async (dir: string, status: string): Promise<void> => {
    const deadline = Date.now() + 20_000;
    const statuses = (l: Lockfile): string[] => [...Object.values(l.videos), ...Object.values(l.clips ?? {})].map((v) => v.status);
    while (Date.now() < deadline) {
      if (existsSync(join(dir, 'heygen.lock.yaml')) && statuses(lockOf(dir)).includes(status)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no video became ${status}`);
  };

  it('stops a build mid-render as Ctrl-C does, with exit 143; a rerun pays nothing twice', async () => {
    const { emu, env } = await emulator({ renderMs: 1500 });
    const extra: Record<string, string> = {};
    for (let i = 0; i < 6; i++) extra[`videos/more/m${i}.yaml`] = `avatar: presenter\nscenes:\n  - script: More video ${i}.\n`;
    const dir = makeProject(extra);
    const run = start(dir, env);
    await until(dir, 'submitted');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(143);
    expect(run.stderr()).toContain('SIGTERM received: no new submissions');
    await expectResumable(emu, dir, env);
  });

  it('a second SIGTERM exits at once with 143, the lockfile still whole', async () => {
    const { emu, env } = await emulator({ renderMs: 300 });
    emu.faults.slow = { count: 1, ms: 4000, paths: /^\/v3\/(videos|voices\/speech)$/ };
    const dir = makeProject();
    const run = start(dir, env);
    await until(dir, 'pending');
    const t = Date.now();
    run.child.kill('SIGTERM');
    // Signals sent back to back may merge into one: send the second once the first was seen.
    while (!run.stderr().includes('SIGTERM received')) await new Promise((r) => setTimeout(r, 10));
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(143);
    expect(Date.now() - t).toBeLessThan(3000); // did not wait for the slow POST
    expect(run.stderr()).toContain('Interrupted again');
    expect(() => lockOf(dir)).not.toThrow();
  });
});
