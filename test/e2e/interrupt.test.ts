/** Ctrl-C, translation languages, and assets shared across videos and builds (emulator). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { emulator, posts } from './emulator.js';
import { makeProject } from './project.js';

/** Resolves once the child has written text matching `pattern` to `stream` (from now on). */
function outputMatches(child: ChildProcess, pattern: string | RegExp, stream: 'stdout' | 'stderr' = 'stderr'): Promise<void> {
  const source = child[stream];
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer): void => {
      seen += d.toString();
      if (typeof pattern === 'string' ? !seen.includes(pattern) : !pattern.test(seen)) return;
      source?.off('data', onData);
      child.off('exit', onExit);
      resolve();
    };
    // Fail at once (not at the test timeout) when the build ends without ever saying it.
    const onExit = (): void => reject(new Error(`the build exited without printing ${String(pattern)}:\n${seen}`));
    if (child.exitCode !== null || child.signalCode !== null) return onExit();
    source?.on('data', onData);
    child.once('exit', onExit);
  });
}
const stderrIncludes = (child: ChildProcess, text: string): Promise<void> => outputMatches(child, text, 'stderr');

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const lock = (dir: string) => parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');

describe('interrupts, languages and assets (emulator)', () => {
  it('the first Ctrl-C stops submitting, records what is in flight and exits 130; a rerun finishes without paying twice', async () => {
    const { emu, env } = await emulator({ renderMs: 1500 });
    const extra: Record<string, string> = {};
    for (let i = 0; i < 6; i++) extra[`videos/more/m${i}.yaml`] = `avatar: presenter\nscenes:\n  - script: More video ${i}.\n`;
    const dir = makeProject(extra);
    // 9 videos, 10 scene clips (tour has 2).
    const totalClips = 10;
    const child = spawn(process.execPath, [BIN, 'build', '--concurrency', '2'], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    // Ctrl-C once HeyGen has accepted a first clip.
    await outputMatches(child, /submitted [\w-]+#\d+ as /, 'stdout');
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(out).toContain('Interrupt received');
    const l = lock(dir);
    const recorded = Object.values(l.clips ?? {});
    // Only what was in flight is recorded, and it is recorded with its remote id: no bare intent.
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.length).toBeLessThan(totalClips);
    expect(recorded.every((c) => c.remoteId && (c.status === 'submitted' || c.status === 'completed'))).toBe(true);
    const jobsAtStop = emu.jobs().filter((j) => j.kind === 'video');
    expect(jobsAtStop.map((j) => String(j.idempotencyKey)).sort()).toEqual(recorded.map((c) => String(c.idempotencyKey)).sort());
    // A video entry only for a video composed before the interrupt.
    expect(Object.values(l.videos).every((v) => v.status === 'completed' && v.composed)).toBe(true);

    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const jobs = emu.jobs().filter((j) => j.kind === 'video');
    expect(jobs).toHaveLength(totalClips);
    expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(totalClips);
    // Across both builds each clip's Idempotency-Key was POSTed once: nothing was sent (or paid) twice.
    const keys = emu.requests.filter((x) => x.method === 'POST' && x.path === '/v3/videos').map((x) => String(x.headers['idempotency-key']));
    expect(keys.sort()).toEqual(Object.values(lock(dir).clips ?? {}).map((c) => String(c.idempotencyKey)).sort());
    expect(new Set(keys).size).toBe(totalClips);
  });

  it('a second Ctrl-C exits at once, and the lockfile is still whole', async () => {
    const { emu, env } = await emulator({ renderMs: 300 });
    // A POST that answers slowly: the first Ctrl-C waits for it (its id must be recorded), the second does not.
    emu.faults.slow = { count: 1, ms: 4000, paths: /^\/v3\/videos$/ };
    const dir = makeProject();
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      // The slow POST has reached HeyGen and its intent is journaled (a clip pending, no remote id yet).
      const inFlight = emu.requests.some((x) => x.fault === 'slow');
      if (inFlight && existsSync(join(dir, 'heygen.lock.yaml')) && Object.values(lock(dir).clips ?? {}).some((c) => c.status === 'pending' && !c.remoteId)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const t = Date.now();
    const firstSeen = stderrIncludes(child, 'Interrupt received');
    child.kill('SIGINT');
    await firstSeen; // the second Ctrl-C must reach a build that is already stopping
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(Date.now() - t).toBeLessThan(3000); // did not wait for the slow POST
    expect(out).toContain('Interrupted again');
    expect(() => lock(dir)).not.toThrow();
    // The rerun resends the recorded intent with its key: one job per scene clip. It goes once the emulator
    // has finished handling the slow POST (its client is gone), so the key is not found still in flight.
    await vi.waitFor(() => expect(emu.requests.find((x) => x.fault === 'slow')?.status).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const jobs = emu.jobs().filter((j) => j.kind === 'video');
    expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(jobs.length);
    expect(jobs).toHaveLength(4);
  });

  it('checks translation languages before submitting, with a suggestion for a typo', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();
    const hello = join(dir, 'videos', 'hello.yaml');
    writeFileSync(hello, readFileSync(hello, 'utf8').replace('translations: [es]', 'translations: [es, Frnch (France)]'));
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E_LANGUAGE');
    expect(r.stderr).toContain('French (France)');
    expect(posts(emu)).toBe(0);
    // The language list is cached under .heygen/: a second try does not fetch it again.
    emu.reset();
    await runCli(['build'], { cwd: dir, env });
    expect(emu.requests.filter((x) => x.path.includes('languages'))).toHaveLength(0);
    // plan checks too: with the key, and from the cached list without one.
    const withKey = await runCli(['plan'], { cwd: dir, env });
    expect(withKey.code).toBe(1);
    // Caught while loading, offline, at the place in the manifest.
    expect(withKey.stderr).toMatch(/videos\/hello\.yaml:\d+:\d+.*E_LANGUAGE.*Frnch \(France\).*French \(France\)/);
    const offline = await runCli(['plan', '--provider', 'heygen'], { cwd: dir });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain('E_LANGUAGE');
  });

  it('uploads a local asset once per content hash, across videos and builds', async () => {
    const { emu, env } = await emulator();
    const shared = `avatar: presenter\nbackground: { image: assets/bg.png }\nscenes:\n  - script: Same picture again.\n`;
    const dir = makeProject({ 'videos/also.yaml': shared });
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    // Two uploads: the picture hello and also share (once), and hello's composed output, which its
    // translation reads by asset id.
    const uploaded = emu.assets().map((a) => a.sha256).sort();
    expect(uploaded).toEqual([sha(join(dir, 'videos', 'assets', 'bg.png')), sha(join(dir, 'out', 'hello.mp4'))].sort());
    expect(posts(emu, /^\/v3\/assets$/)).toBe(2);
    emu.reset();
    writeFileSync(join(dir, 'videos', 'third.yaml'), shared.replace('again', 'once more'));
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    // A new video with the same picture: no upload, one new clip.
    expect(posts(emu, /^\/v3\/assets$/)).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(1);
  });
});
