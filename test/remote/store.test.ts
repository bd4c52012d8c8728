/**
 * Both store backends against the same contract: the folder one, and S3 against a real S3-protocol
 * server (s3rver) on loopback. Large files go up in parts; blobs are checked by digest on the way down.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeygenBuildError } from '../../src/errors.js';
import { pullBlob, pushBlob } from '../../src/remote/blobs.js';
import { claim, recordClaimId } from '../../src/remote/claims.js';
import { storeError } from '../../src/remote/errors.js';
import { FileStore } from '../../src/remote/file.js';
import { blobKey } from '../../src/remote/layout.js';
import { openStore, parseRemoteUrl } from '../../src/remote/open.js';
import type { RemoteStore } from '../../src/remote/store.js';
import { s3Server, S3_KEY } from '../helpers/s3-server.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'hb-remote-'));
}

async function s3Store(env: Record<string, string> = S3_KEY): Promise<{ store: RemoteStore; dir: string }> {
  const s = await s3Server();
  Object.assign(process.env, { ...env, AWS_EC2_METADATA_DISABLED: 'true' });
  return { store: await openStore({ url: `s3://${s.bucket}/team/a`, endpoint: s.endpoint, forcePathStyle: true, region: 'us-east-1' }, tmp()), dir: s.dir };
}

const backends: [string, () => Promise<RemoteStore>][] = [
  ['file://', () => Promise.resolve(new FileStore(tmp()))],
  ['s3:// (s3rver)', async () => (await s3Store()).store],
];

describe.each(backends)('remote store %s', (_name, make) => {
  it('keeps small objects, lists them under a prefix, and answers missing ones as absent', async () => {
    const store = await make();
    expect(await store.get('records/nope.json')).toBeUndefined();
    await store.put('records/a.json', '{"a":1}');
    await store.put('records/b.json', '{"b":2}');
    await store.put('claims/a', 'x');
    expect((await store.get('records/a.json'))?.toString()).toBe('{"a":1}');
    expect(await store.has('records/b.json')).toBe(true);
    const keys: string[] = [];
    for await (const k of store.list('records/')) keys.push(k);
    expect(keys.sort()).toEqual(['records/a.json', 'records/b.json']);
    await store.close();
  });

  it('a blob goes up once (in parts when large) and comes down identical, checked by digest', async () => {
    const store = await make();
    const dir = tmp();
    const file = join(dir, 'big.mp4');
    // 20 MB: three 8 MiB parts on S3.
    writeFileSync(file, randomBytes(20_000_000));
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    let up = 0;
    expect(await pushBlob(store, file, sha, (n) => (up += n))).toBe(true);
    expect(up).toBe(20_000_000);
    let again = 0;
    expect(await pushBlob(store, file, sha, (n) => (again += n))).toBe(true);
    expect(again, 'a blob already stored is not sent again').toBe(0);
    const back = join(dir, 'out', 'back.mp4');
    expect(await pullBlob(store, sha, back)).toBe(true);
    expect(createHash('sha256').update(readFileSync(back)).digest('hex')).toBe(sha);
    expect(await pullBlob(store, 'f'.repeat(64), join(dir, 'none.mp4'))).toBe(false);
    await store.close();
  });
});

describe('conditional writes and claims', () => {
  it('the folder store refuses a second create of one key, so the second claimant sees the first claim and its remote id', async () => {
    const store = new FileStore(tmp());
    expect(await store.conditionalWrites()).toBe(true);
    expect(await claim(store, { key: 'k1', idempotencyKey: 'idem-1', attempt: 1 })).toEqual({ mine: true });
    await recordClaimId(store, 'k1', 'vid_123');
    const second = await claim(store, { key: 'k1', idempotencyKey: 'idem-other', attempt: 1 });
    expect(second.mine).toBe(false);
    expect(second.mine === false && second.claim.remoteId).toBe('vid_123');
  });

  it('s3rver ignores If-None-Match, and the S3 store says so instead of trusting it', async () => {
    const { store } = await s3Store();
    expect(await store.conditionalWrites()).toBe(false);
    const keys: string[] = [];
    for await (const k of store.list('claims/')) keys.push(k);
    expect(keys, 'the probe object is removed').toEqual([]);
    await store.close();
  });
});

describe('faults', () => {
  it('a corrupt blob is detected by its digest, fetched again, and refused when it stays corrupt', async () => {
    const store = new FileStore(tmp());
    const dir = tmp();
    const file = join(dir, 'a.mp4');
    writeFileSync(file, 'the real bytes');
    const sha = createHash('sha256').update('the real bytes').digest('hex');
    await pushBlob(store, file, sha);
    // A store whose first read of the blob is damaged in transit: the second read is good.
    let reads = 0;
    const flaky: RemoteStore = Object.assign(Object.create(store) as RemoteStore, {
      download: async (key: string, to: string, onBytes?: (n: number) => void, signal?: AbortSignal, onData?: (chunk: Buffer) => void) => {
        reads++;
        if (reads > 1) return store.download(key, to, onBytes, signal, onData);
        writeFileSync(to, 'damaged');
        onData?.(Buffer.from('damaged'));
        return true;
      },
    });
    expect(await pullBlob(flaky, sha, join(dir, 'b.mp4'))).toBe(true);
    expect(reads).toBe(2);
    expect(readFileSync(join(dir, 'b.mp4'), 'utf8')).toBe('the real bytes');
    // Corrupt in the store itself: refused with a coded error, and nothing is left at the destination.
    writeFileSync(join((store as unknown as { root: string }).root, ...blobKey(sha).split('/')), 'rotten');
    const err = await pullBlob(store, sha, join(dir, 'c.mp4')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeygenBuildError);
    expect((err as HeygenBuildError).code).toBe('E_REMOTE_DIGEST');
    expect(readdirSync(dir).sort()).toEqual(['a.mp4', 'b.mp4']);
  });

  it('expired or wrong credentials: a clear coded error that holds no secret', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXPIREDKEY';
    const { store } = await s3Store({ AWS_ACCESS_KEY_ID: 'ASIAEXPIREDKEY0001', AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXPIREDTOKEN' });
    const err = await store.put('records/x.json', '{}').catch((e: unknown) => e);
    Object.assign(process.env, S3_KEY);
    delete process.env.AWS_SESSION_TOKEN;
    expect(err).toBeInstanceOf(HeygenBuildError);
    const e = err as HeygenBuildError;
    expect(e.code).toBe('E_REMOTE_AUTH');
    expect(e.message).toMatch(/refused the credentials/);
    const shown = JSON.stringify({ m: e.message, h: e.hint, s: e.stack });
    for (const s of [secret, 'ASIAEXPIREDKEY0001', 'FwoGZXIvYXdzEXPIREDTOKEN']) expect(shown).not.toContain(s);
    await store.close();
  });

  it('no credentials at all: E_REMOTE_AUTH says none were found, not that the store refused them', () => {
    const e = storeError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 's3://team', 'claim', 'claims/k');
    expect(e.code).toBe('E_REMOTE_AUTH');
    expect(e.message).toContain('s3://team: no AWS credentials were found to claim claims/k');
    expect(e.message).not.toContain('refused');
  });

  it('an unreachable store is E_REMOTE_UNREACHABLE', async () => {
    const s = await s3Server();
    await s.stop();
    Object.assign(process.env, S3_KEY);
    const store = await openStore({ url: `s3://${s.bucket}`, endpoint: s.endpoint, forcePathStyle: true, region: 'us-east-1' }, tmp());
    const err = await store.get('records/x.json').catch((e: unknown) => e);
    expect((err as HeygenBuildError).code).toBe('E_REMOTE_UNREACHABLE');
    await store.close();
  });

  it('a folder store that is a file, or not there (an unmounted share), is E_REMOTE_UNREACHABLE, and no folder is made', async () => {
    const file = join(tmp(), 'plain-file');
    writeFileSync(file, 'x');
    const missing = join(tmp(), 'share', 'renders');
    for (const store of [new FileStore(join(file, 'sub')), new FileStore(missing)]) {
      for (const op of [() => store.get('records/x.json'), () => store.put('records/x.json', '{}'), () => store.putIfAbsent('claims/x', 'c'), () => store.has('cas/x'), async () => { for await (const k of store.list('records/')) void k; }]) {
        const err = await op().then(() => undefined, (e: unknown) => e);
        expect(err).toMatchObject({ code: 'E_REMOTE_UNREACHABLE', message: expect.stringMatching(/the folder could not be used to \w+/) });
      }
    }
    expect(existsSync(join(missing, '..'))).toBe(false);
  });
});

describe('remote urls', () => {
  it('reads s3 buckets with prefixes and file folders, and refuses anything else with E_REMOTE_CONFIG', () => {
    expect(parseRemoteUrl('s3://team-renders/heygen/main/', '/r')).toEqual({ kind: 's3', bucket: 'team-renders', prefix: 'heygen/main' });
    expect(parseRemoteUrl('file:///mnt/shared', '/r')).toEqual({ kind: 'file', path: '/mnt/shared' });
    expect(() => parseRemoteUrl('s3://A_B', '/r')).toThrow(expect.objectContaining({ code: 'E_REMOTE_CONFIG' }) as Error);
    expect(() => parseRemoteUrl('https://x', '/r')).toThrow(expect.objectContaining({ code: 'E_REMOTE_CONFIG' }) as Error);
  });
});

