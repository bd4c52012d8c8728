/**
 * Webhooks end to end: the real CLI (`webhooks register`, `webhooks listen`, `build --detach`, `status`)
 * against the emulator over HTTP, which delivers signed events when renders end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import type { Emulator } from '../../src/emulator/index.js';
import type { JsonErrorDocument } from '../../src/reporters/error-json.js';
import { BIN, cleanEnv, runCli, tempProject } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { API_KEY, emulator, posts } from './emulator.js';
import { CONFIG, MANIFESTS } from './project.js';
import { signature } from '../../src/webhooks/verify.js';

function project(extra: Record<string, string> = {}): string {
  return tempProject({ 'heygen.config.mjs': CONFIG, 'videos/intro.yaml': MANIFESTS['videos/intro.yaml']!, ...extra });
}

/** What a timeout reports besides its name: the receivers' output and the deliveries made. */
let context: () => string = () => '';

/** Polls `cond` until it holds; fails the test with `what` (and `context`) after 30 s. */
async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Listener {
  child: ChildProcess;
  out: () => string;
  exited: Promise<void>;
}

const listeners: ChildProcess[] = [];
afterEach(() => {
  context = () => '';
  for (const c of listeners.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function listen(dir: string, env: Record<string, string>, port: number): Promise<Listener> {
  const child = spawn(process.execPath, [BIN, 'webhooks', 'listen', '--port', String(port)], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  listeners.push(child);
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  context = () => `receiver output:\n${text}`;
  await until('the receiver to listen', () => text.includes('listening on'));
  return { child, out: () => text, exited };
}

/** Registers `url` through the CLI; returns the secret it printed. */
async function register(dir: string, env: Record<string, string>, url: string): Promise<string> {
  const r = await runCli(['webhooks', 'register', '--url', url, '--json'], { cwd: dir, env });
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { format_version: number; secret: string };
  expect(doc.format_version).toBe(1);
  return doc.secret;
}

function clipJob(emu: Emulator): { id: string; downloads: number } {
  const jobs = emu.jobs().filter((j) => j.kind === 'video');
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
}

function lockOf(dir: string): ReturnType<typeof parseLockfile> {
  return parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
}

/** Clip and output files under their final names (temp files are not outputs). */
function finals(dir: string): string[] {
  const list = (d: string): string[] => (existsSync(join(dir, d)) ? readdirSync(join(dir, d)).filter((f) => !f.startsWith('.')).map((f) => `${d}/${f}`) : []);
  return [...list('out'), ...list('.heygen/clips')].filter((f) => /\.(mp4|webm|srt)$/.test(f));
}

/** A detached build with the webhook URL set, and a receiver at that URL with the registered secret. */
async function detachedWithReceiver(renderMs: number): Promise<{ emu: Emulator; env: Record<string, string>; dir: string; rx: Listener; url: string; secret: string }> {
  const { emu, env } = await emulator({ renderMs });
  const dir = project();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/hooks/heygen`;
  const secret = await register(dir, env, url);
  const rx = await listen(dir, { ...env, HEYGEN_WEBHOOK_SECRET: secret }, port);
  const b = await runCli(['build', '--detach'], { cwd: dir, env: { ...env, HEYGEN_WEBHOOK_URL: url } });
  expect(b.code, b.stdout + b.stderr).toBe(0);
  expect(existsSync(join(dir, 'out', 'intro.mp4'))).toBe(false);
  return { emu, env, dir, rx, url, secret };
}

describe('webhooks (emulator)', () => {
  it('register prints the secret once and writes it nowhere; list never shows it; delete removes the endpoint', async () => {
    const { emu, env } = await emulator();
    const dir = project();
    const r = await runCli(['webhooks', 'register', '--url', 'https://hooks.example.com/h'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const secret = /whsec_[0-9a-f]+/.exec(r.stdout)?.[0];
    expect(secret).toBeDefined();
    expect(r.stdout).toMatch(/HEYGEN_WEBHOOK_SECRET/);
    const list = await runCli(['webhooks', 'list', '--json'], { cwd: dir, env });
    const endpoints = JSON.parse(list.stdout) as { endpointId: string; url: string; events: string[] }[];
    expect(endpoints).toMatchObject([{ url: 'https://hooks.example.com/h', events: ['avatar_video.success', 'avatar_video.fail', 'video_translate.success', 'video_translate.fail'] }]);
    expect(list.stdout).not.toContain(secret);
    // Nowhere in the project (config, lockfile, caches) and never sent back by HeyGen.
    const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)]));
    for (const f of files(dir)) expect(readFileSync(f, 'utf8').includes(secret!), f).toBe(false);
    expect((await runCli(['webhooks', 'delete', endpoints[0]!.endpointId], { cwd: dir, env })).code).toBe(0);
    expect((await runCli(['webhooks', 'list'], { cwd: dir, env })).stdout).toMatch(/No webhook endpoints registered/);
    expect(emu.webhooks.endpoints.size).toBe(0);
    // Deleting it again: HeyGen's 404 names the id and points at `webhooks list`, not at a bug report.
    const again = await runCli(['webhooks', 'delete', endpoints[0]!.endpointId], { cwd: dir, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`error [E_HEYGEN_REJECTED] HeyGen has no webhook endpoint ${endpoints[0]!.endpointId}\n  hint: use an endpoint id that \`heygen-build webhooks list\` prints`);
  });

  it('register, list and delete --timeout: a HeyGen slower than it is given up on after two tries; a longer one waits for the answer; a duration status refuses is refused', async () => {
    const { emu, env } = await emulator();
    const dir = project();
    const endpoints = /^\/v3\/webhooks\/endpoints/;
    const asked = (): number => emu.requests.filter((r) => endpoints.test(r.path)).length;
    // Each answer comes 1.5 s late: more than 300 ms, far less than 1 minute.
    emu.faults.slow = { count: 100, ms: 1500, paths: endpoints };
    // Each asks twice (register with its Idempotency-Key), then says when to ask again.
    let n = asked();
    const list1 = await runCli(['webhooks', 'list', '--timeout', '300ms'], { cwd: dir, env });
    expect(list1.code).toBe(1);
    expect(list1.stderr).toContain('error [E_HEYGEN_UNAVAILABLE] GET /v3/webhooks/endpoints?limit=100: network error: no data for 300 ms (ETIMEDOUT) (gave up after 2 attempts)');
    expect(list1.stderr).toContain('hint: HeyGen did not answer in time: on a slow link, `--timeout 1m` waits longer for each answer; else run `heygen-build webhooks list` again later');
    expect(asked() - n).toBe(2);
    n = asked();
    const reg1 = await runCli(['webhooks', 'register', '--url', 'https://hooks.example.com/t', '--timeout', '300ms'], { cwd: dir, env });
    expect(reg1.code).toBe(1);
    expect(reg1.stderr).toContain('error [E_HEYGEN_UNAVAILABLE] POST /v3/webhooks/endpoints: network error: no data for 300 ms (ETIMEDOUT) (gave up after 2 attempts)');
    expect(reg1.stderr).toContain(
      'hint: HeyGen did not answer in time: on a slow link, `--timeout 1m` waits longer for each answer; else run `heygen-build webhooks register` again later with the same --url and --events: within 24 h HeyGen gives back any endpoint this run registered, with its secret, not a second one',
    );
    expect(asked() - n).toBe(2);
    n = asked();
    const del1 = await runCli(['webhooks', 'delete', 'ep_none', '--timeout', '300ms'], { cwd: dir, env });
    expect(del1.code).toBe(1);
    expect(del1.stderr).toContain('error [E_HEYGEN_UNAVAILABLE] DELETE /v3/webhooks/endpoints/ep_none: network error: no data for 300 ms (ETIMEDOUT) (gave up after 2 attempts)');
    expect(del1.stderr).toContain('hint: HeyGen did not answer in time: on a slow link, `--timeout 1m` waits longer for each answer; else run `heygen-build webhooks delete ep_none` again later');
    expect(asked() - n).toBe(2);
    const registered = await runCli(['webhooks', 'register', '--url', 'https://hooks.example.com/u', '--timeout', '1m', '--json'], { cwd: dir, env });
    expect(registered.code, registered.stderr).toBe(0);
    const list = await runCli(['webhooks', 'list', '--json', '--timeout', '1m'], { cwd: dir, env });
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { endpointId: string; url: string }[];
    expect(listed.map((e) => e.url)).toEqual(['https://hooks.example.com/u']);
    for (const e of listed) {
      const deleted = await runCli(['webhooks', 'delete', e.endpointId, '--timeout', '1m'], { cwd: dir, env });
      expect(deleted.code, deleted.stderr).toBe(0);
    }
    expect(emu.webhooks.endpoints.size).toBe(0);
    delete emu.faults.slow;
    const commands = [['register', '--url', 'https://hooks.example.com/t'], ['list'], ['delete', 'ep_none']];

    // A duration status would refuse is refused here too, before HeyGen is asked.
    n = emu.requests.length;
    for (const [args, bad] of commands.map((c, i) => [c, ['0', '30', '2d'][i]!] as const)) {
      const r = await runCli(['webhooks', ...args, '--timeout', bad], { cwd: dir, env });
      expect(r.code, `${args[0]} --timeout ${bad}`).toBe(1);
      expect(r.stderr).toMatch(/option '--timeout <duration>' argument '.*' is invalid\. must be a number with a unit: ms, s, m or h/);
    }
    expect(emu.requests.length).toBe(n);
  });

  it('delete is retried like a read (deleting twice is deleting once): through a 502, and through an answer lost after deleting', async () => {
    const { emu, env } = await emulator();
    const dir = project();
    const register = async (url: string): Promise<string> => {
      const r = await runCli(['webhooks', 'register', '--url', url, '--json'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { endpointId: string }).endpointId;
    };
    const deletes = (id: string): number => emu.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(id)).length;
    const first = await register('https://hooks.example.com/a');
    const second = await register('https://hooks.example.com/b');

    emu.faults.serverError = { count: 1, status: 502, paths: /^\/v3\/webhooks\/endpoints\// };
    const through502 = await runCli(['webhooks', 'delete', first], { cwd: dir, env });
    expect(through502.code, through502.stderr).toBe(0);
    expect(through502.stdout).toBe(`Deleted webhook endpoint ${first}.\n`);
    expect(deletes(first)).toBe(2);

    // HeyGen deletes it and the answer is lost: the retry's 404 is the deletion, not "no such endpoint".
    emu.faults.dropConnection = { count: 1, afterProcessing: true, method: 'DELETE', paths: /^\/v3\/webhooks\/endpoints\// };
    const lost = await runCli(['webhooks', 'delete', second], { cwd: dir, env });
    expect(lost.code, lost.stderr).toBe(0);
    expect(lost.stdout).toBe(`Deleted webhook endpoint ${second} (by an attempt HeyGen left unanswered: the retry found it gone).\n`);
    expect(deletes(second)).toBe(2);
    expect(emu.webhooks.endpoints.size).toBe(0);
  });

  it('register is retried with one Idempotency-Key: through a 502, and through an answer lost after registering, one endpoint, its secret printed once', async () => {
    const { emu, env } = await emulator();
    const dir = project();
    const create = /^\/v3\/webhooks\/endpoints$/;
    const keysOf = (from: number): string[] => emu.requests.slice(from).filter((r) => r.method === 'POST' && create.test(r.path)).map((r) => r.headers['idempotency-key'] ?? '');
    const registered = (url: string): { endpoint_id: string; secret: string }[] => [...emu.webhooks.endpoints.values()].filter((e) => e.url === url);
    const cases = [
      { url: 'https://hooks.example.com/after-502', fault: (): void => void (emu.faults.serverError = { count: 1, status: 502, paths: create }) },
      { url: 'https://hooks.example.com/lost', fault: (): void => void (emu.faults.dropConnection = { count: 1, afterProcessing: true, method: 'POST', paths: create }) },
    ];
    for (const { url, fault } of cases) {
      fault();
      const from = emu.requests.length;
      const r = await runCli(['webhooks', 'register', '--url', url], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      const [endpoint, ...more] = registered(url);
      expect(more, url).toEqual([]);
      expect(r.stdout).toContain(`Registered ${url} as ${endpoint!.endpoint_id} `);
      // The secret of the one endpoint, printed once; this run's, not an earlier run's.
      expect(r.stdout.match(/whsec_[0-9a-f]+/g)).toEqual([endpoint!.secret]);
      expect(r.stdout).not.toContain('earlier');
      const keys = keysOf(from);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^hb-webhook-[0-9a-f]{40}$/);
      expect(keys[1]).toBe(keys[0]);
    }
    expect(emu.webhooks.endpoints.size).toBe(2);
    // The key is no secret's: neither the API key nor the signing secret is in it.
    for (const r of emu.requests) expect(r.headers['idempotency-key'] ?? '').not.toContain(API_KEY);
  });

  it('register run again with the same URL and events within 24 h gets the same endpoint and secret back; one deleted since is registered anew', async () => {
    const { emu, env } = await emulator();
    const dir = project();
    const url = 'https://hooks.example.com/again';
    const register = async (...extra: string[]): Promise<{ endpointId: string; secret: string; replayed: boolean }> => {
      const r = await runCli(['webhooks', 'register', '--url', url, '--json', ...extra], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { endpointId: string; secret: string; replayed: boolean };
    };
    const first = await register();
    expect(first.replayed).toBe(false);
    // The default events, given in another order: the same set, the same endpoint.
    const again = await register('--events', 'video_translate.fail,avatar_video.success', 'video_translate.success,avatar_video.fail');
    expect(again).toMatchObject({ endpointId: first.endpointId, secret: first.secret, replayed: true });
    const human = await runCli(['webhooks', 'register', '--url', url], { cwd: dir, env });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`Registered ${url} as ${first.endpointId} `);
    expect(human.stdout).toMatch(/HeyGen gave back the endpoint an earlier `webhooks register` of this URL and these events made at \S+ \(it replays that answer for 24 h\): no second endpoint, the same secret/);
    expect(human.stdout.match(/whsec_[0-9a-f]+/g)).toEqual([first.secret]);
    expect([...emu.webhooks.endpoints.keys()]).toEqual([first.endpointId]);

    // Other events are another registration.
    const other = await register('--events', 'avatar_video.success');
    expect(other.endpointId).not.toBe(first.endpointId);
    expect(emu.webhooks.endpoints.size).toBe(2);

    // HeyGen replays the deleted endpoint's answer: it is seen gone, and a new one registered, itself given back next time.
    expect((await runCli(['webhooks', 'delete', first.endpointId], { cwd: dir, env })).code).toBe(0);
    const anew = await register();
    expect(anew.endpointId).not.toBe(first.endpointId);
    expect(anew.secret).not.toBe(first.secret);
    expect(anew.replayed).toBe(false);
    expect(emu.webhooks.endpoints.get(anew.endpointId)?.secret).toBe(anew.secret);
    expect(await register()).toMatchObject({ endpointId: anew.endpointId, secret: anew.secret, replayed: true });
    expect([...emu.webhooks.endpoints.keys()].sort()).toEqual([other.endpointId, anew.endpointId].sort());
  });

  it('list with HeyGen out of reach or failing: a hint that fits a command that resumes nothing', async () => {
    const { emu, env } = await emulator();
    const dir = project();
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const refused = await runCli(['webhooks', 'list'], { cwd: dir, env: { ...env, HEYGEN_API_BASE_URL: nobody } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error [E_HEYGEN_UNAVAILABLE] GET /v3/webhooks/endpoints?limit=100: network error: connect ECONNREFUSED`);
    expect(refused.stderr).toMatch(new RegExp(`hint: nothing answered at ${nobody.replace(/\./g, '\\.')}: check the network .*HEYGEN_API_BASE_URL.*; then run \`heygen-build webhooks list\` again\n`));
    emu.faults.serverError = { count: 100, status: 502, paths: /^\/v3\/webhooks\/endpoints/ };
    const failing = await runCli(['webhooks', 'list'], { cwd: dir, env });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('hint: HeyGen is failing on its side for now (an outage): run `heygen-build webhooks list` again later\n');
    for (const r of [refused, failing]) expect(r.stderr).not.toMatch(/resumes|rerun/);
    delete emu.faults.serverError;
  });

  it('register refuses a URL HeyGen would not post to (plain http to a public host) before sending anything', async () => {
    const { emu, env } = await emulator();
    const dir = project();
    const r = await runCli(['webhooks', 'register', '--url', 'http://hooks.example.com/h?token=abc123'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [E_WEBHOOK_URL] webhooks register --url "http://hooks.example.com/h?…" is plain http');
    expect(r.stderr).toMatch(/hint: .*https.*cloudflared/);
    expect(r.stderr + r.stdout).not.toContain('abc123');
    const j = await runCli(['webhooks', 'register', '--url', 'http://hooks.example.com/h', '--json'], { cwd: dir, env });
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.stdout) as JsonErrorDocument;
    expect(doc).toMatchObject({ format_version: 1, error: { code: 'E_WEBHOOK_URL', message: expect.stringContaining('--url "http://hooks.example.com/h"'), hint: expect.any(String) }, summary: { errors: 1 } });
    expect(j.stderr).toContain('[E_WEBHOOK_URL]');
    // Nothing reached HeyGen, and nothing was registered.
    expect(emu.requests).toEqual([]);
    expect(emu.webhooks.endpoints.size).toBe(0);
  });

  it('callback_url and callback_id go on every paid request; adding or removing the webhook plans 0 changes', async () => {
    const { emu, env } = await emulator();
    const dir = project({ 'videos/hello.yaml': 'avatar: presenter\nscenes:\n  - script: Hola.\ntranslations: [es]\n' });
    const hook = { ...env, HEYGEN_WEBHOOK_URL: 'https://hooks.example.com/heygen' };
    const b = await runCli(['build'], { cwd: dir, env: hook });
    expect(b.code, b.stdout + b.stderr).toBe(0);
    const paid = emu.requests.filter((r) => r.method === 'POST' && /^\/v3\/(videos|video-translations)$/.test(r.path));
    expect(paid.length).toBe(3);
    const lock = lockOf(dir);
    const journaled = new Set([
      ...Object.values(lock.clips ?? {}).map((c) => c.idempotencyKey),
      ...Object.values(lock.videos).flatMap((v) => Object.values(v.translations).map((t) => t.idempotencyKey)),
    ]);
    for (const r of paid) {
      const body = r.body as { callback_url?: string; callback_id?: string };
      expect(body.callback_url).toBe('https://hooks.example.com/heygen');
      expect(journaled.has(body.callback_id)).toBe(true);
    }
    for (const e of [env, hook]) {
      const p = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env: e });
      expect(p.code, p.stdout).toBe(0);
    }
  });

  it('status: 150 jobs in flight in at most 2 status requests, no per-video GET, nothing spent', async () => {
    const { emu, env } = await emulator({ renderMs: 120_000, concurrency: 200 });
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) files[`videos/batch/v${i}.yaml`] = `avatar: presenter\nscenes:\n  - script: Batch video number ${i} says hello.\n`;
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, ...files });
    const b = await runCli(['build', '--detach', '--concurrency', '200', '--json'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout.split('\n').filter((l) => l.includes('"type":"detached"'))).toHaveLength(150);
    emu.reset();
    const credits = emu.credits();
    const s = await runCli(['status', '--json'], { cwd: dir, env });
    expect(s.code, s.stderr).toBe(0);
    const doc = JSON.parse(s.stdout) as { requests: number; summary: { inFlight: number; rendering: number }; jobs: { id: string; kind: string; remote: string }[] };
    expect(doc.summary).toMatchObject({ inFlight: 150, rendering: 150 });
    expect(doc.jobs.find((j) => j.id.endsWith('v7#1'))).toMatchObject({ kind: 'clip', remote: expect.stringMatching(/queued|running/) });
    const statusGets = emu.requests.filter((r) => r.path === '/v3/videos/statuses');
    expect(statusGets.length).toBeLessThanOrEqual(2);
    expect(doc.requests).toBe(statusGets.length);
    expect(emu.requests.filter((r) => /^\/v3\/videos\/[^/]+$/.test(r.path) && r.path !== '/v3/videos/statuses')).toHaveLength(0);
    expect(posts(emu)).toBe(0);
    expect(emu.credits()).toBe(credits);
    const human = await runCli(['status'], { cwd: dir, env });
    expect(human.stdout).toMatch(/150 jobs in flight \(asked HeyGen in \d request/);
  }, 180_000);

  it('the receiver collects after a signed event: one download, the output composed, the lockfile complete', async () => {
    const { emu, dir, rx, url, secret } = await detachedWithReceiver(800);
    await until('the output', () => existsSync(join(dir, 'out', 'intro.mp4')));
    await until('the receiver to finish', () => /saved intro -> out\/intro\.mp4/.test(rx.out()));
    expect(clipJob(emu).downloads).toBe(1);
    expect(lockOf(dir).videos.intro).toMatchObject({ status: 'completed', output: { path: 'out/intro.mp4' } });
    expect(emu.webhooks.deliveries.map((d) => d.status)).toEqual([200]);

    // A signed event naming no journal entry: answered, logged, ignored.
    const body = JSON.stringify({ event_type: 'avatar_video.success', event_data: { video_id: 'v-elsewhere', callback_id: 'hb-not-ours-1' } });
    const res = await fetch(url, { method: 'POST', body, headers: { 'x-heygen-signature': signature(secret, body) } });
    expect(res.status).toBe(200);
    await until('the unknown callback_id to be logged', () => /unknown callback_id hb-not-ours-1 .*ignored/.test(rx.out()));
    expect(clipJob(emu).downloads).toBe(1);
  });

  it('a forged signature gets 401 and changes nothing; a duplicate delivery downloads once', async () => {
    const { emu, env } = await emulator({ renderMs: 800 });
    emu.faults.webhookForge = { count: 1 };
    const dir = project();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const secret = await register(dir, env, url);
    const rx = await listen(dir, { ...env, HEYGEN_WEBHOOK_SECRET: secret }, port);
    expect((await runCli(['build', '--detach'], { cwd: dir, env: { ...env, HEYGEN_WEBHOOK_URL: url } })).code).toBe(0);
    await until('the forged delivery', () => emu.webhooks.deliveries.some((d) => d.status !== 0));
    expect(emu.webhooks.deliveries).toMatchObject([{ forged: true, status: 401 }]);
    expect(rx.out()).toMatch(/wrong x-heygen-signature \(401\)/);
    expect(finals(dir)).toEqual([]);
    expect(Object.values(lockOf(dir).clips ?? {})[0]).toMatchObject({ status: 'submitted' });
    expect(clipJob(emu).downloads).toBe(0);

    // Another project (another script: another render), its event delivered twice.
    emu.faults.webhookDuplicate = { count: 1 };
    const dup = project({ 'videos/intro.yaml': 'avatar: presenter\nscenes:\n  - script: A second project says hello.\n' });
    const secret2 = await register(dup, env, `http://127.0.0.1:${port}/dup`);
    rx.child.kill('SIGKILL');
    const rx2 = await listen(dup, { ...env, HEYGEN_WEBHOOK_SECRET: secret2 }, port);
    emu.reset();
    const before = emu.jobs().length;
    expect((await runCli(['build', '--detach'], { cwd: dup, env: { ...env, HEYGEN_WEBHOOK_URL: `http://127.0.0.1:${port}/dup` } })).code).toBe(0);
    await until('two deliveries', () => emu.webhooks.deliveries.filter((d) => d.url.endsWith('/dup') && d.status === 200).length === 2);
    await until('the output', () => existsSync(join(dup, 'out', 'intro.mp4')));
    await until('the duplicate to be seen', () => /duplicate avatar_video\.success/.test(rx2.out()));
    const job = emu.jobs().slice(before).find((j) => j.kind === 'video')!;
    expect(job.downloads).toBe(1);
  });

  it('a receiver killed mid-download leaves no partial file, and the next build finishes with no POST', async () => {
    const { emu, env } = await emulator({ renderMs: 800 });
    // The clip's file answers slowly: the receiver is killed while it waits for the bytes.
    emu.faults.slow = { count: 1, ms: 20_000, paths: /^\/files\// };
    const dir = project();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const secret = await register(dir, env, url);
    const rx = await listen(dir, { ...env, HEYGEN_WEBHOOK_SECRET: secret }, port);
    expect((await runCli(['build', '--detach'], { cwd: dir, env: { ...env, HEYGEN_WEBHOOK_URL: url } })).code).toBe(0);
    await until('the receiver to start downloading', () => emu.requests.some((r) => r.path.startsWith('/files/')));
    rx.child.kill('SIGKILL');
    await rx.exited;
    expect(finals(dir)).toEqual([]);
    expect(existsSync(join(dir, '.heygen', 'build.lock'))).toBe(true);
    emu.reset();
    const b = await runCli(['build'], { cwd: dir, env });
    expect(b.code, b.stdout + b.stderr).toBe(0);
    expect(posts(emu)).toBe(0);
    expect(existsSync(join(dir, 'out', 'intro.mp4'))).toBe(true);
    expect(lockOf(dir).videos.intro).toMatchObject({ status: 'completed' });
  });

  it('a receiver and a concurrent build never download twice; a translation event is collected too', async () => {
    const { emu, env } = await emulator({ renderMs: 600, translateMs: 600 });
    const dir = project();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const secret = await register(dir, env, url);
    const rx = await listen(dir, { ...env, HEYGEN_WEBHOOK_SECRET: secret }, port);
    const hook = { ...env, HEYGEN_WEBHOOK_URL: url };
    // A build that waits for its render: the event reaches the receiver while the build holds the lock.
    const b = await runCli(['build'], { cwd: dir, env: hook });
    expect(b.code, b.stdout + b.stderr).toBe(0);
    await until('the receiver to handle the event', () => /avatar_video\.success for intro#1: collecting/.test(rx.out()));
    await until('the delivery', () => emu.webhooks.deliveries.some((d) => d.status === 200));
    expect(clipJob(emu).downloads).toBe(1);

    const manifest = join(dir, 'videos', 'intro.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8') + 'translations: [es]\n');
    expect((await runCli(['build', '--detach'], { cwd: dir, env: hook })).code).toBe(0);
    await until('the translation to be collected', () => lockOf(dir).videos.intro?.translations.es?.status === 'completed');
    // Handled in turn (the intro#1 event may have collected it first, waiting for the builds' lock).
    await until('the translation event', () => /video_translate\.success for intro@es: collecting/.test(rx.out()));
    await until('the receiver to be done with it', () => /done intro@es: /.test(rx.out()));
    expect(emu.jobs().find((j) => j.kind === 'translation')!.downloads).toBe(1);
  });
});
