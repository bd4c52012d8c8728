import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/errors.js';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import { makeConfig } from './config.js';
import { at, cleanup, fixture, forFile, makeProject, posOf } from './helpers.js';

const ROOT = fixture('errors');
const file = (name: string): string => path.join(ROOT, name);

let result: LoadResult;

function only(name: string): Diagnostic {
  const ds = forFile(result.diagnostics, name);
  expect(ds, `diagnostics for ${name}: ${JSON.stringify(ds)}`).toHaveLength(1);
  return ds[0] as Diagnostic;
}

beforeAll(async () => {
  const files = readdirSync(ROOT)
    .filter((f) => f.endsWith('.yaml'))
    .map(file);
  result = await loadManifests(files, { config: makeConfig(ROOT), manifestsRoot: '.', cache: false });
});

describe('bad manifests: every problem of every file in one run, at file:line:col', () => {
  it('reports all files at once and keeps only the good specs', () => {
    // A diagnostic without a file shows up as '(no file)', which no fixture is called.
    const files = new Set(result.diagnostics.map((d) => d.location?.file ?? '(no file)'));
    // Every fixture has a problem: both manifests of a duplicate pair are reported, so neither is kept
    // (watch would otherwise render the first by path under the id both claim).
    const all = readdirSync(ROOT).filter((f) => f.endsWith('.yaml'));
    expect([...files].sort()).toEqual(all.sort());
    expect(result.specs).toEqual([]);
    for (const d of result.diagnostics) expect(d.severity).toBe('error');
  });

  it('E_YAML_SYNTAX at the opening quote that is never closed (not at the end of the file), with a code frame', () => {
    const d = only('syntax.yaml');
    expect(d.code).toBe('E_YAML_SYNTAX');
    expect(d.message).toMatch(/quote/i);
    expect(d.message).not.toMatch(/at line/);
    expect(at(d)).toEqual(posOf(file('syntax.yaml'), '"Hello'));
    expect(d.frame).toContain('> 3 |');
  });

  it('E_MERGE_CONFLICT at the first marker, with a hint to resolve it', () => {
    const d = only('conflict.yaml');
    expect(d.code).toBe('E_MERGE_CONFLICT');
    expect(at(d)).toEqual(posOf(file('conflict.yaml'), '<<<<<<<'));
    expect(d.hint).toMatch(/resolve the conflict/);
  });

  it('E_SCHEMA in plain words at the offending value', () => {
    const d = only('range.yaml');
    expect(d.code).toBe('E_SCHEMA');
    expect(d.message).toContain('scenes[1].voice.speed must be <= 1.5');
    expect(at(d)).toEqual(posOf(file('range.yaml'), '1.8'));
    // The frame marks the column under the value.
    const lines = (d.frame ?? '').split('\n');
    const marked = lines.findIndex((l) => l.startsWith('>'));
    const src = lines[marked] ?? '';
    const caret = lines[marked + 1] ?? '';
    expect(caret.indexOf('^')).toBe(src.indexOf('1.8'));
    expect(lines.filter((l) => /^\s+\d+ \|/.test(l) || l.startsWith('>')).length).toBeGreaterThanOrEqual(3);
  });

  it('E_UNKNOWN_KEY at the key, with did-you-mean, and no extra "missing script" error', () => {
    const d = only('typo.yaml');
    expect(d.code).toBe('E_UNKNOWN_KEY');
    expect(d.message).toContain('"scirpt"');
    expect(d.message).toContain('did you mean "script"?');
    expect(at(d)).toEqual(posOf(file('typo.yaml'), 'scirpt'));
  });

  it('E_MISSING_KEY at the parent map', () => {
    const d = only('missing.yaml');
    expect(d.code).toBe('E_MISSING_KEY');
    expect(d.message).toContain('"scenes"');
    expect(at(d)).toEqual(posOf(file('missing.yaml'), 'title:'));
  });

  it('E_UNKNOWN_ALIAS with did-you-mean and a hint', () => {
    const d = only('alias.yaml');
    expect(d.code).toBe('E_UNKNOWN_ALIAS');
    expect(d.message).toContain('did you mean "presenter"?');
    expect(d.hint).toContain('avatars:');
    expect(d.hint).toContain('{id: presentr}');
    expect(at(d)).toEqual(posOf(file('alias.yaml'), 'presentr'));
  });

  it('E_ASSET_MISSING at the path', () => {
    const d = only('asset.yaml');
    expect(d.code).toBe('E_ASSET_MISSING');
    expect(d.message).toContain('img/nope.png');
    expect(at(d)).toEqual(posOf(file('asset.yaml'), 'img/nope.png'));
  });

  it('E_PATH_ESCAPE for .. and absolute paths, output included', () => {
    const ds = forFile(result.diagnostics, 'escape.yaml');
    expect(ds.map((d) => d.code)).toEqual(['E_PATH_ESCAPE', 'E_PATH_ESCAPE']);
    expect(ds.map(at)).toEqual([posOf(file('escape.yaml'), '../../outside.mp4'), posOf(file('escape.yaml'), '/etc/hostname')]);
  });

  it('E_DIMENSION names the nearest valid value', () => {
    const d = only('dimension.yaml');
    expect(d.code).toBe('E_DIMENSION');
    expect(d.message).toContain('1281');
    expect(d.message).toContain('nearest valid value is 1280');
    expect(at(d)).toEqual(posOf(file('dimension.yaml'), '1281'));
  });

  it('E_NO_VOICE for a script scene when nothing gives a voice (silent scenes need none)', () => {
    const d = only('novoice.yaml');
    expect(d.code).toBe('E_NO_VOICE');
    expect(d.message).toContain('scenes[1]');
    expect(at(d)).toEqual(posOf(file('novoice.yaml'), 'script'));
  });

  it('E_EMPTY for an empty file', () => {
    const d = only('empty.yaml');
    expect(d.code).toBe('E_EMPTY');
    expect(at(d)).toEqual({ line: 1, column: 1 });
  });

  it('E_DUPLICATE_ID at the second file, naming the first', () => {
    const d = only('dup-b.yaml');
    expect(d.code).toBe('E_DUPLICATE_ID');
    const first = posOf(file('dup-a.yaml'), 'shared-id');
    expect(d.message).toContain(`dup-a.yaml:${first.line}:${first.column}`);
    expect(at(d)).toEqual(posOf(file('dup-b.yaml'), 'shared-id'));
  });

  it('E_DUPLICATE_OUTPUT names both locations', () => {
    const d = only('out-b.yaml');
    expect(d.code).toBe('E_DUPLICATE_OUTPUT');
    const first = posOf(file('out-a.yaml'), 'out/same.mp4');
    expect(d.message).toContain(`out-a.yaml:${first.line}:${first.column}`);
    expect(at(d)).toEqual(posOf(file('out-b.yaml'), 'out/same.mp4'));
  });

  it('explains an unquoted #color, which YAML reads as a comment', () => {
    const d = only('color.yaml');
    expect(d.code).toBe('E_SCHEMA');
    expect(d.hint).toMatch(/quote colors/);
    expect(at(d)).toEqual(posOf(file('color.yaml'), 'background'));
  });

  it('diagnostics are sorted by file, line, column', () => {
    const keys = result.diagnostics.map((d) => [d.location?.file ?? '', d.location?.line ?? 0, d.location?.column ?? 0] as const);
    const sorted = [...keys].sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
  });
});

