/**
 * A build killed between a paid POST's intent (`pending` in the lockfile) and its answer, then run
 * again. On v3 the intent is resent with its Idempotency-Key and HeyGen replays its first answer;
 * legacy v2 has no key, so the resend may be billed twice: the build must say so, and must not
 * claim `replayed` there. (Issue #15.)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/build.js';
import type { BuildEvent } from '../../src/execute/events.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import type { Lockfile } from '../../src/model/lock.js';
import { emulator } from '../e2e/emulator.js';
import { tempProject } from '../helpers/cli.js';

const config = (api: 'v2' | 'v3'): string => `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { api: '${api}', poll: { minMs: 10, maxMs: 40, timeoutMs: 10000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
};
`;

const LOCK = 'heygen.lock.yaml';

function readLock(dir: string): Lockfile {
  return parseLockfile(readFileSync(join(dir, LOCK), 'utf8'), LOCK);
}

/** What a SIGKILL right after the intent was saved leaves: `pending`, the key kept, no id, no file. */
function forgetAnswer(dir: string, edit: (l: Lockfile) => { status: string; remoteId?: string; output?: unknown; captions?: unknown; error?: unknown }): void {
  const lock = readLock(dir);
  const r = edit(lock);
  r.status = 'pending';
  delete r.remoteId;
  delete r.output;
  delete r.captions;
  delete r.error;
  writeFileSync(join(dir, LOCK), serializeLockfile(lock));
}

async function project(api: 'v2' | 'v3') {
  const { emu, env } = await emulator({ renderMs: 60, translateMs: 60 });
  const dir = tempProject({
    'heygen.config.mjs': config(api),
    'videos/hello.yaml': 'avatar: presenter\nscenes:\n  - script: Hello there.\ntranslations: [es]\n',
  });
  const first = await build({ cwd: dir, env });
  expect(first.ok).toBe(true);
  expect(existsSync(join(dir, LOCK))).toBe(true);
  return { emu, env, dir };
}

async function rebuild(dir: string, env: Record<string, string>): Promise<BuildEvent[]> {
  const events: BuildEvent[] = [];
  const r = await build({ cwd: dir, env, emit: (e) => events.push(e) });
  expect(events.filter((e) => e.type === 'failed')).toEqual([]);
  expect(r.ok).toBe(true);
  return events;
}

const warnings = (events: BuildEvent[]): string[] => events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
const submitted = (events: BuildEvent[], id: string) => events.find((e) => e.type === 'submitted' && e.id === id);

describe('an intent resent after a kill', () => {
  it('v2 translation: resent with a "may be billed twice" warning, and not reported as replayed', async () => {
    const { emu, env, dir } = await project('v2');
    forgetAnswer(dir, (l) => l.videos.hello!.translations.es!);
    const before = emu.jobs().filter((j) => j.kind === 'translation').length;

    const events = await rebuild(dir, env);
    expect(warnings(events).filter((m) => m.includes('hello@es'))).toEqual([
      expect.stringMatching(/killed after recording its intent.*API v2 has no Idempotency-Key.*may be billed twice/),
    ]);
    expect(submitted(events, 'hello@es')).toMatchObject({ replayed: false });
    // Resent: a second job exists (which is what the warning is about), and the build finishes it.
    expect(emu.jobs().filter((j) => j.kind === 'translation')).toHaveLength(before + 1);
    expect(readLock(dir).videos.hello!.translations.es!.status).toBe('completed');
  });

  it('v2 video: warned as before, and not reported as replayed', async () => {
    const { env, dir } = await project('v2');
    forgetAnswer(dir, (l) => l.videos.hello!);
    const events = await rebuild(dir, env);
    expect(warnings(events).some((m) => m.startsWith('hello:') && m.includes('may be billed twice'))).toBe(true);
    expect(submitted(events, 'hello')).toMatchObject({ replayed: false });
  });

  it('v3 translation: replayed under its Idempotency-Key, no new job, no warning', async () => {
    const { emu, env, dir } = await project('v3');
    forgetAnswer(dir, (l) => l.videos.hello!.translations.es!);
    const before = emu.jobs().filter((j) => j.kind === 'translation').length;

    const events = await rebuild(dir, env);
    expect(warnings(events)).toEqual([]);
    expect(submitted(events, 'hello@es')).toMatchObject({ replayed: true });
    expect(emu.jobs().filter((j) => j.kind === 'translation')).toHaveLength(before);
  });

  it('v3 translation whose group changed since (a language added): sent with a new key, and warned', async () => {
    const { env, dir } = await project('v3');
    forgetAnswer(dir, (l) => l.videos.hello!.translations.es!);
    writeFileSync(join(dir, 'videos/hello.yaml'), 'avatar: presenter\nscenes:\n  - script: Hello there.\ntranslations: [es, fr]\n');

    const events = await rebuild(dir, env);
    expect(warnings(events).filter((m) => m.includes('hello@es'))).toEqual([
      expect.stringMatching(/new Idempotency-Key.*may be billed twice/),
    ]);
    expect(warnings(events).some((m) => m.includes('hello@fr'))).toBe(false);
    expect(submitted(events, 'hello@es')).toMatchObject({ replayed: false });
  });
});
