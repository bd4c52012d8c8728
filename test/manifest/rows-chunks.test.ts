/**
 * The rows cache in chunks (rows/cache.ts, rows/chunks.ts): the same specs and keys as a load
 * without any cache, read back from disk or held by the process; every input a row depends on seen;
 * a chunk that is damaged, truncated or of an older format never trusted; one row edited, one chunk
 * written.
 */
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/hash/canonical.js';
import { contentKey } from '../../src/hash/key.js';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import { forgetHeldRows } from '../../src/manifest/rows/cache.js';
import { useRowsPerChunk } from '../../src/manifest/rows/chunks.js';
import type { ResolvedConfig } from '../../src/model/config.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { derivedCache, sceneFacts } from '../../src/plan/derived.js';
import { readIndex, rewriteCachedRows, rowsCacheFiles, rowsConfig, rowsProject } from './rows-helpers.js';

/** Small chunks, so a small CSV has several (the code is the same for 1,000 rows a chunk). */
const CHUNK_ROWS = 16;
let was = 0;
beforeAll(() => void (was = useRowsPerChunk(CHUNK_ROWS)));
afterAll(() => void useRowsPerChunk(was));

/** A few rows more than two chunks: three chunks, the last one short. */
const ROWS = 2 * CHUNK_ROWS + 7;

/** Filters, a when:, a column in a number field and a local image: each an input of a row. */
const TEMPLATE = `rows: people.csv
id: hi/{{ id }}
title: "{{ name | upper }} / {{ team | default('solo') | lower }}"
avatar: presenter
scenes:
  - script: Hello {{ name }}, welcome to {{ team | default('the team') }}.
    background: {image: bg.png}
  - script: Your {{ plan | upper }} plan is ready.
    when: {column: plan, not: free}
  - script: See you soon.
`;

const PLANS = ['pro', 'free', 'team'];

function csv(edit?: (i: number, line: string) => string): string {
  const lines = ['id,name,team,plan'];
  for (let i = 0; i < ROWS; i++) {
    const line = `${i},Name ${i},${i % 5 === 0 ? '' : `"Team ${i % 7}, Inc."`},${PLANS[i % 3]}`;
    lines.push(edit ? edit(i, line) : line);
  }
  return lines.join('\n') + '\n';
}

interface Project {
  root: string;
  run: (cache: boolean, config?: ResolvedConfig) => Promise<LoadResult>;
  write: (rel: string, text: string) => void;
  config: ResolvedConfig;
}

function project(): Project {
  const root = rowsProject({ 'a.yaml': TEMPLATE, 'people.csv': csv(), 'bg.png': 'image bytes' });
  const config = rowsConfig(root);
  return {
    root,
    config,
    run: (cache, c = config) => loadManifests([path.join(root, 'a.yaml')], { config: c, manifestsRoot: '.', cache, derived: derivedCache }),
    write: (rel, text) => writeFileSync(path.join(root, rel), text),
  };
}

/** Every row as a user and the planner see it: the spec, its content key and its clip keys, by id. */
function seen(r: LoadResult): { rows: unknown[]; problems: unknown[] } {
  const specs = [...r.specs].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    rows: specs.map((s) => [JSON.parse(JSON.stringify(s)) as unknown, contentKey(s), sceneFacts(s)]),
    problems: r.diagnostics.map((d) => [d.code, d.location, d.message]),
  };
}

const byId = (r: LoadResult, id: string): VideoSpec => r.specs.find((s) => s.id === id)!;
const chunkNames = (p: Project): string[] => readIndex(p.root, 'a.yaml').chunks.map(([d]) => d);

/** A load with the cache, then again as a new process would (nothing held): both as without the cache. */
async function expectAsCold(p: Project, config?: ResolvedConfig): Promise<LoadResult> {
  const cold = seen(await p.run(false, config));
  const held = await p.run(true, config);
  expect(seen(held)).toEqual(cold);
  forgetHeldRows();
  const read = await p.run(true, config);
  expect(seen(read)).toEqual(cold);
  return read;
}