describe('more schema messages', () => {
  async function load(yaml: string, extra: Record<string, string> = {}): Promise<Diagnostic[]> {
    const root = makeProject({ 'v.yaml': yaml, ...extra });
    try {
      const r = await loadManifests([path.join(root, 'v.yaml')], { config: makeConfig(root), manifestsRoot: '.', cache: false });
      return r.diagnostics;
    } finally {
      cleanup(root);
    }
  }

  it('E_SCRIPT_TOO_LONG says the length and the limit', async () => {
    const [d, ...rest] = await load(`avatar: presenter\nscenes:\n  - script: ${'a'.repeat(5001)}\n`);
    expect(rest).toEqual([]);
    expect(d?.code).toBe('E_SCRIPT_TOO_LONG');
    expect(d?.message).toContain('5,001');
    expect(d?.message).toContain('5,000');
    expect(at(d)).toEqual({ line: 3, column: 13 });
    // The frame shows a window of the 5,001-character line, not all of it.
    expect(Math.max(...(d?.frame ?? '').split('\n').map((l) => l.length))).toBeLessThan(200);
  });

  it('picks the branch that matches what was written, with did-you-mean for keys and values', async () => {
    const ds = await load(
      [
        'avatar: {alias: presenter, style: closeup}',
        'dimension: 720P',
        'background: {imag: bg.png}',
        'scenes:',
        '  - script: hi',
        '    audio: a.mp3',
        '  - {}',
        'translations: [{language: fr, mode: fast}]',
        '',
      ].join('\n'),
    );
    const byLine = new Map(ds.map((d) => [d.location?.line, d]));
    expect(byLine.get(1)?.message).toBe('avatar.style must be one of normal, closeUp, circle (got "closeup"); did you mean "closeUp"?');
    expect(byLine.get(2)?.message).toContain('did you mean "720p"?');
    expect(byLine.get(3)).toMatchObject({ code: 'E_UNKNOWN_KEY', location: { column: 14 } });
    expect(byLine.get(3)?.message).toContain('did you mean "image"?');
    expect(byLine.get(6)?.message).toContain('has both "script" and "audio"');
    expect(byLine.get(7)).toMatchObject({ code: 'E_MISSING_KEY' });
    expect(byLine.get(7)?.message).toContain('needs one of "script", "audio" or "silence"');
    expect(byLine.get(8)?.message).toContain('translations[0].mode must be one of speed, precision');
    expect(ds).toHaveLength(6);
  });

  it('a map that fits one shape only is reported as missing what that shape needs', async () => {
    const ds = await load('avatar: presenter\nvoice: {speed: 1.2}\ndimension: {orientation: portrait}\nscenes:\n  - script: hi\n');
    expect(ds.map((d) => [d.code, d.message, d.location?.line, d.location?.column])).toEqual([
      ['E_MISSING_KEY', 'voice needs one of "id" or "alias"', 2, 8],
      ['E_MISSING_KEY', 'dimension is missing the key "preset"', 3, 12],
    ]);
  });

  it('semantic problems: malformed pause, URL scheme, repeated translation', async () => {
    const ds = await load(
      [
        'avatar: presenter',
        'scenes:',
        '  - script: hello <break time=1s/> there',
        '  - audio: ftp://host/a.mp3',
        'translations: [es, {language: es}]',
        '',
      ].join('\n'),
    );
    expect(ds.map((d) => [d.code, d.location?.line])).toEqual([
      ['E_SCHEMA', 3],
      ['E_SCHEMA', 4],
      ['E_SCHEMA', 5],
    ]);
    expect(ds[0]?.hint).toContain('<break time="1.5s"/>');
  });

  it('an id cannot climb out of the output folder', async () => {
    const [d, ...rest] = await load('id: a/../../../etc/x\navatar: presenter\nscenes:\n  - script: hi\n');
    expect(rest).toEqual([]);
    expect(d?.code).toBe('E_SCHEMA');
    expect(d?.message).toContain('".."');
    expect(at(d)).toEqual({ line: 1, column: 5 });
  });

  it('never throws on odd input: a list, binary noise, only comments', async () => {
    expect((await load('- a\n- b\n'))[0]?.message).toContain('must be a map');
    expect((await load('# nothing\n'))[0]?.code).toBe('E_EMPTY');
    const noise = await load('\u0000\u0001: [\n');
    expect(noise.length).toBeGreaterThan(0);
    expect(noise[0]?.code).toBe('E_YAML_SYNTAX');
  });

  it('a missing manifest file is reported, not thrown', async () => {
    const root = makeProject({});
    try {
      const r = await loadManifests([path.join(root, 'gone.yaml')], { config: makeConfig(root), manifestsRoot: '.', cache: false });
      expect(r.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['E_READ', 'gone.yaml']]);
    } finally {
      cleanup(root);
    }
  });
});

