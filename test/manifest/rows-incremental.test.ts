/**
 * A CSV edited since the last run: only the records that changed are parsed (rows/incremental.ts).
 * Each edit is checked against a load without any cache: the same specs, lines and problems.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import { forgetHeldRows } from '../../src/manifest/rows/cache.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { rewriteCachedRows, rowsConfig, rowsProject, TEMPLATE } from './rows-helpers.js';

const ROWS = 40;

/** A CSV with quoted commas, doubled quotes and quoted line breaks here and there. */
function csv(eol = '\n'): string {
  const lines = ['id,name'];
  for (let i = 1; i <= ROWS; i++) {
    const name = i % 7 === 0 ? `"Smith, ${i}"` : i % 11 === 0 ? `"two${eol}lines ${i}"` : i % 13 === 0 ? `"say ""${i}"""` : `Name${i}`;
    lines.push(`${i},${name}`);
  }
  return lines.join(eol) + eol;
}

const scripts = (s: VideoSpec): string[] => s.scenes.map((x) => (x.input.type === 'script' ? x.input.text : x.input.type));

/** What a user sees of a load: every spec's id, scripts and row, and every problem with its place. */
function seen(r: LoadResult): unknown {
  const specs = [...r.specs].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => [s.id, s.title, scripts(s), s.row]);
  return { specs, problems: r.diagnostics.map((d) => [d.code, d.location, d.message]) };
}

function project(data: string): { root: string; run: (cache: boolean) => Promise<LoadResult>; write: (text: string) => void } {
  const root = rowsProject({ 'a.yaml': TEMPLATE, 'people.csv': data });
  const config = rowsConfig(root);
  return {
    root,
    run: (cache) => loadManifests([path.join(root, 'a.yaml')], { config, manifestsRoot: '.', cache }),
    write: (text) => writeFileSync(path.join(root, 'people.csv'), text),
  };
}

/** Each edit in turn, each after a valid cached run of the text before it. */
async function expectEditsMatchCold(start: string, edits: ((text: string) => string)[]): Promise<void> {
  const p = project(start);
  for (const edit of edits) {
    await p.run(true);
    const text = edit(start);
    p.write(text);
    const cold = seen(await p.run(false));
    // Read back from disk, as a new process would.
    forgetHeldRows();
    expect(seen(await p.run(true))).toEqual(cold);
    // Back to the start (a valid cached run), then the same edit with the rows held by this process (watch).
    p.write(start);
    await p.run(true);
    p.write(text);
    expect(seen(await p.run(true))).toEqual(cold);
    p.write(start);
  }
}

const edits: [string, (t: string) => string][] = [
  ['one cell, same length', (t) => t.replace('\n20,Name20\n', '\n20,Name2X\n')],
  ['one cell, longer', (t) => t.replace('\n20,Name20\n', '\n20,Somebody Else\n')],
  ['a cell that gains a quoted line break (the lines below move)', (t) => t.replace('\n5,Name5\n', '\n5,"Five\nlines"\n')],
  ['a row added at the top, in the middle and at the end', (t) => t.replace('id,name\n', 'id,name\n0,Zero\n').replace('\n21,', '\n100,Mid\n21,') + '101,End\n'],
  ['rows removed', (t) => t.replace('\n3,Name3\n', '\n').replace('\n22,"two\nlines 22"\n', '\n')],
  ['two cells far apart', (t) => t.replace('\n2,Name2\n', '\n2,Ann\n').replace('\n39,Name39\n', '\n39,Bo\n')],
  ['a row that repeats the one below it', (t) => t.replace('\n8,Name8\n', '\n9,Name9\n8,Name8\n')],
  ['blank lines added', (t) => t.replace('\n30,Name30\n', '\n\n30,Name30\n\n')],
  ['the last line break removed', (t) => t.slice(0, -1)],
  ['the header changed', (t) => t.replace('id,name\n', 'id,name,extra\n').replace(/\n(\d+),([^\n]*)/g, '\n$1,$2,x')],
  ['a quote never closed', (t) => t.replace('\n20,Name20\n', '\n20,"Name20\n')],
  ['a quote in the middle of a cell', (t) => t.replace('\n20,Name20\n', '\n20,Na"me20\n')],
  ['a row with an extra cell', (t) => t.replace('\n20,Name20\n', '\n20,Name20,x\n')],
  ['an empty cell', (t) => t.replace('\n20,Name20\n', '\n20,\n')],
  ['a duplicate id', (t) => t.replace('\n20,Name20\n', '\n19,Name20\n')],
  ['an edited row taking the id of a row below it', (t) => t.replace('\n5,Name5\n', '\n30,Name5\n')],
  ['two edited rows taking one new id', (t) => t.replace('\n2,Name2\n', '\n77,Ann\n').replace('\n39,Name39\n', '\n77,Bo\n')],
  ['many rows edited, one of them taking the id of an unchanged row', (t) => t.split('\n').map((l) => (/^([12]?\d|3[0-2]),Name/.test(l) ? l.replace('Name', 'Changed') : l)).join('\n').replace('\n18,Changed18\n', '\n35,Changed18\n')],
];

describe('a CSV edited since the last run', () => {
  for (const [what, edit] of edits) {
    it(`gives what a load without the cache gives: ${what}`, async () => {
      await expectEditsMatchCold(csv(), [edit]);
    });
  }

  it('gives what a load without the cache gives, with CRLF line breaks', async () => {
    const crlf = (t: string): string => t.replace(/\n/g, '\r\n');
    await expectEditsMatchCold(csv('\r\n'), edits.map(([, e]) => (t: string) => crlf(e(t.replace(/\r\n/g, '\n')))));
  });

  it("carries an unchanged record's cached row over without reading its cells", async () => {
    const p = project(csv());
    await p.run(true);
    // Mark row 1 in the cache: carried over, it keeps the mark; filled again, it would not.
    rewriteCachedRows(p.root, 'a.yaml', ([spec, key, d], i) => [i === 0 ? { ...spec, title: 'marked', row: { ...spec.row!, digest: 'not the cells' } } : spec, key, d]);
    p.write(csv().replace('\n20,Name20\n', '\n20,Edited\n'));
    const r = await p.run(true);
    expect(r.specs.find((s) => s.id === 'hi/1')?.title).toBe('marked');
    expect(scripts(r.specs.find((s) => s.id === 'hi/20')!)).toEqual(['Hello Edited!']);
  });

  it('compares with the kept bytes only when they are the ones the cache was written for', async () => {
    const p = project(csv());
    await p.run(true);
    const dir = path.join(p.root, '.heygen', 'cache', 'rows');
    const data = readdirSync(dir).find((f) => f.endsWith('.data'))!;
    // Other bytes kept (say, of a run killed between its two writes): here the edited file's own,
    // which compared with itself would carry row 20's old cached spec over.
    const edited = csv().replace('\n20,Name20\n', '\n20,Edited\n');
    writeFileSync(path.join(dir, data), edited);
    p.write(edited);
    expect(seen(await p.run(true))).toEqual(seen(await p.run(false)));
  });
});
