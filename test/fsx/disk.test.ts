/**
 * On a real, small tmpfs: a full disk and a read-only folder come out as coded errors naming the
 * path, and no temp file of ours is left behind.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExclusive, mkdirp, writeFileAtomic } from '../../src/fsx/atomic.js';
import { acquireBuildLock } from '../../src/lockfile/buildlock.js';
import { downloadToFile } from '../../src/providers/heygen/download.js';
import { cachedLanguages } from '../../src/providers/heygen/languages.js';
import { fillDisk, mountTmpfs, remount, type Tmpfs } from '../helpers/tmpfs.js';
import { startServer, type TestServer } from '../providers/heygen/helpers/server.js';

const mounted = mountTmpfs(512);
const fs = typeof mounted === 'string' ? undefined : mounted;
if (typeof mounted === 'string') console.warn(`skipping the tmpfs tests: ${mounted}`);

/** Every file left under `dir`, recursively, relative. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe.skipIf(!fs)('on a small tmpfs', () => {
  const t = fs as Tmpfs;
  let server: TestServer | undefined;
  beforeAll(async () => {
    const body = Buffer.alloc(256 * 1024, 7);
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(body.length) });
      res.end(body);
    });
  });
  afterAll(async () => {
    await server?.close();
    t.unmount();
  });
  beforeEach(() => {
    remount(t.dir, 'rw');
    for (const name of readdirSync(t.dir)) rmSync(join(t.dir, name), { recursive: true, force: true });
  });

  it('an atomic write to a full disk is E_DISK_FULL naming the file, and leaves no temp', async () => {
    writeFileSync(join(t.dir, 'heygen.lock.yaml'), 'old\n');
    fillDisk(join(t.dir, 'filler'));
    const err = await writeFileAtomic(join(t.dir, 'heygen.lock.yaml'), 'x'.repeat(64 * 1024)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_DISK_FULL', message: expect.stringContaining('heygen.lock.yaml') });
    expect(files(t.dir)).toEqual(['filler', 'heygen.lock.yaml']);
    await expect(createExclusive(join(t.dir, 'lock'), 'x'.repeat(64 * 1024))).rejects.toMatchObject({ code: 'E_DISK_FULL' });
    expect(files(t.dir)).toEqual(['filler', 'heygen.lock.yaml']);
  });

  it('the build lock on a full disk is E_DISK_FULL and leaves no build.lock temp; the next start sweeps a killed one\'s', async () => {
    mkdirSync(join(t.dir, '.heygen'));
    // What a build killed mid-write left (pid 999999999 does not run), in the old and new names.
    writeFileSync(join(t.dir, '.heygen', 'build.lock.999999999.0a1b2c3d4e5f.tmp'), '{');
    writeFileSync(join(t.dir, '.heygen', 'languages-v3.json.999999999.tmp'), '[');
    writeFileSync(join(t.dir, '.heygen', '.manifests.json.999999999.0a1b2c3d4e5f.tmp'), '{');
    fillDisk(join(t.dir, 'filler'));
    const err = await acquireBuildLock(t.dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_DISK_FULL', message: expect.stringContaining('build.lock'), hint: expect.stringContaining('free some space') });
    rmSync(join(t.dir, 'filler'));
    const lock = await acquireBuildLock(t.dir);
    expect(files(t.dir)).toEqual(['.heygen/build.lock']);
    await lock.release();
  });

  it('the language cache on a full disk: the fetched list is still used, and no temp is left', async () => {
    mkdirSync(join(t.dir, '.heygen'));
    fillDisk(join(t.dir, 'filler'));
    const names = Array.from({ length: 500 }, (_, i) => `Language number ${i}`);
    expect(await cachedLanguages(t.dir, 'v3', async () => names)).toEqual(names);
    expect(files(t.dir)).toEqual(['filler']);
  });

  it('a download that fills the disk fails at once as E_DISK_FULL, leaving neither output nor .part', async () => {
    fillDisk(join(t.dir, 'filler'), 32 * 1024);
    const before = server!.received.length;
    const err = await downloadToFile(`${server!.url}/v.mp4`, join(t.dir, 'out', 'v.mp4'), { refreshUrl: async () => `${server!.url}/v.mp4` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_DISK_FULL', message: expect.stringContaining(join('out', 'v.mp4')) });
    expect(server!.received.length - before).toBe(1); // not retried: retrying cannot help
    expect(files(t.dir)).toEqual(['filler']);
  });

  it('a download into a read-only folder says the folder is read-only (not ENOENT from mkdir)', async () => {
    mkdirSync(join(t.dir, 'out'));
    remount(t.dir, 'ro');
    const err = await downloadToFile(`${server!.url}/v.mp4`, join(t.dir, 'out', 'sub', 'v.mp4'), { refreshUrl: async () => '' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_READ_ONLY', message: expect.stringMatching(/out is on a read-only file system: could not create the folder .*out\/sub/) });
    const direct = await downloadToFile(`${server!.url}/v.mp4`, join(t.dir, 'out', 'v.mp4'), { refreshUrl: async () => '' }).catch((e: unknown) => e);
    expect(direct).toMatchObject({ code: 'E_READ_ONLY', message: expect.stringContaining(join('out', 'v.mp4')) });
    await expect(mkdirp(join(t.dir, 'a', 'b'))).rejects.toMatchObject({ code: 'E_READ_ONLY' });
  });
});
