/**
 * Translation languages checked offline: the list shipped with the package (data/) until one is fetched
 * from HeyGen into .heygen/, then that one. The shipped list may lag behind HeyGen, so only names that are
 * no language at all are errors against it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { languageChecker, offlineLanguages, shippedLanguages } from '../../../src/execute/heygen/languages.js';
import { LANGUAGES, V2_LANGUAGES } from '../../../src/emulator/languages.js';
import { loadManifests } from '../../../src/manifest/index.js';
import { makeConfig } from '../../manifest/config.js';
import { cleanup, makeProject } from '../../manifest/helpers.js';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach(cleanup));
const project = (files: Record<string, string>): string => {
  const root = makeProject(files);
  roots.push(root);
  return root;
};

describe('the shipped language list', () => {
  it('is the list the emulator serves for v3, with the English accents for v2', () => {
    expect(shippedLanguages('v3')).toEqual(LANGUAGES);
    expect(shippedLanguages('v2')).toEqual(V2_LANGUAGES);
  });

  it('checks codes and names offline: an unknown name is an error, a real language it lacks only a warning', () => {
    const check = languageChecker(shippedLanguages(), 'shipped');
    expect(check.check('es')).toBeUndefined();
    expect(check.check('fr-CA')).toBeUndefined();
    expect(check.check('Japanese (Japan)')).toBeUndefined();
    expect(check.check('klingon')).toMatchObject({ severity: 'error' });
    expect(check.check('Germn (Germany)')).toMatchObject({ severity: 'error', message: expect.stringContaining('did you mean "German (Germany)"') });
    // Finnish is a language HeyGen may well offer; the shipped list just does not name it.
    expect(check.check('fi')).toMatchObject({ severity: 'warning', message: expect.stringContaining('the list shipped with heygen-build') });
    expect(check.check('pt')).toMatchObject({ severity: 'error', message: expect.stringContaining('ambiguous') });
  });

  it('gives way to the list fetched from HeyGen, which is authoritative (errors only)', async () => {
    const root = project({});
    expect((await offlineLanguages(makeConfig(root))).from).toBe('shipped');
    mkdirSync(path.join(root, '.heygen'));
    writeFileSync(path.join(root, '.heygen', 'languages-v3.json'), JSON.stringify({ fetchedAt: 0, languages: ['Spanish (Spain)'] }));
    const cached = await offlineLanguages(makeConfig(root));
    expect(cached.from).toBe('cached');
    expect(cached.check('fi')).toMatchObject({ severity: 'error' });
    expect(cached.check('es')).toBeUndefined();
  });
});

describe('loading manifests with the offline check', () => {
  const yaml = 'avatar: presenter\nscenes:\n  - script: hi\ntranslations:\n  - es\n  - klingon\n  - {language: fi, mode: precision}\n';

  it('reports each language at its place, the unlisted one as W_LANGUAGE_UNLISTED', async () => {
    const root = project({ 'v.yaml': yaml });
    const r = await loadManifests([path.join(root, 'v.yaml')], { config: makeConfig(root), manifestsRoot: '.', cache: false, languages: await offlineLanguages(makeConfig(root)) });
    expect(r.diagnostics.map((d) => [d.code, d.location?.line, d.location?.column])).toEqual([
      ['E_LANGUAGE', 6, 5],
      ['W_LANGUAGE_UNLISTED', 7, 16],
    ]);
    expect(r.diagnostics[0]?.message).toBe('translations[1]: "klingon" is not a translation language HeyGen lists');
  });

  it('re-checks cached manifests when the list changes', async () => {
    const root = project({ 'v.yaml': 'avatar: presenter\nscenes:\n  - script: hi\ntranslations: [fi]\n' });
    const config = makeConfig(root);
    const load = async (): Promise<string[]> =>
      (await loadManifests([path.join(root, 'v.yaml')], { config, manifestsRoot: '.', languages: await offlineLanguages(config) })).diagnostics.map((d) => d.code);
    expect(await load()).toEqual(['W_LANGUAGE_UNLISTED']);
    expect(await load()).toEqual(['W_LANGUAGE_UNLISTED']); // from the warm cache
    mkdirSync(path.join(root, '.heygen'), { recursive: true });
    writeFileSync(path.join(root, '.heygen', 'languages-v3.json'), JSON.stringify({ fetchedAt: 0, languages: ['Spanish (Spain)'] }));
    expect(await load()).toEqual(['E_LANGUAGE']);
  });
});
