/**
 * `build --detach`: submit, leave, and let a later build collect. Real CLI, emulator over HTTP.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { status } from '../../src/api/status.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { emulator, posts } from './emulator.js';
import { CONFIG, MANIFESTS } from './project.js';

/** intro (one scene) and tour (two scenes, captions): three clips, no uploads, no translations. */
function project(): string {
  return tempProject({ 'heygen.config.mjs': CONFIG, 'videos/intro.yaml': MANIFESTS['videos/intro.yaml']!, 'videos/tour.yaml': MANIFESTS['videos/tour.yaml']! });
}

interface Event {
  type: string;
  id?: string;
  kind?: string;
  remoteId?: string;
  expectedBy?: string;
  counts?: Record<string, number>;
  ok?: boolean;
}

function events(stdout: string): Event[] {
  return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
}

describe('build --detach (emulator)', () => {
  it('returns before any render finishes; the next build sends no POST and brings every output', async () => {
    // Renders take 8 s: the detached build must be gone well before the first one ends (a detached
    // build took over 4 s to start, submit and exit with 3 test workers on a machine at load 15).
    const { emu, env } = await emulator({ renderMs: 8000 });
    const dir = project();
    const first = await runCli(['build', '--detach', '--json'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    const evs = events(first.stdout);
    const detached = evs.filter((e) => e.type === 'detached');
    // One event per remote job: three scene clips.
    expect(detached.map((e) => e.id).sort((a, b) => a!.localeCompare(b!))).toEqual(['intro#1', 'tour#1', 'tour#2']);
    for (const e of detached) {
      expect(e.kind).toBe('clip');
      expect(Date.parse(e.expectedBy!)).toBeGreaterThan(Date.now());
    }
    const done = evs.find((e) => e.type === 'done')!;
    expect(done.ok).toBe(true);
    expect(done.counts).toMatchObject({ detached: 2, rendered: 0, failed: 0 });
    // Nothing finished at HeyGen when it returned, and nothing is on disk.
    const jobs = emu.jobs();
    expect(jobs).toHaveLength(3);
    expect(jobs.every((j) => j.status !== 'completed')).toBe(true);
    expect(existsSync(join(dir, 'out', 'intro.mp4'))).toBe(false);

    emu.reset();
    const second = await runCli(['build'], { cwd: dir, env });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(posts(emu)).toBe(0);
    expect(existsSync(join(dir, 'out', 'intro.mp4'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'tour.mp4'))).toBe(true);
    expect(emu.jobs()).toHaveLength(3);
  });

  it('says in words what renders and when, and sends no more than the concurrency cap', async () => {
    const { emu, env } = await emulator({ renderMs: 4000 });
    const dir = project();
    const r = await runCli(['build', '--detach', '--concurrency', '2'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    // Two slots: two clips go, the third waits for a later build (HeyGen would answer 429).
    expect(posts(emu, /^\/v3\/videos$/)).toBe(2);
    expect(r.stdout).toMatch(/at HeyGen .*expected by \d\d:\d\d UTC/);
    expect(r.stdout).toMatch(/not sent/);
    expect(r.stdout).toMatch(/left rendering at HeyGen/);
  });

  it("status while HeyGen fails (5xx): each job's last known state from the lockfile, a warning that it may be stale, exit 3", async () => {
    const { emu, env } = await emulator({ renderMs: 8000 });
    const dir = project();
    expect((await runCli(['build', '--detach'], { cwd: dir, env })).code).toBe(0);
    emu.faults.serverError = { count: 100, status: 502, paths: /^\/v3\/videos\/statuses$/ };
    const s = await runCli(['status', '--json'], { cwd: dir, env });
    expect(s.code, s.stderr).toBe(3);
    const doc = JSON.parse(s.stdout) as { summary: Record<string, number>; warnings: unknown[]; jobs: { id: string }[] };
    expect(doc.summary).toMatchObject({ inFlight: 3, unknown: 3, rendering: 0, finished: 0 });
    expect(doc.jobs.map((j) => j.id).sort((a, b) => a.localeCompare(b))).toEqual(['intro#1', 'tour#1', 'tour#2']);
    for (const j of doc.jobs) expect(j).toMatchObject({ kind: 'clip', local: 'submitted', remote: 'unknown', remoteId: expect.any(String) });
    expect(doc.warnings).toEqual([
      {
        code: 'W_STATUS_STALE',
        message: expect.stringMatching(/^HeyGen answered with 5xx errors \(GET \/v3\/videos\/statuses: .*502.*\): the states shown are the lockfile's, and may be stale$/),
        hint: expect.stringContaining('run `heygen-build status` again later'),
      },
    ]);
    const human = await runCli(['status'], { cwd: dir, env });
    expect(human.code).toBe(3);
    expect(human.stderr).toMatch(/^warning: HeyGen answered with 5xx errors \(.*\): the states shown are the lockfile's, and may be stale\n {2}hint: HeyGen is failing on its side for now \(an outage\): run `heygen-build status` again later; a `build` polls these jobs itself/m);
    expect(human.stdout).toContain('3 jobs in flight (HeyGen could not be reached: 3 states from the lockfile, maybe stale; nothing spent):');
    expect(human.stdout).toMatch(/intro#1 +clip +\S+ +submitted \(last known: HeyGen could not be asked\)/);
    // HeyGen answers again: its word, exit 0.
    delete emu.faults.serverError;
    const again = await runCli(['status', '--json'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ summary: { unknown: 0, rendering: 3 }, warnings: [] });
  });

  it('status against an address where nothing listens says so, names the address and what to check (not 5xx)', async () => {
    const { env } = await emulator({ renderMs: 8000 });
    const dir = project();
    expect((await runCli(['build', '--detach'], { cwd: dir, env })).code).toBe(0);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const s = await runCli(['status', '--json'], { cwd: dir, env: { ...env, HEYGEN_API_BASE_URL: nobody } });
    expect(s.code, s.stderr).toBe(3);
    const [warning] = (JSON.parse(s.stdout) as { warnings: { code: string; message: string; hint: string }[] }).warnings;
    expect(warning!.code).toBe('W_STATUS_STALE');
    expect(warning!.message.startsWith(`HeyGen could not be reached at ${nobody}: connection refused (GET /v3/videos/statuses: network error: connect ECONNREFUSED`)).toBe(true);
    expect(warning!.hint).toMatch(new RegExp(`^nothing answered at ${nobody.replace(/\./g, '\\.')}: check the network .*HEYGEN_API_BASE_URL.*; then run \`heygen-build status\` again$`));
    expect(warning!.message + warning!.hint).not.toMatch(/5xx|resumes/);
  });

  it('status against a HeyGen that accepts and never answers gives up after its timeout, with the stale warning', async () => {
    const { emu, env } = await emulator({ renderMs: 8000 });
    const dir = project();
    expect((await runCli(['build', '--detach'], { cwd: dir, env })).code).toBe(0);
    const statuses = /^\/v3\/videos\/statuses$/;
    emu.faults.slow = { count: 100, ms: 60_000, paths: statuses };
    const report = await status({ cwd: dir, env, requestTimeoutMs: 300 });
    // Two attempts, each given up on after 300 ms of silence, not the build client's six of a minute each:
    // when status returns, HeyGen has answered neither (each answer is still a minute away).
    expect(report.requests).toBe(2);
    const asked = emu.requests.filter((r) => statuses.test(r.path));
    expect(asked.map((r) => r.status)).toEqual([0, 0]);
    expect(report.unreachable).toMatchObject({
      code: 'W_STATUS_STALE',
      message: expect.stringMatching(/^HeyGen could not be reached at http:\/\/127\.0\.0\.1:\d+: no answer in time \(GET \/v3\/videos\/statuses: .*no data for 300 ms.*\)/),
      hint: expect.stringMatching(/^HeyGen did not answer in time: on a slow link, `--timeout 1m` waits longer/),
    });
    expect(report.jobs.map((j) => j.remote)).toEqual(['unknown', 'unknown', 'unknown']);
    delete emu.faults.slow;
  });

  it('status --timeout: a HeyGen slower than it is given up on (the stale warning, exit 3); a longer one waits for the answer', async () => {
    const { emu, env } = await emulator({ renderMs: 8000 });
    const dir = project();
    expect((await runCli(['build', '--detach'], { cwd: dir, env })).code).toBe(0);
    emu.faults.slow = { count: 100, ms: 1500, paths: /^\/v3\/videos\/statuses$/ };
    const short = await runCli(['status', '--timeout', '300ms', '--json'], { cwd: dir, env });
    expect(short.code, short.stderr).toBe(3);
    const doc = JSON.parse(short.stdout) as { requests: number; warnings: { code: string; message: string }[] };
    // Two attempts, each given up on after 300 ms of silence.
    expect(doc.requests).toBe(2);
    expect(doc.warnings).toEqual([expect.objectContaining({ code: 'W_STATUS_STALE', message: expect.stringContaining('no data for 300 ms') })]);
    const long = await runCli(['status', '--timeout', '1m'], { cwd: dir, env });
    expect(long.code, long.stderr).toBe(0);
    expect(long.stdout).toContain('3 jobs in flight (asked HeyGen in 1 request; nothing spent):');
    delete emu.faults.slow;

    // A duration it cannot take, and the remote store's view (whose requests are not HeyGen's), are refused.
    for (const bad of [['--timeout', '0'], ['--timeout', '30'], ['--timeout', '2d'], ['--remote', '--timeout', '5s']]) {
      const r = await runCli(['status', ...bad], { cwd: dir, env });
      expect(r.code, bad.join(' ')).toBe(1);
      expect(r.stderr).toMatch(bad[0] === '--remote' ? /'--timeout <duration>' cannot be used with option '--remote'/ : /must be a number with a unit/);
    }
  });

  it('a translation of a built video is left at HeyGen too; status asks the bulk translation list; the next build collects it', async () => {
    const { emu, env } = await emulator({ renderMs: 200, translateMs: 4000 });
    const dir = project();
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const manifest = join(dir, 'videos', 'intro.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8') + 'translations: [es]\n');
    const r = await runCli(['build', '--detach', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(events(r.stdout).filter((e) => e.type === 'detached')).toMatchObject([{ id: 'intro@es', kind: 'translation' }]);
    emu.reset();
    const s = await runCli(['status', '--json'], { cwd: dir, env });
    expect(JSON.parse(s.stdout)).toMatchObject({ requests: 1, jobs: [{ id: 'intro@es', kind: 'translation', local: 'submitted' }] });
    expect(emu.requests.map((q) => q.path)).toEqual(['/v3/video-translations/statuses']);
    emu.reset();
    const b = await runCli(['build'], { cwd: dir, env });
    expect(b.code, b.stdout + b.stderr).toBe(0);
    expect(posts(emu)).toBe(0);
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(lock.videos.intro!.translations.es).toMatchObject({ status: 'completed', output: { path: expect.any(String) } });
  });
});
