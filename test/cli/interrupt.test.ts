/** `heygen-build build` interrupted (Ctrl-C) in-process: exit 130, and the lockfile holds what was in flight. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { tempProject } from '../helpers/cli.js';
import { cli, ndjson } from './run.js';

const KEY = 'test-key-cli-interrupt-77a1';
const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { poll: { minMs: 20, maxMs: 50, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
};
`;

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  // Renders outlast the test: the build can only end by the interrupt.
  emu = await startEmulator({ apiKey: KEY, renderMs: 60_000 });
  dir = tempProject({
    'heygen.config.mjs': CONFIG,
    'videos/a.yaml': 'avatar: presenter\nscenes:\n  - script: First video, interrupted.\n',
    'videos/b.yaml': 'avatar: presenter\nscenes:\n  - script: Second video, interrupted.\n',
  });
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('build, interrupted', () => {
  it('exits 130 after recording every submitted render, and says it was interrupted', async () => {
    const env = { HEYGEN_API_KEY: KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url };
    let sent = false;
    const r = await cli(['build', '-C', dir, '--json'], env, (chunk) => {
      // Ctrl-C once the first paid request has an answer. process.emit calls the CLI's handler
      // without a real signal, so nothing else in this process is disturbed.
      if (!sent && chunk.includes('"type":"submitted"')) {
        sent = true;
        process.emit('SIGINT');
      }
    });
    expect(r.code).toBe(130);
    expect(process.listeners('SIGINT')).toHaveLength(0);
    const events = ndjson(r.stdout);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: false, interrupted: true });
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    const jobs = emu.jobs().filter((j) => j.kind === 'video');
    // Every clip HeyGen accepted is recorded with its id and Idempotency-Key; nothing is left as a bare intent.
    const clips = Object.values(lock.clips ?? {});
    expect(clips.map((c) => `${c.status} ${c.remoteId} ${c.idempotencyKey}`).sort(byText)).toEqual(
      jobs.map((j) => `submitted ${j.id} ${j.idempotencyKey}`).sort(byText),
    );
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    // The videos themselves are not composed yet: no entry claims they are.
    expect(lock.videos).toEqual({});
  });
});

function byText(a: string, b: string): number {
  return a.localeCompare(b);
}