describe('the rows cache in chunks', () => {
  it('gives the specs, content keys and clip keys of a load without the cache, read back or held', async () => {
    const p = project();
    const first = await p.run(true);
    expect(first.specs).toHaveLength(ROWS);
    expect(chunkNames(p)).toHaveLength(3);
    const warm = await expectAsCold(p);
    // Served whole from the chunks on disk: nothing parsed.
    expect(warm.timings.parse).toBe(0);
  });

  it('a one-cell edit writes one chunk, keeps the others, and removes the one replaced', async () => {
    const p = project();
    await p.run(true);
    const before = chunkNames(p);
    const kept = rowsCacheFiles(p.root, 'a.yaml').chunk(before[0]!);
    const mtime = statSync(kept).mtimeMs;
    p.write('people.csv', csv((i, line) => (i === CHUNK_ROWS + 5 ? line.replace(`Name ${i}`, 'Edited') : line)));
    const r = await expectAsCold(p);
    expect(byId(r, `hi/${CHUNK_ROWS + 5}`).title).toMatch(/^EDITED/);
    const after = chunkNames(p);
    expect([after[0], after[2]]).toEqual([before[0], before[2]]);
    expect(after[1]).not.toBe(before[1]);
    expect(statSync(kept).mtimeMs).toBe(mtime);
    const files = readdirSync(rowsCacheFiles(p.root, 'a.yaml').dir).filter((f) => /\.[0-9a-f]{32}\.json$/.test(f));
    expect(files.sort()).toEqual(after.map((d) => path.basename(rowsCacheFiles(p.root, 'a.yaml').chunk(d))).sort());
  });

  const inputs: [string, (p: Project) => ResolvedConfig | void, (r: LoadResult) => void][] = [
    ['a cell', (p) => p.write('people.csv', csv((i, l) => (i === 20 ? l.replace('Name 20', 'Zoe') : l))), (r) => expect(byId(r, 'hi/20').title).toMatch(/^ZOE/)],
    ['a cell a when: reads', (p) => p.write('people.csv', csv((i, l) => (i === 4 ? l.replace(/free$/, 'pro') : l))), (r) => expect(byId(r, 'hi/4').scenes).toHaveLength(3)],
    ['the template text', (p) => p.write('a.yaml', TEMPLATE.replace('See you soon.', 'Bye.')), (r) => expect(byId(r, 'hi/7').scenes.at(-1)?.input).toMatchObject({ text: 'Bye.' })],
    ['a filter', (p) => p.write('a.yaml', TEMPLATE.replace('{{ name | upper }}', '{{ name | lower }}')), (r) => expect(byId(r, 'hi/7').title).toMatch(/^name 7/)],
    ['a when:', (p) => p.write('a.yaml', TEMPLATE.replace('not: free', 'equals: free')), (r) => expect(byId(r, 'hi/1').scenes).toHaveLength(3)],
    ['the config', (p) => ({ ...p.config, fingerprint: 'another', voices: { narrator: { id: 'v2' } } }), (r) => expect(byId(r, 'hi/7').voice).toMatchObject({ id: 'v2' })],
    [
      'an image the rows use',
      (p) => {
        p.write('bg.png', 'other image bytes');
        utimesSync(path.join(p.root, 'bg.png'), 2_000_000, 2_000_000);
      },
      (r) => expect(byId(r, 'hi/7').scenes[0]?.background).toMatchObject({ source: { sha256: sha256Hex('other image bytes') } }),
    ],
  ];

  for (const [what, change, check] of inputs) {
    it(`sees a change of ${what}: nothing stale is reused`, async () => {
      const p = project();
      await p.run(true);
      const before = seen(await p.run(true));
      const config = change(p) ?? undefined;
      const r = await expectAsCold(p, config);
      check(r);
      expect(seen(r)).not.toEqual(before);
    });
  }

  it('ignores a chunk that is truncated, damaged or missing: its rows are resolved again, the others reused', async () => {
    for (const damage of [(t: string) => t.slice(0, t.length >> 1), (t: string) => t.replace('Name 20', 'Name 99'), () => null]) {
      const p = project();
      await p.run(true);
      // Rows marked in two chunks: a mark served means the chunk was trusted.
      rewriteCachedRows(p.root, 'a.yaml', ([spec, key, d], i) => [i === 7 || i === 20 ? { ...spec, title: 'marked' } : spec, key, d]);
      const second = rowsCacheFiles(p.root, 'a.yaml').chunk(chunkNames(p)[1]!);
      const text = damage(readFileSync(second, 'utf8'));
      writeFileSync(second, text ?? '');
      forgetHeldRows();
      const r = await p.run(true);
      expect(byId(r, 'hi/7').title).toBe('marked');
      expect(byId(r, 'hi/20').title).toBe('NAME 20 / solo');
      expect(seen(r).problems).toEqual([]);
      expect(r.specs).toHaveLength(ROWS);
    }
  });

  it('does not read a cache of the older format as valid', async () => {
    const p = project();
    await p.run(true);
    const files = rowsCacheFiles(p.root, 'a.yaml');
    const index = readIndex(p.root, 'a.yaml');
    // What the one-file format held: every row's spec in the index itself.
    const old = { ...index, format: 'rows/4', rows: (await p.run(true)).specs.map((s) => [{ ...s, title: 'marked' }, contentKey(s)]) };
    writeFileSync(files.index, JSON.stringify(old));
    forgetHeldRows();
    const r = await p.run(true);
    expect(r.specs.filter((s) => s.title === 'marked')).toEqual([]);
    expect(readIndex(p.root, 'a.yaml').format).toBe(index.format);
  });
});
