/**
 * Regression, found by the model-based build test (build-model.test.ts): a Ctrl-C while a translation
 * waited for a concurrency slot made `build()` reject with the abort reason at once, while other
 * videos' work (a POST in flight, its journal write) went on after build() had released the build lock.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/build.js';
import { parseLockfile } from '../../src/lockfile/index.js';
import { emulator, posts } from '../e2e/emulator.js';
import { tempProject } from '../helpers/cli.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { api: 'v3', concurrency: 1, poll: { minMs: 10, maxMs: 40, timeoutMs: 5000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
};
`;

describe('Ctrl-C while a translation waits for a slot', () => {
  it('returns interrupted only after the work in flight is recorded', async () => {
    const { emu, env } = await emulator({ renderMs: 60, translateMs: 60 });
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/z-old.yaml': 'avatar: presenter\nscenes:\n  - script: Old video.\n' });
    expect((await build({ cwd: dir, env })).ok).toBe(true);

    // Next build: a new video takes the only slot (its POST answers slowly); the old video's new
    // translation waits for that slot.
    writeFileSync(join(dir, 'videos', 'z-old.yaml'), 'avatar: presenter\nscenes:\n  - script: Old video.\ntranslations: [es]\n');
    writeFileSync(join(dir, 'videos', 'a-new.yaml'), 'avatar: presenter\nscenes:\n  - script: New video.\n');
    emu.faults.slow = { count: 1, ms: 800, paths: /^\/v3\/videos$/ };
    emu.reset();
    const ctrlC = new AbortController();
    const running = build({ cwd: dir, env, signal: ctrlC.signal });
    const deadline = Date.now() + 10_000;
    while (!emu.requests.some((r) => r.method === 'POST' && r.path === '/v3/videos') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    ctrlC.abort(new Error('interrupted'));
    const outcome = await running.then(
      (result) => ({ result }),
      (error: unknown) => ({ error: String(error) }),
    );
    const lockAtReturn = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect.soft(outcome).toMatchObject({ result: { interrupted: true } });
    // The POST that was in flight created the job of a-new's scene clip; its answer (the remote id) is in
    // the lockfile's clips table the moment build() returns, so nothing of this build is left to write
    // after the build lock is free.
    const created = emu.jobs().filter((j) => j.kind === 'video' && j.title === 'a-new · a-new#1');
    expect(created).toHaveLength(1);
    const clip = Object.values(lockAtReturn.clips ?? {}).find((c) => c.remoteId === created[0]!.id);
    expect(clip).toMatchObject({ status: 'submitted', idempotencyKey: created[0]!.idempotencyKey });
    // a-new is not composed: it has no entry of its own yet.
    expect(lockAtReturn.videos['a-new']).toBeUndefined();
    // The translation never got the slot: nothing was asked of the paid translation endpoint.
    expect(posts(emu, /^\/v3\/video-translations/)).toBe(0);
    expect(lockAtReturn.videos['z-old']?.translations ?? {}).toEqual({});
  });
});
