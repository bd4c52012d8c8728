/**
 * A full disk, a read-only out folder and a broken API key, against the real CLI and one shared
 * emulator, with the project on a small tmpfs (mounted when running as root; skipped otherwise).
 * What a user must see: a coded error naming the path and the fix, no temp file left behind, and
 * after freeing space a rerun that finishes without paying for anything twice.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { runCli } from '../helpers/cli.js';
import { fillDisk, mountTmpfs, type Tmpfs } from '../helpers/tmpfs.js';
import { API_KEY, posts } from './emulator.js';
import { CONFIG } from './project.js';

const VIDEO_BYTES = 1024 * 1024;
const mounted = mountTmpfs(16 * 1024);
const disk = typeof mounted === 'string' ? undefined : mounted;
if (typeof mounted === 'string') console.warn(`skipping the disk e2e tests: ${mounted}`);

let emu: Emulator;
let env: Record<string, string>;
let n = 0;

/** A project on the tmpfs whose videos no other test renders (the emulator is shared). */
function project(opts: { translate?: boolean } = {}): string {
  const dir = join((disk as Tmpfs).dir, `p${++n}`);
  const files: Record<string, string> = {
    'heygen.config.mjs': CONFIG,
    'videos/one.yaml': `title: One\navatar: presenter\nbackground: "#112233"\ncaption: true\nscenes:\n  - script: Project ${n}, video one. A full disk is not a bug.\n`,
    'videos/two.yaml': `title: Two\navatar: presenter\nbackground: "#223344"\nscenes:\n  - script: Project ${n}, video two. Nothing is paid twice.\n${opts.translate ? 'translations: [es]\n' : ''}`,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** Temp files of ours (or of any earlier version) left anywhere in the project. */
function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(tmp|part)(\.\w+)?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const filler = (): string => join((disk as Tmpfs).dir, 'filler');

describe.skipIf(!disk)('disk trouble (real CLI, emulator, project on a tmpfs)', () => {
  beforeAll(async () => {
    emu = await startEmulator({ renderMs: 200, translateMs: 200, apiKey: API_KEY, videoBytes: VIDEO_BYTES });
    env = { HEYGEN_API_KEY: API_KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url };
  });
  afterAll(async () => {
    await emu?.stop();
    disk?.unmount();
  });
  beforeEach(() => {
    emu.reset();
    rmSync(filler(), { force: true });
  });

  it('a disk full before the build: E_DISK_FULL naming the build lock, no temp left; after freeing space one POST per video', async () => {
    const dir = project();
    fillDisk(filler());
    const full = await runCli(['build'], { cwd: dir, env });
    expect(full.code).not.toBe(0);
    expect(full.stderr).toMatch(/\[E_DISK_FULL\] the disk is full: could not write .*build\.lock/);
    expect(full.stderr).toContain('free some space');
    expect(full.stderr).not.toContain('This is a bug');
    expect(posts(emu)).toBe(0);
    expect(leftovers(dir)).toEqual([]);

    rmSync(filler());
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(2);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a disk that fills mid-download: items fail as E_DISK_FULL, no .part left; the rerun only downloads', async () => {
    const dir = project();
    fillDisk(filler(), 64 * 1024);
    const full = await runCli(['build'], { cwd: dir, env });
    const out = full.stdout + full.stderr;
    expect(full.code, out).not.toBe(0);
    expect(out).toContain('E_DISK_FULL');
    expect(out).not.toContain('E_INTERNAL');
    expect(out).not.toContain('This is a bug');
    expect(leftovers(dir)).toEqual([]);
    // The clips were paid for; only their downloads (into .heygen/clips/) failed, and each video says so,
    // even when the other download refilled the freed space before the first failure's record was written
    // (that record then waits in memory: see run.test.ts, "fails for its own reason").
    expect(out, out).toMatch(/failed one \[E_DISK_FULL\] the disk is full: could not write \.heygen\/clips\/[0-9a-f]{64}\.mp4/);
    expect(out, out).toMatch(/failed two \[E_DISK_FULL\]/);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(2);
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(lock.videos.one).toMatchObject({ status: 'failed', error: { code: 'E_DISK_FULL' } });
    expect(lock.videos.two).toMatchObject({ status: 'failed', error: { code: 'E_DISK_FULL' } });
    // The paid clips stay recorded with their remote ids, so the rerun can fetch them.
    const clips = Object.values(lock.clips ?? {});
    expect(clips).toHaveLength(2);
    for (const c of clips) expect(c).toMatchObject({ status: 'submitted', remoteId: expect.any(String) });

    rmSync(filler());
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    // No new POST: the rerun only downloaded what was already paid for, then composed the outputs.
    expect(posts(emu, /^\/v3\/videos$/)).toBe(2);
    const done = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    for (const c of clips) {
      const rec = Object.values(done.clips ?? {}).find((d) => d.remoteId === c.remoteId);
      expect(rec?.status).toBe('completed');
      expect(statSync(join(dir, rec!.file!.path)).size).toBe(VIDEO_BYTES);
    }
    for (const id of ['one', 'two']) {
      expect(done.videos[id]).toMatchObject({ status: 'completed', composed: true, output: { path: `out/${id}.mp4` } });
      expect(statSync(join(dir, 'out', `${id}.mp4`)).size).toBe(done.videos[id]!.output!.size);
    }
    expect(leftovers(dir)).toEqual([]);
  });

  it('a few KB free: saving the lockfile fails, items stop as E_DISK_FULL before paying, no temp left; the rerun pays once', async () => {
    const dir = project({ translate: true });
    // 8 KB: a 4 KB block each for the build lock and the manifest cache, none for the lockfile's first
    // save. (With 12 KB, the lockfile's save and the catalog cache's write raced for the last block: when
    // the save won, the intents were journaled and the POSTs rightly went out, then the remote ids
    // could not be saved.)
    fillDisk(filler(), 8 * 1024);
    const full = await runCli(['build'], { cwd: dir, env });
    const out = full.stdout + full.stderr;
    expect(full.code, out).not.toBe(0);
    expect(out).toMatch(/\[E_DISK_FULL\] the disk is full: could not write heygen\.lock\.yaml/);
    expect(out).not.toMatch(/E_INTERNAL|This is a bug/);
    expect(leftovers(dir)).toEqual([]);
    // The intent could not be recorded, so nothing was sent.
    expect(posts(emu)).toBe(0);

    rmSync(filler());
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(2);
    expect(posts(emu, /^\/v3\/video-translations$/)).toBe(1);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a read-only out folder: the items say the folder is read-only', async () => {
    const dir = project();
    const outDir = join(dir, 'out');
    mkdirSync(outDir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', outDir]);
    try {
      const r = await runCli(['build'], { cwd: dir, env });
      const out = r.stdout + r.stderr;
      expect(r.code, out).not.toBe(0);
      expect(out).toMatch(/E_READ_ONLY/);
      expect(out).toMatch(/out is on a read-only file system: could not write out\/one\.mp4/);
      expect(out).not.toMatch(/ENOENT|E_INTERNAL/);
    } finally {
      execFileSync('umount', ['-l', outDir]);
    }
  });

  it('drafts on a full disk: E_DISK_FULL, not an ffmpeg failure, and no temp left', async () => {
    const dir = project();
    // Drafts are small: room for the build lock and little else.
    fillDisk(filler(), 8 * 1024);
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir, env: {} });
    const out = r.stdout + r.stderr;
    expect(r.code, out).not.toBe(0);
    expect(out).toMatch(/failed one \[E_DISK_FULL\] the disk is full: could not write \.heygen\//);
    expect(out).not.toMatch(/E_FFMPEG|E_INTERNAL/);
    expect(leftovers(dir)).toEqual([]);
  });

  it('an API key with a control character: E_CONFIG_API_KEY at start, no request sent, the key never printed', async () => {
    const dir = project();
    const r = await runCli(['build'], { cwd: dir, env: { ...env, HEYGEN_API_KEY: `${API_KEY}\u0007` } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\[E_CONFIG_API_KEY\] HEYGEN_API_KEY from the environment contains a control character/);
    expect(r.stdout + r.stderr).not.toContain(API_KEY);
    expect(emu.requests).toHaveLength(0);
  });
});
