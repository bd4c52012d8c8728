import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { LockStore } from '../../src/lockfile/store.js';
import { exited, firstLine, spawnFixture } from './children.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-sigkill-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a writer killed with SIGKILL', () => {
  it('always leaves a lockfile that parses and holds one complete version', async () => {
    const versions: number[] = [];
    // One child at a time: side by side they compete for fsyncs and start slower.
    const killOne = async (i: number): Promise<void> => {
      const path = join(dir, `lock-${i}`, 'heygen.lock.yaml');
      await mkdir(join(dir, `lock-${i}`));
      const child = spawnFixture('writer.ts', [path]);
      expect(await firstLine(child)).toBe('ready');
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      child.kill('SIGKILL');
      await exited(child);
      expect(child.signalCode).toBe('SIGKILL');

      const lock = parseLockfile(await readFile(path, 'utf8'), path);
      // Version k holds exactly videos 0..k: anything else would be a torn or mixed write.
      const ids = Object.keys(lock.videos);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.sort()).toEqual(Array.from({ length: ids.length }, (_, k) => `video-${k}`).sort());

      // Temp files a kill leaves behind are cleared when the next build opens the lockfile.
      await LockStore.open(path);
      expect((await readdir(join(dir, `lock-${i}`))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      versions.push(ids.length);
    };
    for (let i = 0; i < 4; i++) await killOne(i);
    // The writers really were mid-loop (several versions written) when killed.
    expect(Math.max(...versions)).toBeGreaterThan(1);
  });
});
