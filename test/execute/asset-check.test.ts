/**
 * The check that a composition read the planned bytes (src/execute/asset-check.ts): what it refuses,
 * and that a file shared by many videos is hashed once per build while it stays as it is. Hashes are
 * counted, not timed.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AssetCheck, RACY_MS } from '../../src/execute/asset-check.js';
import { laidOutFiles } from '../../src/execute/laid-out.js';
import type { LocalAsset, SceneSpec } from '../../src/model/spec.js';
import { makeSpec } from '../helpers/specs.js';

const root = mkdtempSync(join(tmpdir(), 'asset-check-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sha = (bytes: string): string => createHash('sha256').update(bytes).digest('hex');

/** A checker whose clock is `ahead` ms past the real one (past RACY_MS: files written here count as settled), counting hashes. */
function checker(ahead: number): { check: AssetCheck; hashed: () => number } {
  let n = 0;
  const hash = (abs: string): Promise<string> => {
    n++;
    return Promise.resolve(sha(readFileSync(abs, 'utf8')));
  };
  return { check: new AssetCheck(root, { now: () => Date.now() + ahead, hash }), hashed: () => n };
}

describe('AssetCheck', () => {
  it('hashes a file shared by 200 videos once, then sees new bytes of the same size written in place', async () => {
    writeFileSync(join(root, 'bg.png'), 'red picture');
    const { check, hashed } = checker(RACY_MS + 10_000);
    const planned = { path: 'bg.png', sha256: sha('red picture') };
    await Promise.all(Array.from({ length: 200 }, () => check.verify([planned], 'the composition of v')));
    expect(hashed()).toBe(1);
    writeFileSync(join(root, 'bg.png'), 'new picture');
    await expect(check.verify([planned], 'the composition of v')).rejects.toMatchObject({
      code: 'E_ASSET_CHANGED',
      message: expect.stringMatching(/^bg\.png changed during the build: it no longer has the bytes the plan read, so the composition of v/),
    });
    expect(hashed()).toBe(2);
  });

  it('sees a file replaced by rename (a checkout) with the planned bytes back: checked again, and passes', async () => {
    writeFileSync(join(root, 'a.wav'), 'take one');
    const { check, hashed } = checker(RACY_MS + 10_000);
    const planned = { path: 'a.wav', sha256: sha('take one') };
    await check.verify([planned], 'x');
    writeFileSync(join(root, 'a.wav.tmp'), 'take one');
    renameSync(join(root, 'a.wav.tmp'), join(root, 'a.wav'));
    await check.verify([planned], 'x');
    expect(hashed()).toBe(2);
  });

  it('does not remember a file changed within RACY_MS of the check: a second write in the same tick would not show', async () => {
    writeFileSync(join(root, 'fresh.png'), 'just saved');
    const { check, hashed } = checker(0);
    const planned = { path: 'fresh.png', sha256: sha('just saved') };
    for (let i = 0; i < 3; i++) await check.verify([planned], 'x');
    expect(hashed()).toBe(3);
  });

  it('refuses a file that is gone, naming it', async () => {
    const { check } = checker(RACY_MS + 10_000);
    await expect(check.verify([{ path: 'videos/gone.png', sha256: sha('x') }], 'the draft of v')).rejects.toMatchObject({
      code: 'E_ASSET_CHANGED',
      message: expect.stringContaining('videos/gone.png changed during the build: it is gone or unreadable'),
    });
  });
});

describe('laidOutFiles', () => {
  const file = (path: string): LocalAsset => ({ kind: 'local', path, sha256: sha(path), size: 1 });
  const image = (path: string) => ({ type: 'image', source: file(path), fit: 'contain' }) as const;
  const scenes: SceneSpec[] = [
    { input: { type: 'script', text: 'HeyGen composited this one.' }, background: image('cover.png') },
    { input: { type: 'script', text: 'A transparent avatar over a picture.' }, background: image('side.png') },
    { input: { type: 'audio', source: file('outro.wav') } },
    { input: { type: 'audio', source: file('spoken.wav') } },
  ];

  it('lists the backgrounds and audio files composed here, not those HeyGen composited or spoke', () => {
    const spec = makeSpec('v', { background: image('default.png'), scenes });
    // Scene 3 has no clip (its audio is laid out here); scene 4's audio was spoken by an avatar at HeyGen.
    expect(laidOutFiles(spec, ['scene', 'alpha', undefined, 'alpha']).map((f) => f.path)).toEqual(['side.png', 'default.png', 'outro.wav']);
    // A draft reads them all.
    expect(laidOutFiles(spec, scenes.map(() => 'placeholder')).map((f) => f.path)).toEqual(['cover.png', 'side.png', 'default.png', 'outro.wav', 'spoken.wav']);
  });

  it('a voiceover shows no background: only its audio files', () => {
    const spec = makeSpec('v', { output: 'out/v.mp3', background: image('default.png'), scenes });
    expect(laidOutFiles(spec, scenes.map(() => 'placeholder')).map((f) => f.path)).toEqual(['outro.wav', 'spoken.wav']);
  });
});
