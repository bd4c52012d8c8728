/** What a manifest must never do: read outside the project, overwrite the project, or hide a change. */
import { symlinkSync, utimesSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject } from './helpers.js';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach(cleanup));

const BASE = 'avatar: Daisy-inskirt-20220818\nvoice: 2d5b0e6cf36f460aa7fc47e3eee4ba54\n';

async function load(files: Record<string, string | Buffer>, prepare?: (root: string) => void) {
  const root = makeProject(files);
  roots.push(root);
  prepare?.(root);
  const abs = Object.keys(files).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(root, f));
  return { root, abs, result: await loadManifests(abs, { config: makeConfig(root), manifestsRoot: 'videos' }) };
}

const codes = (r: { diagnostics: { code: string }[] }) => r.diagnostics.map((d) => d.code);

describe('manifest guards', () => {
  it('refuses an asset that is a symlink to a file outside the project', async () => {
    const outside = path.join(tmpdir(), `hb-outside-${process.pid}.png`);
    writeFileSync(outside, 'not yours');
    const { result } = await load({ 'videos/a.yaml': `${BASE}background: {image: link.png}\nscenes:\n  - script: Hi.\n` }, (root) =>
      symlinkSync(outside, path.join(root, 'videos', 'link.png')),
    );
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'E_PATH_ESCAPE', location: expect.objectContaining({ file: 'videos/a.yaml', line: 3 }) })]);
    expect(result.specs).toEqual([]);
  });

  it('reports a manifest that is not UTF-8 at the first bad byte', async () => {
    const bytes = Buffer.concat([Buffer.from(`${BASE}scenes:\n  - script: caf`), Buffer.from([0xe9, 0x20, 0xff]), Buffer.from('\n')]);
    const { result } = await load({ 'videos/a.yaml': bytes });
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'E_ENCODING', location: expect.objectContaining({ line: 4, column: 16 }) })]);
  });

  it('reports a YAML alias bomb as a manifest error, and still checks the other files', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    const { result } = await load({ 'videos/bomb.yaml': bomb + '\n', 'videos/bad.yaml': `${BASE}scenes: 3\n` });
    expect(codes(result)).toContain('E_YAML_SYNTAX');
    expect(result.diagnostics.some((d) => d.location?.file === 'videos/bad.yaml')).toBe(true);
  });

  it('an output must be an .mp4 and must not overwrite an asset, a manifest or another video\'s files', async () => {
    const { result } = await load({
      'videos/notmp4.yaml': `${BASE}scenes:\n  - script: Hi.\noutput: ../out/\n`,
      'videos/bg.mp4': 'video bytes',
      'videos/uses-bg.yaml': `${BASE}background: {video: bg.mp4}\nscenes:\n  - script: Hi.\n`,
      'videos/clobber.yaml': `${BASE}scenes:\n  - script: Hi.\noutput: bg.mp4\n`,
      'videos/a.yaml': `${BASE}scenes:\n  - script: Hi.\ntranslations: [es]\n`,
      'videos/b.yaml': `${BASE}scenes:\n  - script: Hi.\noutput: ../out/a.es.mp4\n`,
    });
    const byFile = new Map(result.diagnostics.map((d) => [d.location?.file, d]));
    expect(byFile.get('videos/notmp4.yaml')).toMatchObject({ code: 'E_OUTPUT' });
    expect(byFile.get('videos/clobber.yaml')).toMatchObject({ code: 'E_OUTPUT', message: expect.stringContaining('would overwrite videos/bg.mp4') });
    expect(byFile.get('videos/b.yaml')).toMatchObject({ code: 'E_DUPLICATE_OUTPUT', message: expect.stringContaining('out/a.es.mp4') });
  });

  it("an output must not overwrite a template variable's file or a reviewed SRT (the next build would pay again, or lose the review)", async () => {
    const { result } = await load({
      'brand/intro.mp4': 'brand video bytes',
      'videos/welcome.yaml': 'template:\n  id: tpl_welcome\n  variables:\n    first_name: Ada\n    logo: ../brand/intro.mp4\n',
      'videos/clobber.yaml': `${BASE}scenes:\n  - script: Hi.\noutput: ../brand/intro.mp4\n`,
      'videos/webinar.yaml': `${BASE}scenes:\n  - script: Hi.\ntranslations:\n  - language: es\n    review: approved\n`,
      'translations/webinar.es.srt': '1\n00:00:00,000 --> 00:00:01,000\nHola.\n',
      'videos/subs.yaml': `${BASE}caption: true\nscenes:\n  - script: Hi.\noutput: ../translations/webinar.es.mp4\n`,
    });
    const byFile = new Map(result.diagnostics.map((d) => [d.location?.file, d]));
    expect(byFile.get('videos/clobber.yaml')).toMatchObject({ code: 'E_OUTPUT', message: expect.stringContaining('would overwrite brand/intro.mp4') });
    expect(byFile.get('videos/subs.yaml')).toMatchObject({ code: 'E_OUTPUT', message: expect.stringContaining('would overwrite translations/webinar.es.srt') });
    expect(byFile.has('videos/welcome.yaml')).toBe(false);
    expect(byFile.has('videos/webinar.yaml')).toBe(false);
  });

  it('sees new asset bytes even when the old mtime was put back (cp -p, rsync -a)', async () => {
    const files = { 'videos/a.yaml': `${BASE}background: {image: bg.png}\nscenes:\n  - script: Hi.\n`, 'videos/bg.png': 'AAAA' };
    const { root, abs, result: first } = await load(files);
    const png = path.join(root, 'videos', 'bg.png');
    const before = statSync(png);
    writeFileSync(png, 'BBBB');
    utimesSync(png, before.atime, before.mtime);
    const second = await loadManifests(abs, { config: makeConfig(root), manifestsRoot: 'videos' });
    expect(second.specs[0]!.background).not.toEqual(first.specs[0]!.background);
    expect(readFileSync(png, 'utf8')).toBe('BBBB');
  });

  it('a touch alone (new mtime, same bytes) changes nothing', async () => {
    const files = { 'videos/a.yaml': `${BASE}background: {image: bg.png}\nscenes:\n  - script: Hi.\n`, 'videos/bg.png': 'AAAA' };
    const { root, abs, result: first } = await load(files);
    const png = path.join(root, 'videos', 'bg.png');
    const later = new Date(Date.now() + 60_000);
    utimesSync(png, later, later);
    const second = await loadManifests(abs, { config: makeConfig(root), manifestsRoot: 'videos' });
    expect(second.specs).toEqual(first.specs);
  });
});
