/** The receiver's brief hold of the build lock: a build waits for it; a build's hold still fails others at once. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireBuildLock } from '../../src/lockfile/buildlock.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hb-brief-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('brief build lock holds', () => {
  it('a build waits for a brief holder and gets the lock once it is released', async () => {
    const held = await acquireBuildLock(root, { command: 'webhooks listen (collecting)', brief: true });
    expect(held.info.brief).toBe(true);
    let got = false;
    const waiting = acquireBuildLock(root, { command: 'build', waitForBrief: true }).then((l) => {
      got = true;
      return l;
    });
    // Still waiting after several of its 100 ms retries.
    await new Promise((r) => setTimeout(r, 350));
    expect(got).toBe(false);
    await held.release();
    const lock = await waiting;
    expect(lock.info.command).toBe('build');
    await lock.release();
  });

  it('a build holding the lock is still refused at once, even to one that would wait for a brief holder', async () => {
    const held = await acquireBuildLock(root, { command: 'build' });
    await expect(acquireBuildLock(root, { command: 'webhooks listen (collecting)', brief: true, waitForBrief: true })).rejects.toMatchObject({ code: 'E_BUILD_LOCKED' });
    await held.release();
  });
});
