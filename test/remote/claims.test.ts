/**
 * Stuck claims on a folder store (which honours conditional writes): a holder that died before HeyGen
 * answered leaves a claim that goes stale, is listed as such, and is taken over only when asked
 * (`build --take-over-stale`, or `claims release`), always with the holder's own Idempotency-Key.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/model/config.js';
import { emptyLockfile } from '../../src/model/lock.js';
import { beat, claim, CLAIM_TTL_MS, type Claim } from '../../src/remote/claims.js';
import { readClaims, releaseClaims } from '../../src/remote/claims-list.js';
import { FileStore } from '../../src/remote/file.js';
import { pushPending } from '../../src/remote/push.js';
import { RemoteSession } from '../../src/remote/session.js';

const KEY = 'a1b2c3d4'.repeat(8);
const WAIT = { everyMs: 5, forMs: 200 };

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'hb-claims-'));
}

/** Writes a claim as another machine (host `ci-runner-7`, which this test is not) would have left it. */
function holderClaim(dir: string, key: string, ageMs: number, extra: Partial<Claim> = {}): Claim {
  const at = new Date(Date.now() - ageMs).toISOString();
  const c: Claim = { version: 1, key, idempotencyKey: `idem-of-the-holder-${key.slice(0, 4)}`, attempt: 1, job: 'ci-runner-7:4242 (GitHub run 9 job build)', host: 'ci-runner-7', pid: 4242, ci: 'GitHub run 9 job build', at, heartbeat: at, ...extra };
  mkdirSync(join(dir, 'claims'), { recursive: true });
  writeFileSync(join(dir, 'claims', key), JSON.stringify(c));
  return c;
}

function stored(dir: string, key: string): Claim {
  return JSON.parse(readFileSync(join(dir, 'claims', key), 'utf8')) as Claim;
}

async function session(store: string, takeOverStale = false): Promise<RemoteSession> {
  const config = { root: tmp(), remote: { url: `file://${store}` } } as ResolvedConfig;
  return (await RemoteSession.open(config, () => undefined, { takeOverStale }))!;
}

const STALE = CLAIM_TTL_MS + 60_000;

