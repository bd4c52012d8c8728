/**
 * Regression, found by the model-based build test (build-model.test.ts): a translation whose intent
 * was journaled but whose POST never left (Ctrl-C between the two) used to be resent with the
 * manifest's code ("es") instead of HeyGen's name ("Spanish (Spain)"): HeyGen rejected it, the entry
 * stayed pending, and every later build failed the same way.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/build.js';
import { planProject } from '../../src/api/plan.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { idempotencyKey } from '../../src/hash/idempotency.js';
import type { BuildEvent } from '../../src/execute/events.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import type { Lockfile } from '../../src/model/lock.js';
import { emulator } from '../e2e/emulator.js';
import { tempProject } from '../helpers/cli.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { api: 'v3', poll: { minMs: 10, maxMs: 40, timeoutMs: 5000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
};
`;

function readLock(dir: string): Lockfile | undefined {
  const file = join(dir, 'heygen.lock.yaml');
  return existsSync(file) ? parseLockfile(readFileSync(file, 'utf8'), 'heygen.lock.yaml') : undefined;
}

describe('translation resumed after a Ctrl-C between its intent and its POST', () => {
  it('is sent with the HeyGen language name and finishes', async () => {
    const { emu, env } = await emulator({ renderMs: 60, translateMs: 60 });
    const dir = tempProject({
      'heygen.config.mjs': CONFIG,
      'videos/hello.yaml': 'avatar: presenter\nscenes:\n  - script: Hello there.\n',
    });
    expect((await build({ cwd: dir, env })).ok).toBe(true);
    // The state a Ctrl-C (or a kill) between the translation's intent and its POST leaves: the intent
    // recorded with HeyGen's name for the language, nothing sent. Written as the build writes it (the
    // window is a few ms now that the source is fetched before the intent: a race cannot hit it).
    writeFileSync(join(dir, 'videos/hello.yaml'), 'avatar: presenter\nscenes:\n  - script: Hello there.\ntranslations: [es]\n');
    const planned = await planProject({ cwd: dir, env });
    const item = planned.plan!.items.find((i) => i.kind === 'translation')!;
    const lock = readLock(dir)!;
    lock.videos.hello!.translations.es = { key: item.key!, language: 'Spanish (Spain)', status: 'pending', idempotencyKey: idempotencyKey(item.key!, 1), attempt: 1 };
    writeFileSync(join(dir, 'heygen.lock.yaml'), serializeLockfile(lock));
    expect(emu.jobs().filter((j) => j.kind === 'translation')).toHaveLength(0);

    const events: BuildEvent[] = [];
    const second = await build({ cwd: dir, env, emit: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'failed')).toEqual([]);
    expect(second.ok).toBe(true);
    const post = emu.requests.find((r) => r.method === 'POST' && r.path === '/v3/video-translations');
    expect((post?.body as { output_languages?: string[] } | undefined)?.output_languages).toEqual(['Spanish (Spain)']);
    expect(post?.headers['idempotency-key']).toBe(idempotencyKey(item.key!, 1));
    expect(readLock(dir)!.videos.hello!.translations.es!.status).toBe('completed');
  });
});
