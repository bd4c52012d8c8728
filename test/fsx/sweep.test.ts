import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempPathFor } from '../../src/fsx/atomic.js';
import { staleTemps, sweepStaleTemps, tempOwner } from '../../src/fsx/sweep.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hb-sweep-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const DEAD = 999_999_999;

describe('sweepStaleTemps', () => {
  it('recognises every temp name of ours, and nothing else', () => {
    expect(tempOwner(tempPathFor('/p/heygen.lock.yaml').split('/').pop()!)).toBe(String(process.pid));
    expect(tempOwner(tempPathFor('/p/out/a.mp4', 'part').split('/').pop()!)).toBe(String(process.pid));
    expect(tempOwner(tempPathFor('/p/.heygen/drafts/k.mp4', 'tmp.mp4').split('/').pop()!)).toBe(String(process.pid));
    expect(tempOwner('build.lock.4242.0a1b2c.tmp')).toBe('4242'); // names of earlier versions
    expect(tempOwner('languages-v3.json.4242.tmp')).toBe('4242');
    expect(tempOwner('intro.mp4.part')).toBe('');
    for (const name of ['intro.mp4', 'notes.tmp', '.alpha.yaml.swp', 'heygen.lock.yaml', 'report.4242.tmp']) expect(tempOwner(name)).toBeUndefined();
  });

  it('removes what dead processes left and what is over an hour old; keeps a live writer\'s and files not ours', async () => {
    const heygen = join(root, '.heygen', 'drafts');
    const out = join(root, 'out', 'nested');
    mkdirSync(heygen, { recursive: true });
    mkdirSync(out, { recursive: true });
    mkdirSync(join(root, '.heygen', 'tmp'));
    const put = (file: string, ageMs = 0): string => {
      writeFileSync(file, 'partial');
      if (ageMs) utimesSync(file, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
      return file;
    };
    const stale = [
      put(join(root, `.heygen.lock.yaml.${DEAD}.0a1b2c3d4e5f.tmp`)),
      put(join(root, '.heygen', `build.lock.${DEAD}.0a1b2c3d4e5f.tmp`)),
      put(join(heygen, `.k.mp4.${DEAD}.0a1b2c3d4e5f.tmp.mp4`)),
      put(join(out, `.v.mp4.${DEAD}.0a1b2c3d4e5f.part`)),
      put(join(out, 'old.mp4.part'), 2 * 60 * 60 * 1000), // no pid, but untouched for two hours
      put(join(out, `.w.mp4.${process.pid}.0a1b2c3d4e5f.part`), 2 * 60 * 60 * 1000), // live pid, but stuck for two hours
      put(join(root, '.heygen', 'tmp', 'abc123.mp4'), 2 * 60 * 60 * 1000), // a draft render killed before it was cached
    ];
    const kept = [
      put(join(root, `.heygen.lock.yaml.${process.pid}.0a1b2c3d4e5f.tmp`)), // ours, being written right now
      put(join(out, 'fresh.mp4.part')), // no pid and recent: may be a live download of an old version
      put(join(out, 'v.mp4')),
      put(join(root, '.heygen', 'tmp', 'def456.mp4')), // a draft being rendered now
      put(join(root, 'notes.tmp')),
    ];
    const removed = await sweepStaleTemps(root, ['out']);
    expect(removed.sort()).toEqual(stale.sort());
    const left = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    expect(left.sort()).toEqual(kept.sort());
  });

  it('lists without removing what it would remove, each file once with its size (gc --dry-run)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-sweep-list-'));
    mkdirSync(join(dir, '.heygen', 'tmp'), { recursive: true });
    // In .heygen/tmp/, which both the .heygen/ scan and the scratch scan reach.
    const temp = join(dir, '.heygen', 'tmp', `.k.mp4.${DEAD}.0a1b2c3d4e5f.tmp.mp4`);
    writeFileSync(temp, 'x'.repeat(1234));
    expect(await staleTemps(dir, [], false)).toEqual([{ path: temp, bytes: 1234 }]);
    expect(readdirSync(join(dir, '.heygen', 'tmp'))).toHaveLength(1);
    expect(await staleTemps(dir)).toEqual([{ path: temp, bytes: 1234 }]);
    expect(readdirSync(join(dir, '.heygen', 'tmp'))).toHaveLength(0);
    await rm(dir, { recursive: true, force: true });
  });
});
