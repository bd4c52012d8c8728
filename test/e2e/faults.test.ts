/** Each fault the emulator can inject, against the real CLI: the build ends right and pays once. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { runCli } from '../helpers/cli.js';
import { API_KEY, emulator, posts } from './emulator.js';
import { makeProject } from './project.js';

const lock = (dir: string) => parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Each content key became exactly one job. */
function oncePerKey(jobs: { idempotencyKey?: string; callbackId?: string }[]): void {
  const keys = jobs.map((j) => j.idempotencyKey ?? j.callbackId);
  expect(new Set(keys).size).toBe(keys.length);
}

describe('faults (emulator)', () => {
  it('a 429 storm: waits for Retry-After and finishes', async () => {
    const { emu, env } = await emulator();
    emu.faults.rateLimit = { count: 6, retryAfter: 1 };
    const dir = makeProject();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(emu.requests.filter((x) => x.status === 429)).toHaveLength(6);
    oncePerKey(emu.jobs().filter((j) => j.kind === 'video'));
  });

  it('5xx answers are retried and the build finishes', async () => {
    const { emu, env } = await emulator();
    emu.faults.serverError = { count: 4, status: 503 };
    const dir = makeProject();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    // One render per scene clip: intro 1, tour 2, hello 1.
    expect(emu.jobs().filter((j) => j.kind === 'video')).toHaveLength(4);
    oncePerKey(emu.jobs());
  });

  it('a lost answer (job created, connection reset) is retried with the same key: one job', async () => {
    const { emu, env } = await emulator();
    emu.faults.dropConnection = { count: 2, afterProcessing: true, paths: /^\/v3\/videos$/ };
    const dir = makeProject();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/)).toBeGreaterThan(4);
    // One job per scene clip, whatever the resent POSTs.
    expect(emu.jobs().filter((j) => j.kind === 'video')).toHaveLength(4);
    oncePerKey(emu.jobs());
  });

  it('a failed render is recorded with HeyGen\'s reason, the rest goes on, and a rebuild retries it with a new key', async () => {
    const { emu, env } = await emulator();
    // The next accepted render fails: one scene's clip.
    emu.faults.failRender = { count: 1, code: 40119, message: 'Video is too long (> 3600.0s)' };
    const dir = makeProject();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Video is too long');
    const l = lock(dir);
    const failedClips = Object.entries(l.clips ?? {}).filter(([, c]) => c.status === 'failed');
    expect(failedClips).toHaveLength(1);
    const [clipKey, clipBefore] = failedClips[0]!;
    expect(clipBefore).toMatchObject({ attempt: 1, error: { message: expect.stringContaining('Video is too long') } });
    const failed = Object.entries(l.videos).filter(([, v]) => v.status === 'failed');
    expect(failed).toHaveLength(1);
    const [id] = failed[0]!;
    expect(failed[0]![1].error?.message).toMatch(new RegExp(`^${id}#\\d: HeyGen failed the scene( \\(\\d+\\))?: Video is too long`));
    expect(Object.values(l.videos).filter((v) => v.status === 'completed')).toHaveLength(2);
    // Every other clip finished: the failure did not stop the rest.
    expect(Object.values(l.clips ?? {}).filter((c) => c.status === 'completed')).toHaveLength(3);

    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toMatch(new RegExp(`previous render failed: ${id}#\\d: HeyGen failed the scene( \\(\\d+\\))?: Video is too long.*attempt 2`));
    emu.reset();
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code).toBe(0);
    // Only the failed clip is rendered again, as attempt 2 under a new Idempotency-Key.
    expect(posts(emu, /^\/v3\/videos$/)).toBe(1);
    const retry = emu.requests.find((x) => x.method === 'POST' && x.path === '/v3/videos')!;
    const clipAfter = lock(dir).clips![clipKey]!;
    expect(clipAfter).toMatchObject({ status: 'completed', attempt: 2 });
    expect(clipAfter.idempotencyKey).not.toBe(clipBefore.idempotencyKey);
    expect(retry.headers['idempotency-key']).toBe(clipAfter.idempotencyKey);
    expect(lock(dir).videos[id]).toMatchObject({ status: 'completed', composed: true, attempt: 2 });
  });

  it('expired download URLs are refreshed from the status endpoint', async () => {
    const { emu, env } = await emulator();
    emu.faults.expireUrls = true;
    const dir = makeProject();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(emu.requests.some((x) => x.path.startsWith('/files/') && x.status === 403)).toBe(true);
    expect(lock(dir).videos.intro!.output!.sha256).toBe(sha(join(dir, 'out', 'intro.mp4')));
  });

  it('a truncated download is retried and never becomes the output', async () => {
    const { emu, env } = await emulator();
    emu.faults.truncate = { count: 3 };
    const dir = makeProject();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const l = lock(dir);
    for (const v of Object.values(l.videos)) {
      expect(v.output!.sha256).toBe(sha(join(dir, v.output!.path)));
      expect(v.output!.size).toBe(readFileSync(join(dir, v.output!.path)).length);
    }
  });

  it.each([
    [401, 'E_HEYGEN_AUTH'],
    [402, 'E_HEYGEN_CREDITS'],
    [403, 'E_HEYGEN_FORBIDDEN'],
  ] as const)('%i stops the build at once with %s and no retry storm', async (status, code) => {
    const { emu, env } = await emulator();
    emu.faults.httpStatus = { count: 100, status };
    const dir = makeProject();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain(code);
    expect(emu.requests.length).toBeLessThanOrEqual(4);
    expect(r.stdout + r.stderr).not.toContain(API_KEY);
    expect(emu.jobs()).toHaveLength(0);
  });

  it('a wrong API key is reported clearly and never printed', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();
    const r = await runCli(['build'], { cwd: dir, env: { ...env, HEYGEN_API_KEY: 'wrong-key-123456' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E_HEYGEN_AUTH');
    expect(r.stderr).toMatch(/hint:.*HEYGEN_API_KEY/);
    expect(r.stdout + r.stderr).not.toContain('wrong-key-123456');
    // The credits, the look and the voice, asked side by side (no cached catalog): nothing after the refusals.
    expect(emu.requests.length).toBeLessThanOrEqual(3);
  });

  it('a render that outlives its timeout is reported, stays submitted, and the next build resumes it', async () => {
    const { emu, env } = await emulator({ renderMs: 2500 });
    const dir = makeProject({
      'heygen.config.mjs': `export default { manifests: ['videos/**/*.yaml'], heygen: { poll: { minMs: 40, maxMs: 100, timeoutMs: 300 } },
        avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' } };`,
    });
    const r = await runCli(['build', 'videos/intro.yaml'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('E_POLL_TIMEOUT');
    // The clip stays submitted (resumable); the video is not recorded as failed.
    const clips = Object.values(lock(dir).clips ?? {});
    expect(clips).toHaveLength(1);
    expect(clips[0]).toMatchObject({ status: 'submitted', remoteId: expect.any(String) });
    expect(lock(dir).videos.intro?.status).not.toBe('failed');
    // The next build runs once the render has finished on HeyGen's side.
    const remoteId = clips[0]!.remoteId;
    await vi.waitFor(() => expect(emu.jobs().find((j) => j.id === remoteId)?.status).toBe('completed'), { timeout: 10_000, interval: 50 });
    emu.reset();
    const again = await runCli(['build', 'videos/intro.yaml'], { cwd: dir, env });
    expect(again.code).toBe(0);
    expect(posts(emu)).toBe(0);
    expect(emu.jobs().filter((j) => j.kind === 'video')).toHaveLength(1);
    expect(Object.values(lock(dir).clips ?? {})).toEqual([expect.objectContaining({ status: 'completed', remoteId })]);
    expect(lock(dir).videos.intro).toMatchObject({ status: 'completed', composed: true });
  });
});

describe('--fail-fast (emulator)', () => {
  it('stops submitting after the first failure; without it the rest finish', async () => {
    const extra: Record<string, string> = {};
    for (let i = 0; i < 4; i++) extra[`videos/more/m${i}.yaml`] = `avatar: presenter\nscenes:\n  - script: More video ${i}.\n`;

    const a = await emulator();
    a.emu.faults.failRender = { count: 1, code: 'avatar_not_found', message: 'Avatar not found' };
    const dir1 = makeProject(extra);
    const fast = await runCli(['build', '--fail-fast', '--concurrency', '1'], { cwd: dir1, env: a.env });
    expect(fast.code).toBe(1);
    expect(fast.stdout).toMatch(/skipped/);
    expect(a.emu.jobs().filter((j) => j.kind === 'video')).toHaveLength(1);
    expect(posts(a.emu, /^\/v3\/videos$/)).toBe(1);
    // Nothing is recorded as an intent that was never sent: the one failed clip, the one failed video.
    expect(Object.values(lock(dir1).clips ?? {}).map((c) => c.status)).toEqual(['failed']);
    expect(Object.values(lock(dir1).videos).map((v) => v.status)).toEqual(['failed']);

    const b = await emulator();
    b.emu.faults.failRender = { count: 1, code: 'avatar_not_found', message: 'Avatar not found' };
    const dir2 = makeProject(extra);
    const slow = await runCli(['build', '--concurrency', '1'], { cwd: dir2, env: b.env });
    expect(slow.code).toBe(1);
    // 7 videos, 8 scene clips (tour has 2): all sent.
    expect(b.emu.jobs().filter((j) => j.kind === 'video')).toHaveLength(8);
  });
});
