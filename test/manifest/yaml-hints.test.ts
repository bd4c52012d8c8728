/**
 * The YAML mistakes script writers make most are said in their words, with a fix that works when
 * pasted back, instead of yaml's parser-state messages.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { diagnosticsOf } from './helpers.js';

const load = diagnosticsOf;

/** The `key: "…"` the hint suggests. */
function suggestion(hint: string | undefined): string {
  const m = /double quotes, (\w+: ".*?[^\\]") \(a "/.exec(hint ?? '');
  if (!m?.[1]) throw new Error(`no quoted suggestion in: ${hint}`);
  return m[1];
}

describe('a colon and a space inside a plain value', () => {
  it('a script with "Step 1: ...": said as a colon in the value, at the value, with a quoted fix that parses to the same text', async () => {
    const ds = await load('avatar: presenter\nscenes:\n  - script: Step 1: open the "Reports" tab\n  - script: bye\n');
    expect(ds.map((d) => [d.code, d.location?.line, d.location?.column])).toEqual([['E_YAML_SYNTAX', 3, 13]]);
    expect(ds[0]?.message).toContain('the value of "script" contains ": " (a colon and a space)');
    expect(ds[0]?.message).toContain('(YAML: Nested mappings are not allowed in compact mappings)');
    const fix = suggestion(ds[0]?.hint);
    expect(parse(fix)).toEqual({ script: 'Step 1: open the "Reports" tab' });
    expect(ds[0]?.hint).toContain('script: >-');
  });

  it('a title too; a long value gets the rule rather than a copy of the text', async () => {
    const title = await load('title: Tip: save often\navatar: presenter\nscenes:\n  - script: hi\n');
    expect(title[0]?.message).toContain('the value of "title" contains ": "');
    expect(parse(suggestion(title[0]?.hint))).toEqual({ title: 'Tip: save often' });
    const long = await load(`avatar: presenter\nscenes:\n  - script: Note: ${'word '.repeat(30)}end\n`);
    expect(long[0]?.hint).toContain('script: "…" around the whole text');
  });

});

describe('a quote that is never closed', () => {
  it('is placed at the opening quote, not at the end of the file where yaml gives up', async () => {
    const ds = await load('avatar: presenter\nscenes:\n  - script: "Hello there\n  - script: bye\n  - script: third\n  - silence: 2\n');
    expect(ds.map((d) => [d.code, d.location?.line, d.location?.column])).toEqual([['E_YAML_SYNTAX', 3, 13]]);
    expect(ds[0]?.message).toContain('the " opened here is never closed');
    expect(ds[0]?.hint).toContain('close the text with "');
  });

  it('a single quote too', async () => {
    const ds = await load("title: 'Welcome\navatar: presenter\nscenes:\n  - script: hi\n");
    expect(ds.map((d) => [d.code, d.location?.line, d.location?.column])).toEqual([['E_YAML_SYNTAX', 1, 8]]);
    expect(ds[0]?.hint).toContain("written ''");
  });
});

describe('other mistakes', () => {
  it('other syntax errors keep yaml\'s message', async () => {
    const ds = await load("avatar: presenter\nscenes:\n  - script: 'it's fine'\n");
    expect(ds[0]?.code).toBe('E_YAML_SYNTAX');
    expect(ds[0]?.message).toBe('Unexpected scalar at node end');
  });
});
