/**
 * Indentation mistakes are reported where the indentation breaks, with a hint about indentation,
 * and tabs show in the code frame.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/errors.js';
import { SourceLines, codeFrame } from '../../src/manifest/frame.js';
import { indentationBreak } from '../../src/manifest/indent.js';
import { parseYaml } from '../../src/manifest/source.js';
import { REPO, diagnosticsOf } from './helpers.js';

const load = diagnosticsOf;

const where = (ds: Diagnostic[]): [string, number | undefined, number | undefined][] => ds.map((d) => [d.code, d.location?.line, d.location?.column]);

describe('indentation mistakes', () => {
  it('a key that lines up with nothing: at its line and first character, once', async () => {
    const ds = await load('avatar: presenter\nscenes:\n  - script: Hello there.\n    voice: narrator\n   background: "#000000"\n  - script: Two.\n');
    expect(where(ds)).toEqual([['E_YAML_SYNTAX', 5, 4]]);
    expect(ds[0]?.message).toMatch(/^this line is indented 3 spaces, which lines up with nothing above it \(blocks start at 0, 2, 4 spaces\)/);
    expect(ds[0]?.hint).toMatch(/indentation/);
    expect(ds[0]?.frame).toContain('> 5 |    background');
  });

  it('a key indented under a key that already has a value: at the indented line, not the one yaml names', async () => {
    const ds = await load('avatar: presenter\nvoice: narrator\ntitle: Intro\n  tags: [a]\nscenes:\n  - script: hi\n');
    // yaml itself blames line 3 ("Implicit keys need to be on a single line").
    expect(parseYaml('avatar: presenter\nvoice: narrator\ntitle: Intro\n  tags: [a]\n').errors[0]?.line).toBe(3);
    expect(where(ds)).toEqual([['E_YAML_SYNTAX', 4, 3]]);
    expect(ds[0]?.message).toContain('deeper than the line above allows');
  });

  it('a list item indented into the item above', async () => {
    const ds = await load('avatar: presenter\nvoice: narrator\nscenes:\n- script: one\n  - script: two\n');
    expect(where(ds)).toEqual([['E_YAML_SYNTAX', 5, 3]]);
    expect(ds[0]?.message).toContain('a list item (`- `) where a key of the map above was expected');
  });

  it('a first key indented off the margin: at line 1, not where yaml gives up', async () => {
    const ds = await load(' title: one bad indent\nvoice: narrator\nscenes:\n  - script: hi\n');
    expect(where(ds)[0]).toEqual(['E_YAML_SYNTAX', 1, 2]);
    expect(ds[0]?.message).toContain("top-level keys start at the left margin");
  });

  it('a tab: named in the message and shown as → in the frame', async () => {
    const ds = await load('avatar: presenter\nscenes:\n  - script: Hello there.\n\tvoice: narrator\n');
    expect(where(ds)).toEqual([['E_YAML_SYNTAX', 4, 1]]);
    expect(ds[0]?.message).toContain('indented with a tab (shown as → below)');
    expect(ds[0]?.hint).toContain('spaces');
    expect(ds[0]?.frame).toContain('> 4 | →voice: narrator');
    expect(ds[0]?.frame).toContain('= → is a tab');
  });

  it('keeps the caret under the right character on a line with tabs', () => {
    const frame = codeFrame('a: 1\nb:\t"x"\n', 2, 4);
    expect(frame.split('\n')).toEqual(['  1 | a: 1', '> 2 | b:→"x"', '    |    ^', '    = → is a tab']);
  });

  it('finds no break in valid manifests (the examples, the fixtures, unusual but valid layouts)', () => {
    const dirs = [path.join(REPO, 'examples'), path.join(REPO, 'test/fixtures/manifests/basic/videos')];
    const files = dirs.flatMap((d) => readdirSync(d, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(d, f)));
    const extra = [
      'scenes:\n- script: |\n    Text\n      more text\n  voice: narrator\ntags:\n- a\ntitle: x\n',
      'scenes:\n  - script: a plain\n      scalar on two lines\n    voice: narrator\n',
      'translations: [es,\n  fr]\nscenes:\n  -   script: hi\n      voice: v\n',
    ];
    const texts = [...files.map((f) => readFileSync(f, 'utf8')), ...extra];
    expect(files.length).toBeGreaterThan(3);
    for (const t of texts) {
      expect(parseYaml(t).errors).toEqual([]);
      const lines = new SourceLines(t);
      expect(indentationBreak(lines, 1, lines.count)).toBeUndefined();
    }
  });
});