describe('defaults from the config', () => {
  it('reports invalid defaults once, against the config file, not once per manifest', async () => {
    const root = fixture('bad-defaults');
    const config = makeConfig(root, {
      configFile: path.join(root, 'heygen.config.ts'),
      defaults: { background: { image: 'bg.png', fit: 'stretch' }, avatar: 'presentr' },
    });
    const r = await loadManifests([path.join(root, 'videos/a.yaml'), path.join(root, 'videos/b.yaml')], {
      config,
      manifestsRoot: 'videos',
      cache: false,
    });
    expect(r.specs).toEqual([]);
    const where = posOf(path.join(root, 'heygen.config.ts'), 'defaults:');
    const codes = r.diagnostics.map((d) => d.code).sort();
    expect(codes).toEqual(['E_ASSET_MISSING', 'E_SCHEMA', 'E_UNKNOWN_ALIAS']);
    for (const d of r.diagnostics) {
      expect(d.location?.file).toBe('heygen.config.ts');
      expect(at(d)).toEqual(where);
    }
    expect(r.diagnostics.find((d) => d.code === 'E_SCHEMA')?.message).toContain('defaults: background.fit must be one of');
    expect(r.diagnostics.find((d) => d.code === 'E_UNKNOWN_ALIAS')?.message).toContain('did you mean "presenter"?');
  });
});