describe('a build meeting another machine\'s claim with no HeyGen id', () => {
  it('stale: not sent without --take-over-stale, and no wait for an id that will never come', async () => {
    const dir = tmp();
    holderClaim(dir, KEY, STALE);
    const s = await session(dir);
    const started = Date.now();
    const r = await s.claim(KEY, { idempotencyKey: 'ours', attempt: 1 }, false, { everyMs: 5, forMs: 60_000 });
    expect(r).toMatchObject({ kind: 'held', why: 'stale' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(stored(dir, KEY).job).toContain('ci-runner-7');
    await s.finish();
  });

  it('stale with --take-over-stale: taken over with the holder\'s own Idempotency-Key, and the claim names this process', async () => {
    const dir = tmp();
    holderClaim(dir, KEY, STALE);
    const s = await session(dir, true);
    const r = await s.claim(KEY, { idempotencyKey: 'ours', attempt: 1 }, false, WAIT);
    expect(r).toMatchObject({ kind: 'takeover', claim: { idempotencyKey: 'idem-of-the-holder-a1b2' } });
    const now = stored(dir, KEY);
    expect(now).toMatchObject({ idempotencyKey: 'idem-of-the-holder-a1b2', attempt: 1, host: hostname(), pid: process.pid });
    await s.finish();
  });

  it('stale beyond HeyGen\'s 24-hour key window: not taken over even with --take-over-stale', async () => {
    const dir = tmp();
    holderClaim(dir, KEY, 30 * 3600_000);
    const s = await session(dir, true);
    expect(await s.claim(KEY, { idempotencyKey: 'ours', attempt: 1 }, false, WAIT)).toMatchObject({ kind: 'held', why: 'window' });
    await s.finish();
  });

  it('live (a fresh heartbeat): waited for, then left to its holder; a translation\'s language is left to it too', async () => {
    const dir = tmp();
    holderClaim(dir, KEY, 1_000);
    const s = await session(dir, true);
    expect(await s.claim(KEY, { idempotencyKey: 'ours', attempt: 1 }, false, WAIT)).toMatchObject({ kind: 'held', why: 'live' });
    holderClaim(dir, KEY, STALE);
    expect(await s.claim(KEY, { idempotencyKey: 'ours', attempt: 1 }, false, WAIT, false)).toMatchObject({ kind: 'held', why: 'group' });
    await s.finish();
  });

  it('the id recorded while waiting is adopted', async () => {
    const dir = tmp();
    const c = holderClaim(dir, KEY, 1_000);
    const s = await session(dir);
    const waiting = s.claim(KEY, { idempotencyKey: 'ours', attempt: 1 }, false, { everyMs: 5, forMs: 10_000 });
    writeFileSync(join(dir, 'claims', KEY), JSON.stringify({ ...c, remoteId: 'vid_123' }));
    expect(await waiting).toMatchObject({ kind: 'adopt', claim: { remoteId: 'vid_123' } });
    await s.finish();
  });

  it('our own intent, claimed by a process of this machine that is gone: ours again, whatever its age', async () => {
    const dir = tmp();
    holderClaim(dir, KEY, STALE, { host: hostname(), pid: 2 ** 22 + 17, idempotencyKey: 'ours' });
    const s = await session(dir);
    expect(await s.claim(KEY, { idempotencyKey: 'ours', attempt: 1 }, true, WAIT)).toBeUndefined();
    expect(stored(dir, KEY).pid).toBe(process.pid);
    await s.finish();
  });
});

describe('a claim once its record is pushed', () => {
  it('is removed with the push (claims/ holds only renders in flight), and a machine claiming the key after that finds the record instead of paying', async () => {
    const root = tmp();
    const dir = tmp();
    const store = new FileStore(dir);
    expect(await claim(store, { key: KEY, idempotencyKey: 'ours', attempt: 1 })).toEqual({ mine: true });
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out', 'a.mp4'), 'video bytes');
    const sha256 = createHash('sha256').update('video bytes').digest('hex');
    const record = { version: 1 as const, key: KEY, kind: 'video' as const, api: 'v3' as const, files: { video: { sha256, size: 11, ext: 'mp4' } }, at: '2026-01-01T00:00:00Z' };
    expect(await pushPending(store, root, { record, files: { video: 'out/a.mp4' } })).toBe('pushed');
    expect(existsSync(join(dir, 'claims', KEY))).toBe(false);
    // The late machine looked the record up before the push, and claims after it: it must not pay.
    expect(await claim(store, { key: KEY, idempotencyKey: 'theirs', attempt: 1 })).toEqual({ mine: true, recorded: true });
    expect(existsSync(join(dir, 'claims', KEY))).toBe(false);
    const s = await session(dir);
    expect(await s.claim(KEY, { idempotencyKey: 'theirs', attempt: 1 }, false, WAIT)).toMatchObject({ kind: 'recorded' });
    await s.finish();
  });
});

describe('heartbeat', () => {
  it('refreshes our claim while HeyGen has not answered, and never touches another holder\'s or one with an id', async () => {
    const dir = tmp();
    const store = new FileStore(dir);
    expect(await claim(store, { key: KEY, idempotencyKey: 'ours', attempt: 1 })).toEqual({ mine: true });
    const first = stored(dir, KEY);
    expect(first).toMatchObject({ host: hostname(), pid: process.pid });
    writeFileSync(join(dir, 'claims', KEY), JSON.stringify({ ...first, heartbeat: new Date(Date.now() - STALE).toISOString() }));
    expect(await beat(store, KEY)).toBe(true);
    expect(Date.now() - Date.parse(stored(dir, KEY).heartbeat!)).toBeLessThan(5_000);
    holderClaim(dir, KEY, STALE);
    expect(await beat(store, KEY)).toBe(false);
    expect(stored(dir, KEY).host).toBe('ci-runner-7');
  });
});

describe('heygen-build claims / claims release', () => {
  it('lists claims in flight with their state and what they are in the lockfile; --all adds finished ones', async () => {
    const dir = tmp();
    const [live, stale, done] = ['1'.repeat(64), '2'.repeat(64), '3'.repeat(64)];
    holderClaim(dir, live, 1_000);
    holderClaim(dir, stale, STALE);
    holderClaim(dir, done, STALE, { remoteId: 'vid_9' });
    mkdirSync(join(dir, 'records'));
    writeFileSync(join(dir, 'records', `${done}.json`), '{}');
    const lock = emptyLockfile();
    lock.videos.intro = { key: stale, parts: {}, status: 'pending', attempt: 1, translations: {} } as unknown as (typeof lock.videos)[string];
    const store = new FileStore(dir);
    const rows = await readClaims(store, { lock });
    expect(rows.map((r) => [r.key[0], r.state, r.ids])).toEqual([['2', 'stale', ['intro']], ['1', 'live', []]]);
    expect(rows[0]).toMatchObject({ job: 'ci-runner-7:4242 (GitHub run 9 job build)', host: 'ci-runner-7', pid: 4242, ci: 'GitHub run 9 job build', idempotencyKey: 'idem-of-the-holder-2222' });
    expect(rows[0]!.idleSeconds).toBeGreaterThanOrEqual(STALE / 1000 - 1);
    expect((await readClaims(store, { all: true })).map((r) => r.state).sort()).toEqual(['finished', 'live', 'stale']);
  });

  it('release: a stale claim is marked released (kept with its key) and the next build takes it over without a flag', async () => {
    const dir = tmp();
    holderClaim(dir, KEY, STALE);
    const store = new FileStore(dir);
    expect(await releaseClaims(store, [KEY.slice(0, 10)])).toEqual([{ key: KEY, state: 'stale', action: 'released' }]);
    expect(stored(dir, KEY)).toMatchObject({ idempotencyKey: 'idem-of-the-holder-a1b2', released: { by: expect.stringContaining(hostname()) } });
    const s = await session(dir);
    expect(await s.claim(KEY, { idempotencyKey: 'ours', attempt: 1 }, false, WAIT)).toMatchObject({ kind: 'takeover', claim: { idempotencyKey: 'idem-of-the-holder-a1b2' } });
    expect(stored(dir, KEY).released).toBeUndefined();
    await s.finish();
  });

  it('release refuses a live or submitted claim (E_CLAIM_HELD) unless --force, which deletes it; an unknown key is E_CLAIM_NOT_FOUND', async () => {
    const dir = tmp();
    const [live, sub] = ['4'.repeat(64), '5'.repeat(64)];
    holderClaim(dir, live, 1_000);
    holderClaim(dir, sub, STALE, { remoteId: 'vid_5' });
    const store = new FileStore(dir);
    await expect(releaseClaims(store, [live])).rejects.toMatchObject({ code: 'E_CLAIM_HELD' });
    await expect(releaseClaims(store, ['vid_5'])).rejects.toMatchObject({ code: 'E_CLAIM_HELD', message: expect.stringContaining('vid_5') });
    await expect(releaseClaims(store, ['deadbeefdead'])).rejects.toMatchObject({ code: 'E_CLAIM_NOT_FOUND' });
    await expect(releaseClaims(store, ['4444'])).rejects.toMatchObject({ code: 'E_CLAIM_NOT_FOUND' });
    expect(await releaseClaims(store, [live, 'vid_5'], { force: true })).toEqual([
      { key: live, state: 'live', action: 'deleted' },
      { key: sub, state: 'submitted', action: 'deleted' },
    ]);
    expect(await readClaims(store, { all: true })).toEqual([]);
  });
});
