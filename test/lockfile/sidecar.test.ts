/**
 * The parsed-lockfile cache (`.heygen/cache/lockfile.json`): a hit must give exactly what parsing
 * the lockfile gives, and anything else (changed, cut-short or damaged files) must fall back to
 * reading the lockfile itself.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeygenBuildError } from '../../src/errors.js';
import { LOCKFILE_END, serializeLockfile } from '../../src/lockfile/serialize.js';
import { LockStore, readLockfile } from '../../src/lockfile/store.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { hex, sampleLock } from './locks.js';

let dir: string;
let lockPath: string;
let cache: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-sidecar-'));
  lockPath = join(dir, 'heygen.lock.yaml');
  cache = join(dir, '.heygen', 'cache', 'lockfile.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const read = () => readLockfile(lockPath, { displayPath: 'heygen.lock.yaml', cache });

describe('the parsed-lockfile cache', () => {
  it('reads an unchanged lockfile back from the cache, equal to a parse', async () => {
    await writeFile(lockPath, serializeLockfile(sampleLock()));
    const parsed = await read();
    expect(existsSync(cache)).toBe(true);
    expect(await read()).toEqual(parsed);
    expect(await readLockfile(lockPath)).toEqual(parsed);
  });

  it('is used for the bytes it was written for: a hit skips parsing', async () => {
    await writeFile(lockPath, serializeLockfile(sampleLock()));
    await read();
    // Planted, not parsed: proves the second read came from the cache.
    const data = JSON.parse(await readFile(cache, 'utf8')) as { lock: { videos: Record<string, { remoteId?: string }> } };
    data.lock.videos.intro!.remoteId = 'from-the-cache';
    await writeFile(cache, JSON.stringify(data));
    expect((await read()).videos.intro?.remoteId).toBe('from-the-cache');
  });

  it('never serves a lockfile that changed since: a pulled or edited file is parsed again', async () => {
    await writeFile(lockPath, serializeLockfile(sampleLock()));
    await read();
    const changed = sampleLock();
    changed.videos.intro!.remoteId = 'new-render';
    await writeFile(lockPath, serializeLockfile(changed));
    expect((await read()).videos.intro?.remoteId).toBe('new-render');
  });

  it('still refuses a cut-short lockfile whose whole version is cached', async () => {
    const text = serializeLockfile(sampleLock());
    await writeFile(lockPath, text);
    await read();
    await writeFile(lockPath, text.slice(0, text.length - LOCKFILE_END.length));
    await expect(read()).rejects.toMatchObject({ code: 'E_LOCKFILE_TRUNCATED' } satisfies Partial<HeygenBuildError>);
  });

  it('ignores a damaged cache and writes it again', async () => {
    await writeFile(lockPath, serializeLockfile(sampleLock()));
    const parsed = await read();
    await writeFile(cache, '{"code": "x", "sha');
    expect(await read()).toEqual(parsed);
    expect(JSON.parse(await readFile(cache, 'utf8'))).toMatchObject({ lock: { videos: { intro: { key: hex('a') } } } });
  });

  it('is left by a build for the bytes it last wrote, equal to what parsing them gives', async () => {
    await writeFile(lockPath, serializeLockfile(sampleLock()));
    const store = await LockStore.open(lockPath, { cache });
    await store.update((lock) => {
      const intro = lock.videos.intro!;
      intro.remoteId = 'changed-by-the-build';
      lock.videos.second = { ...intro, remoteId: 'r-second' };
    });
    await store.leaveCache(cache);
    const bytes = await readFile(lockPath);
    const cached = JSON.parse(await readFile(cache, 'utf8')) as { sha256: string; lock: unknown };
    expect(cached.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(cached.lock).toEqual(parseLockfile(bytes.toString('utf8'), 'heygen.lock.yaml'));
    // And a read takes it from the cache, with the same result.
    expect(await readLockfile(lockPath, { cache })).toEqual(cached.lock);
  });

  it('is not written when a build opens the lockfile (it rewrites it at once)', async () => {
    await writeFile(lockPath, serializeLockfile(sampleLock()));
    const store = await LockStore.open(lockPath, { cache });
    expect(store.lock.videos.intro?.remoteId).toBe('f3a1c2b4e5d6');
    expect(existsSync(cache)).toBe(false);
  });
});
