/**
 * The alias rules a writer meets: `{id: ...}` is always a raw HeyGen id, `{alias: ...}` always an
 * alias, an id next to an alias name gets a warning, and one unknown alias is one error (no
 * follow-on "no voice" errors for the same mistake).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import { EXAMPLE_ALIASES, makeConfig, type TestConfigInput } from './config.js';
import { cleanup, makeProject } from './helpers.js';

async function load(yaml: string, over: TestConfigInput = {}): Promise<LoadResult> {
  const root = makeProject({ 'v.yaml': yaml });
  try {
    return await loadManifests([path.join(root, 'v.yaml')], { config: makeConfig(root, over), manifestsRoot: '.', cache: false });
  } finally {
    cleanup(root);
  }
}

const brief = (r: LoadResult): [string, string, number | undefined, number | undefined][] =>
  r.diagnostics.map((d) => [d.severity, d.code, d.location?.line, d.location?.column]);

describe('alias rules', () => {
  it('never resolves `{id: name}` as an alias, and warns at the id that an alias has that name', async () => {
    const r = await load('avatar: presenter\nvoice: {id: narrator, speed: 1.2}\nscenes:\n  - script: hi\n');
    expect(r.specs[0]?.voice).toEqual({ id: 'narrator', label: 'narrator', speed: 1.2, pitch: 0 });
    expect(brief(r)).toEqual([['warning', 'W_ALIAS_ID', 2, 13]]);
    expect(r.diagnostics[0]?.message).toContain('always a raw HeyGen id');
    expect(r.diagnostics[0]?.hint).toContain('{alias: narrator}');
  });

  it('resolves `{alias: name}` with the map fields over the alias', async () => {
    const r = await load('avatar: {alias: host, scale: 0.5}\nvoice: {alias: narrator, speed: 1.2}\nscenes:\n  - script: hi\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.specs[0]?.voice).toEqual({ id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', label: 'narrator', speed: 1.2, pitch: 0 });
    expect(r.specs[0]?.avatar).toMatchObject({ id: 'Tyler-incasualsuit-20220721', label: 'host', scale: 0.5 });
  });

  it('warns with the suggestion when a map id is a typo of an alias (`{id: narator}`)', async () => {
    const r = await load('avatar: {id: presentr}\nvoice: {id: narator}\nscenes:\n  - script: hi\n');
    expect(brief(r)).toEqual([
      ['warning', 'W_ALIAS_ID', 1, 14],
      ['warning', 'W_ALIAS_ID', 2, 13],
    ]);
    expect(r.diagnostics[1]?.message).toContain('did you mean the voice alias "narrator"?');
    // Still a valid manifest: the ids are used as written.
    expect(r.specs[0]?.voice?.id).toBe('narator');
  });

  it('does not warn for a map id that is nothing like an alias', async () => {
    const r = await load('avatar: presenter\nvoice: {id: 2d5b0e6cf36f460aa7fc47e3eee4ba54}\nscenes:\n  - script: hi\n');
    expect(r.diagnostics).toEqual([]);
  });

  it('reports an unknown `{alias: ...}` (never taken as an id), with a suggestion', async () => {
    const r = await load('avatar: presenter\nvoice: {alias: narator}\nscenes:\n  - script: hi\n');
    expect(brief(r)).toEqual([['error', 'E_UNKNOWN_ALIAS', 2, 8]]);
    expect(r.diagnostics[0]?.message).toContain('did you mean "narrator"?');
  });

  it("an avatar alias whose config voice is a typo: the did-you-mean, and a fix that can be made in the config", async () => {
    const avatars = { presenter: { ...EXAMPLE_ALIASES.avatars.presenter, voice: 'narator' } };
    const r = await load('avatar: presenter\nscenes:\n  - script: hi\n', { avatars });
    expect(brief(r)).toEqual([['error', 'E_UNKNOWN_ALIAS', 1, 9]]);
    expect(r.diagnostics[0]?.message).toContain('names voice "narator", which is not a voice alias; did you mean "narrator"?');
    // The config's alias takes a string only: `{id: ...}` cannot be written there.
    expect(r.diagnostics[0]?.hint).toContain('avatars.presenter.voice');
    expect(r.diagnostics[0]?.hint).not.toContain('{id:');
  });

  it('refuses a map with both id and alias', async () => {
    const r = await load('avatar: presenter\nvoice: {id: abc, alias: narrator}\nscenes:\n  - script: hi\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E_SCHEMA']);
    expect(r.diagnostics[0]?.message).toContain('has both "id" and "alias"');
  });

  it('reports an unknown avatar alias once, without follow-on E_NO_VOICE for its scenes', async () => {
    // `presenter` brings the voice; the typo hides it, but the scenes' missing voice is the same mistake.
    const r = await load('avatar: presentr\nscenes:\n  - script: one\n  - script: two\n  - avatar: hots\n    script: three\n');
    expect(r.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([
      ['E_UNKNOWN_ALIAS', 1],
      ['E_UNKNOWN_ALIAS', 5],
    ]);
  });

  it('still reports E_NO_VOICE when nothing could have given a voice', async () => {
    // (An avatar with no voice is spoken by its look's default voice, which the plan checks in the catalog.)
    const r = await load('background: "#000000"\nscenes:\n  - script: one\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E_NO_VOICE']);
  });
});
