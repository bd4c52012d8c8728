/**
 * A schema error no longer hides what the resolver finds in the rest of the file: unknown aliases,
 * missing files and bad pauses come in the same run, and nothing is said about the broken parts twice.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject, posOf } from './helpers.js';

const roots: string[] = [];
afterAll(() => roots.forEach(cleanup));

async function load(text: string): Promise<{ file: string; found: [string, number, number, string][] }> {
  const root = makeProject({ 'videos/a.yaml': text });
  roots.push(root);
  const r = await loadManifests([path.join(root, 'videos/a.yaml')], { config: makeConfig(root), manifestsRoot: '.', cache: false });
  const found = r.diagnostics.map((d): [string, number, number, string] => [d.code, d.location?.line ?? 0, d.location?.column ?? 0, d.message]);
  return { file: path.join(root, 'videos/a.yaml'), found };
}

const at = (file: string, needle: string, after?: string): [number, number] => {
  const p = posOf(file, needle, after);
  return [p.line, p.column];
};

describe('a manifest with schema errors', () => {
  it('also reports the aliases, files and pauses of its valid parts, each at its place', async () => {
    const { file, found } = await load(`title: A
avatar: hots
voice: narator
background:
  image: missing.png
scenes:
  - script: Hello <break time=1s>
    bogus: 1
  - script: Second
    audio: nope.mp3
  - audio: gone.mp3
`);
    expect(found).toEqual([
      ['E_UNKNOWN_ALIAS', ...at(file, 'hots'), 'unknown avatar alias "hots"; did you mean "host"?'],
      ['E_UNKNOWN_ALIAS', ...at(file, 'narator'), 'unknown voice alias "narator"; did you mean "narrator"?'],
      ['E_ASSET_MISSING', ...at(file, 'missing.png'), expect.stringContaining('background image "missing.png" not found')],
      ['E_SCHEMA', ...at(file, 'Hello'), 'scenes[0].script has a malformed pause <break time=1s>'],
      ['E_UNKNOWN_KEY', ...at(file, 'bogus'), 'unknown key "bogus" in scenes[0]'],
      ['E_SCHEMA', ...at(file, 'audio', 'Second'), expect.stringContaining('scenes[1] has both "script" and "audio"')],
      ['E_ASSET_MISSING', ...at(file, 'gone.mp3'), expect.stringContaining('audio "gone.mp3" not found')],
    ]);
  });

  it('says nothing more about a part the schema rejects, nor what follows from a misspelt key', async () => {
    // The voice is bad (speed), the scene is bad (two inputs): no alias or file check runs on them.
    // `avatr:` is unknown, so the video has no avatar or voice: no E_NO_VOICE on top of E_UNKNOWN_KEY.
    const { found } = await load(`voice: {alias: narator, speed: 9}
scenes:
  - script: Hi
    audio: nope.mp3
`);
    expect(found.map((f) => f[0])).toEqual(['E_SCHEMA', 'E_SCHEMA']);
    const typo = await load(`avatr: host
scenes:
  - script: Hi
`);
    expect(typo.found.map((f) => f[0])).toEqual(['E_UNKNOWN_KEY']);
  });
});
