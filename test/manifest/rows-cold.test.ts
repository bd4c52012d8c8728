/**
 * A rows manifest's cold path and its edits: read by the fast parser (yaml only when a position is
 * asked for), its keys those of the same videos written as ordinary manifests, and an edit parsed
 * where it changed giving what a load without any cache gives, whatever it changes.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentKey } from '../../src/hash/key.js';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import { parseFast } from '../../src/manifest/parse-fast.js';
import { forgetHeldRows } from '../../src/manifest/rows/cache.js';
import { useRowsPerChunk } from '../../src/manifest/rows/chunks.js';
import { derivedCache, sceneFacts } from '../../src/plan/derived.js';
import { rowsCacheFiles, rowsConfig, rowsProject } from './rows-helpers.js';

let was = 0;
beforeAll(() => void (was = useRowsPerChunk(4)));
afterAll(() => void useRowsPerChunk(was));

const ROWS = 13;
const PLANS = ['pro', 'free', 'team'];

/** A flow map (`when:`), filters and a default: what the fast parser reads through js-yaml. */
const TEMPLATE = `rows: people.csv
id: hi/{{ id }}
title: "{{ name | upper }} / {{ team | default('solo') | lower }}"
avatar: presenter
scenes:
  - script: Hello {{ name }}, welcome to {{ team | default('the team') }}.
  - script: Your {{ plan | upper }} plan is ready.
    when: {column: plan, not: free}
  - script: See you soon.
`;

/** The same data, with a comment the fast parser declines ("&"): `yaml` reads it, as before. */
const VIA_YAML = `${TEMPLATE}# rows & scenes\n`;

function csv(edit?: (i: number, cells: string[]) => string[]): string {
  const lines = ['id,name,team,plan,note'];
  for (let i = 0; i < ROWS; i++) {
    const cells = [String(i), `Name ${i}`, i % 5 === 0 ? '' : `Team ${i % 4}`, PLANS[i % 3]!, `note ${i}`];
    lines.push((edit ? edit(i, cells) : cells).join(','));
  }
  return lines.join('\n') + '\n';
}

function project(files: Record<string, string>): { root: string; run: (cache: boolean, rel?: string) => Promise<LoadResult>; write: (rel: string, text: string) => void } {
  const root = rowsProject(files);
  const config = rowsConfig(root);
  return {
    root,
    run: (cache, rel = 'a.yaml') => loadManifests([path.join(root, rel)], { config, manifestsRoot: '.', cache, derived: derivedCache }),
    write: (rel, text) => writeFileSync(path.join(root, rel), text),
  };
}

/** What a user and the planner see of a load: each row's spec, content key and clip keys, and every problem with its place. */
function seen(r: LoadResult): { rows: unknown[]; problems: unknown[] } {
  const specs = [...r.specs].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    rows: specs.map((s) => [JSON.parse(JSON.stringify(s)) as unknown, contentKey(s), sceneFacts(s)]),
    problems: r.diagnostics.map((d) => [d.code, d.severity, d.location, d.message, d.hint]),
  };
}

describe('a rows manifest read by the fast parser', () => {
  it('is read by it (and the variant is not), so the comparisons below compare two paths', () => {
    expect(parseFast(TEMPLATE)).toBeDefined();
    expect(parseFast(VIA_YAML)).toBeUndefined();
  });

  it('gives the specs, content keys and clip keys of yaml\'s reading', async () => {
    const fast = project({ 'a.yaml': TEMPLATE, 'people.csv': csv() });
    const slow = project({ 'a.yaml': VIA_YAML, 'people.csv': csv() });
    const a = seen(await fast.run(false));
    expect(a.rows).toHaveLength(ROWS);
    expect(a).toEqual(seen(await slow.run(false)));
  });

  // Each problem is placed from yaml's parse, made when asked for: the same file:line:col either way.
  const broken: [string, string, string?][] = [
    ['an unknown column', TEMPLATE.replace('{{ plan | upper }}', '{{ plam | upper }}')],
    ['an unknown filter', TEMPLATE.replace('{{ name | upper }}', '{{ name | uper }}')],
    ['a when: written wrong', TEMPLATE.replace('not: free', 'nott: free')],
    ['a value the schema refuses', TEMPLATE.replace('avatar: presenter', 'avatar: presenter\ncaption: loud')],
    ['a cell that fills to a bad value', TEMPLATE.replace('title: ', 'dimension: "{{ note }}"\ntitle: ')],
    ['an empty cell without a default', TEMPLATE, csv((i, c) => (i === 6 ? [c[0]!, '', ...c.slice(2)] : c))],
    ['two rows with one id', TEMPLATE, csv((i, c) => (i === 9 ? ['2', ...c.slice(1)] : c))],
  ];
  for (const [what, text, data] of broken) {
    it(`places ${what} exactly where yaml's reading does`, async () => {
      const fast = project({ 'a.yaml': text, 'people.csv': data ?? csv() });
      const slow = project({ 'a.yaml': `${text}# rows & scenes\n`, 'people.csv': data ?? csv() });
      const a = seen(await fast.run(false));
      expect(a.problems.length).toBeGreaterThan(0);
      expect(a).toEqual(seen(await slow.run(false)));
    });
  }
});

