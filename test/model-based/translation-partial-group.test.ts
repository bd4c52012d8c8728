/**
 * Regression, found by the model-based build test (build-model.test.ts): v3 answers one POST with an
 * id per language. A lockfile with one language of a group `submitted` and the other still `pending`
 * under the group's Idempotency-Key (ids once journaled one save per language, killed in between)
 * used to resend the pending language alone with that key; HeyGen replays the whole group's answer
 * (two ids), so the build failed with E_HEYGEN_BAD_RESPONSE, every time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/build.js';
import type { BuildEvent } from '../../src/execute/events.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { emulator } from '../e2e/emulator.js';
import { tempProject } from '../helpers/cli.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { api: 'v3', poll: { minMs: 10, maxMs: 40, timeoutMs: 5000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
};
`;

describe('a translation group killed half-journaled', () => {
  it('resumes without failing and without a new job', async () => {
    const { emu, env } = await emulator({ renderMs: 60, translateMs: 60 });
    const dir = tempProject({
      'heygen.config.mjs': CONFIG,
      'videos/hello.yaml': 'avatar: presenter\nscenes:\n  - script: Hello there.\ntranslations: [es, fr-FR]\n',
    });
    expect((await build({ cwd: dir, env })).ok).toBe(true);
    expect(emu.jobs().filter((j) => j.kind === 'translation')).toHaveLength(2);

    // The lockfile as a kill right after the first language's id was saved leaves it.
    const file = join(dir, 'heygen.lock.yaml');
    const lock = parseLockfile(readFileSync(file, 'utf8'), 'heygen.lock.yaml');
    const [es, fr] = [lock.videos.hello!.translations.es!, lock.videos.hello!.translations['fr-FR']!];
    expect(es.idempotencyKey).toBe(fr.idempotencyKey);
    Object.assign(es, { status: 'submitted' });
    delete es.output;
    Object.assign(fr, { status: 'pending' });
    delete fr.remoteId;
    delete fr.output;
    writeFileSync(file, serializeLockfile(lock));

    const events: BuildEvent[] = [];
    const r = await build({ cwd: dir, env, emit: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'failed')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(emu.jobs().filter((j) => j.kind === 'translation')).toHaveLength(2);
  });
});