describe('rows keys', () => {
  it('are the keys of the same videos written as ordinary manifests', async () => {
    // Each row filled by hand: what a user would write without rows:.
    const files: Record<string, string> = { 'a.yaml': TEMPLATE, 'people.csv': csv() };
    for (let i = 0; i < ROWS; i++) {
      const team = i % 5 === 0 ? '' : `Team ${i % 4}`;
      const plan = PLANS[i % 3]!;
      const scenes = [`  - script: Hello Name ${i}, welcome to ${team || 'the team'}.`];
      if (plan !== 'free') scenes.push(`  - script: Your ${plan.toUpperCase()} plan is ready.`);
      scenes.push('  - script: See you soon.');
      files[`one/${i}.yaml`] = `id: hi/${i}\ntitle: "NAME ${i} / ${(team || 'solo').toLowerCase()}"\navatar: presenter\nscenes:\n${scenes.join('\n')}\n`;
    }
    const p = project(files);
    const rows = await p.run(false);
    expect(rows.specs).toHaveLength(ROWS);
    for (const spec of rows.specs) {
      const one = await p.run(false, `one/${spec.id.slice('hi/'.length)}.yaml`);
      expect(one.diagnostics).toEqual([]);
      expect([contentKey(spec), sceneFacts(spec)]).toEqual([contentKey(one.specs[0]!), sceneFacts(one.specs[0]!)]);
    }
  });
});

describe('an edit of the data file, parsed where it changed', () => {
  /** Loads with the cache after `edit` (held, then read back as a new process would): as a load without it. */
  async function expectAsCold(edit: (i: number, c: string[]) => string[]): Promise<LoadResult> {
    const p = project({ 'a.yaml': TEMPLATE, 'people.csv': csv() });
    await p.run(true);
    p.write('people.csv', csv(edit));
    const cold = seen(await p.run(false));
    const held = await p.run(true);
    expect(seen(held)).toEqual(cold);
    p.write('people.csv', csv());
    await p.run(true);
    p.write('people.csv', csv(edit));
    forgetHeldRows();
    const read = await p.run(true);
    expect(seen(read)).toEqual(cold);
    return read;
  }

  it('of a column no placeholder uses keeps every row', async () => {
    const r = await expectAsCold((i, c) => (i === 7 ? [...c.slice(0, 4), 'changed'] : c));
    expect(r.diagnostics).toEqual([]);
  });

  it('that gives a row the cells of a row carried over reports the duplicate id as a full parse does', async () => {
    const r = await expectAsCold((i, c) => (i === 8 ? csv().split('\n')[4]!.split(',') : c));
    expect(r.diagnostics.map((d) => d.code)).toContain('E_DUPLICATE_ID');
  });

  it('that swaps two rows, or removes one and adds another, gives their own specs', async () => {
    const lines = csv().split('\n');
    await expectAsCold((i, c) => (i === 3 ? lines[6]!.split(',') : i === 5 ? lines[4]!.split(',') : c));
    await expectAsCold((i, c) => (i === 2 ? ['99', 'New', 'Team 1', 'pro', 'x'] : c));
  });

  it('is read against the CSV copy this process wrote, or the one on disk, or neither when that is damaged', async () => {
    const p = project({ 'a.yaml': TEMPLATE, 'people.csv': csv() });
    await p.run(true);
    const dir = rowsCacheFiles(p.root, 'a.yaml').dir;
    const copy = readdirSync(dir).find((f) => f.endsWith('.data'))!;
    // A damaged copy on disk: the held one (same sha256) serves; without it, the whole file is parsed.
    writeFileSync(path.join(dir, copy), csv((i, c) => (i === 1 ? ['1', 'Damaged', ...c.slice(2)] : c)));
    const edit = csv((i, c) => (i === 10 ? [c[0]!, 'Edited', ...c.slice(2)] : c));
    p.write('people.csv', edit);
    const cold = seen(await p.run(false));
    expect(seen(await p.run(true))).toEqual(cold);
    p.write('people.csv', csv());
    await p.run(true);
    writeFileSync(path.join(dir, copy), 'damaged');
    forgetHeldRows();
    p.write('people.csv', edit);
    expect(seen(await p.run(true))).toEqual(cold);
  });
});
