/**
 * Rows: data files (CSV edge cases, JSONL, YAML lists, inline), placeholders and filters, `when:`,
 * and every problem placed at the data row and at the manifest's placeholder.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/errors.js';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { languageChecker } from '../../src/execute/heygen/languages.js';
import { templateProblems } from '../../src/execute/heygen/template-checks.js';
import type { TranslationLanguages } from '../../src/model/languages.js';
import { EXAMPLE_ALIASES, makeConfig } from './config.js';
import { rowsConfig, rowsProject, TEMPLATE } from './rows-helpers.js';

async function load(files: Record<string, string | Buffer>, opts: { languages?: TranslationLanguages; cache?: boolean; root?: string } = {}): Promise<LoadResult> {
  const root = opts.root ?? rowsProject(files);
  const config = rowsConfig(root);
  const manifests = Object.keys(files).filter((f) => f.endsWith('.yaml') && !f.startsWith('data'));
  return loadManifests(manifests.map((f) => path.join(root, f)), { config, manifestsRoot: '.', cache: opts.cache ?? false, ...(opts.languages ? { languages: opts.languages } : {}) });
}

const scripts = (s: VideoSpec): string[] => s.scenes.map((x) => (x.input.type === 'script' ? x.input.text : x.input.type));
const byId = (r: LoadResult): Record<string, VideoSpec> => Object.fromEntries(r.specs.map((s) => [s.id, s]));
const errors = (r: LoadResult): Diagnostic[] => r.diagnostics.filter((d) => d.severity === 'error');

describe('CSV rows', () => {
  it('reads quoted commas, embedded newlines, a BOM, CRLF and an empty trailing line', async () => {
    const csv = '\uFEFFid,name\r\n1,"Smith, Jane"\r\n2,"two\r\nlines"\r\n3,"say ""hi"""\r\n\r\n';
    const r = await load({ 'a.yaml': TEMPLATE, 'people.csv': csv });
    expect(errors(r)).toEqual([]);
    const s = byId(r);
    expect(Object.keys(s).sort()).toEqual(['hi/1', 'hi/2', 'hi/3']);
    expect(scripts(s['hi/1']!)).toEqual(['Hello Smith, Jane!']);
    expect(scripts(s['hi/2']!)).toEqual(['Hello two\r\nlines!']);
    expect(scripts(s['hi/3']!)).toEqual(['Hello say "hi"!']);
    // Each row knows its line: row 3 starts on line 5 (row 2 spans two lines).
    expect(s['hi/3']!.row).toMatchObject({ group: 'hi/*', file: 'people.csv', line: 5 });
  });

  it('an extra column is ignored; a row with a missing or an extra cell is an error at its line', async () => {
    const ok = await load({ 'a.yaml': TEMPLATE, 'people.csv': 'id,name,unused\n1,Ann,x\n' });
    expect(errors(ok)).toEqual([]);
    const bad = await load({ 'a.yaml': TEMPLATE, 'people.csv': 'id,name\n1,Ann\n2\n3,Smith, Jane\n' });
    const ds = errors(bad);
    expect(ds.map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([
      ['E_ROWS_DATA', 'people.csv', 3],
      ['E_ROWS_DATA', 'people.csv', 4],
    ]);
    expect(ds[1]!.hint).toContain('quote a cell that holds a comma');
    expect(ds[0]!.frame).toContain('2');
  });

  it("a row with the wrong number of cells does not hide the other rows' problems", async () => {
    const t = TEMPLATE.replace('avatar: presenter', 'avatar: presenter\ndimension: "{{ size }}"');
    const r = await load({ 'a.yaml': t, 'people.csv': 'id,name,size\n1,Ann,720p\n2,Bo\n3,Cy,721p\n4,,720p\n' });
    expect(errors(r).map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([
      ['E_ROWS_DATA', 'people.csv', 3],
      ['E_SCHEMA', 'people.csv', 4],
      ['E_ROWS_VALUE', 'people.csv', 5],
    ]);
    // The good row still loads; the errors block the build all the same.
    expect(r.specs.map((s) => s.id)).toEqual(['hi/1']);
    const jsonl = await load({ 'a.yaml': t.replace('people.csv', 'people.jsonl'), 'people.jsonl': '{"id":1,"name":"Ann","size":"720p"}\nnot json\n{"id":3,"name":"Cy","size":"721p"}\n' });
    expect(errors(jsonl).map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([
      ['E_ROWS_DATA', 'people.jsonl', 2],
      ['E_SCHEMA', 'people.jsonl', 3],
    ]);
  });

  it('a column the data lacks is an error at the placeholder with a did-you-mean', async () => {
    const r = await load({ 'a.yaml': TEMPLATE.replace('{{ name }}', '{{ nmae }}'), 'people.csv': 'id,name\n1,Ann\n' });
    const [d] = errors(r);
    expect(d).toMatchObject({ code: 'E_ROWS_COLUMN', location: { file: 'a.yaml', line: 5, column: 19 } });
    expect(d!.message).toContain('did you mean "name"?');
    expect(d!.message).toContain('people.csv:1');
    expect(d!.hint).toBe('write {{ name }}, or add a "nmae" column to people.csv');
  });

  it("a when: column the data lacks: the hint says what to write there", async () => {
    const r = await load({ 'a.yaml': `${TEMPLATE}    when: {column: nmae, equals: Ann}\n`, 'people.csv': 'id,name\n1,Ann\n' });
    const [d] = errors(r);
    expect(d).toMatchObject({ code: 'E_ROWS_COLUMN', location: { file: 'a.yaml', line: 6 } });
    expect(d!.hint).toBe('write column: name, or add a "nmae" column to people.csv');
  });

  it('an empty cell is an error at the row, naming the placeholder and suggesting a default', async () => {
    const r = await load({ 'a.yaml': TEMPLATE, 'people.csv': 'id,name\n1,Ann\n2,\n' });
    const [d] = errors(r);
    expect(d).toMatchObject({ code: 'E_ROWS_VALUE', location: { file: 'people.csv', line: 3 } });
    expect(d!.message).toContain('column "name"');
    expect(d!.message).toContain('a.yaml:5:19');
    expect(d!.hint).toContain("default('...')");
    // The good row still loads (the build is blocked by the error all the same).
    expect(r.specs.map((s) => s.id)).toEqual(['hi/1']);
  });

  it('duplicate ids are an error naming both rows', async () => {
    const r = await load({ 'a.yaml': TEMPLATE, 'people.csv': 'id,name\n1,Ann\n2,Bo\n1,Cy\n' });
    const [d] = errors(r);
    expect(d).toMatchObject({ code: 'E_DUPLICATE_ID', location: { file: 'people.csv', line: 4 } });
    expect(d!.message).toBe('id "hi/1" is given by two rows: people.csv:2 (row 1) and people.csv:4 (row 3)');
  });

  it('a duplicate id is said even when one of its rows has another problem', async () => {
    const t = TEMPLATE.replace('avatar: presenter', 'avatar: presenter\ndimension: "{{ size }}"');
    const r = await load({ 'a.yaml': t, 'people.csv': 'id,name,size\n1,Ann,721p\n2,Bo,720p\n1,Cy,720p\n,Di,720p\n,Ed,720p\n' });
    const ds = errors(r);
    expect(ds.map((d) => [d.code, d.location?.line])).toEqual([
      ['E_SCHEMA', 2],
      ['E_DUPLICATE_ID', 4],
      ['E_ROWS_VALUE', 5],
      ['E_ROWS_VALUE', 6],
    ]);
    expect(ds[1]!.message).toBe('id "hi/1" is given by two rows: people.csv:2 (row 1) and people.csv:4 (row 3)');
  });

  it("an id given by a row and by another manifest is reported at both, naming the row's file:line, whichever comes first", async () => {
    const plain = 'id: hi/2\navatar: presenter\nscenes:\n  - script: Hi\n';
    const csv = 'id,name\n1,Ann\n2,Bo\n';
    // The row second (a.yaml sorts before m.yaml): reported at the rows manifest's id:, naming the row.
    // Both sides are reported (neither is built), each naming the other.
    const row = { code: 'E_DUPLICATE_ID', location: { file: 'm.yaml', line: 2, column: 5 } };
    // The row second (a.yaml sorts before m.yaml).
    const second = errors(await load({ 'a.yaml': plain, 'm.yaml': TEMPLATE, 'people.csv': csv }));
    expect(second).toHaveLength(2);
    expect(second[0]).toMatchObject({ code: 'E_DUPLICATE_ID', location: { file: 'a.yaml', line: 1, column: 5 } });
    expect(second[0]!.message).toBe('id "hi/2" is also used by people.csv:3 (the row filled into id: at m.yaml:2:5)');
    expect(second[1]).toMatchObject(row);
    expect(second[1]!.message).toBe('people.csv:3 (the row filled into id: at m.yaml:2:5): id "hi/2" is also used by a.yaml:1:5');
    // The row first: the same two findings.
    const first = errors(await load({ 'm.yaml': TEMPLATE, 'z.yaml': plain, 'people.csv': csv }));
    expect(first).toHaveLength(2);
    expect(first[0]).toMatchObject(row);
    expect(first[0]!.message).toBe('people.csv:3 (the row filled into id: at m.yaml:2:5): id "hi/2" is also used by z.yaml:1:5');
    expect(first[1]).toMatchObject({ code: 'E_DUPLICATE_ID', location: { file: 'z.yaml', line: 1, column: 5 } });
    expect(first[1]!.message).toBe('id "hi/2" is also used by people.csv:3 (the row filled into id: at m.yaml:2:5)');
  });

  it('a row that fills to an invalid value is reported at the row and at the placeholder', async () => {
    const t = TEMPLATE.replace('avatar: presenter', 'avatar: presenter\ndimension: "{{ size }}"\ncaption: "{{ cap }}"');
    const r = await load({ 'a.yaml': t, 'people.csv': 'id,name,size,cap\n1,Ann,720p,true\n2,Bo,721p,false\n3,Cy,1080p,maybe\n' });
    const s = byId(r);
    // Non-string settings come from text cells and are type-checked after filling.
    expect(s['hi/1']).toMatchObject({ dimension: { width: 1280, height: 720 }, caption: 'file' });
    const ds = errors(r);
    expect(ds.map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([
      ['E_SCHEMA', 'people.csv', 3],
      ['E_SCHEMA', 'people.csv', 4],
    ]);
    expect(ds[0]!.message).toMatch(/^people\.csv:3 \(row 2\), column "size" = "721p": .*\(filled into \{\{ size \}\} at a\.yaml:4:13\)$/);
    expect(ds[1]!.message).toContain('column "cap" = "maybe"');
  });

  it('every problem of a row is listed: its empty cells and each cell that fills to an invalid value', async () => {
    const t = TEMPLATE.replace('avatar: presenter', 'avatar: presenter\ndimension: "{{ size }}"\ncaption: "{{ cap }}"');
    const r = await load({ 'a.yaml': t, 'people.csv': 'id,name,size,cap\n1,Ann,720p,true\n2,,721p,maybe\n' });
    const ds = errors(r);
    expect(ds.map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([
      ['E_ROWS_VALUE', 'people.csv', 3],
      ['E_SCHEMA', 'people.csv', 3],
      ['E_SCHEMA', 'people.csv', 3],
    ]);
    expect(ds[0]!.message).toContain('column "name"');
    expect(ds.slice(1).map((d) => /column "(\w+)"/.exec(d.message)?.[1]).sort((a, b) => (a ?? "").localeCompare(b ?? ""))).toEqual(['cap', 'size']);
    expect(r.specs.map((s) => s.id)).toEqual(['hi/1']);
    // An empty cell that leaves a script empty is said once, as the cell, not again as an empty script.
    const alone = await load({ 'a.yaml': TEMPLATE.replace('Hello {{ name }}!', '"{{ name }}"'), 'people.csv': 'id,name\n1,\n' });
    expect(errors(alone).map((d) => d.code)).toEqual(['E_ROWS_VALUE']);
  });

  it('a filled script over 5,000 characters is an error at its row', async () => {
    const r = await load({ 'a.yaml': TEMPLATE, 'people.csv': `id,name\n1,Ann\n2,${'x'.repeat(5000)}\n` });
    const [d] = errors(r);
    expect(d).toMatchObject({ code: 'E_SCRIPT_TOO_LONG', location: { file: 'people.csv', line: 3 } });
  });

  it('a file that is not UTF-8 is an error at the line of the bad byte', async () => {
    const r = await load({ 'a.yaml': TEMPLATE, 'people.csv': Buffer.from('id,name\n1,Ann\n2,Z\xe9\n', 'latin1') });
    expect(errors(r)[0]).toMatchObject({ code: 'E_ROWS_DATA', location: { file: 'people.csv', line: 3, column: 4 } });
  });
});

describe('other row sources and filters', () => {
  it('JSONL, YAML lists and inline rows keep their types and lines', async () => {
    const t = (src: string): string => TEMPLATE.replace('rows: people.csv', `rows: ${src}`);
    const jsonl = await load({ 'a.yaml': t('people.jsonl'), 'people.jsonl': '{"id": 1, "name": "Ann"}\n\n{"id": 2, "name": "Bo"}\n' });
    expect(errors(jsonl)).toEqual([]);
    expect(jsonl.specs.map((s) => [s.id, s.row?.line])).toEqual([['hi/1', 1], ['hi/2', 3]]);
    const yaml = await load({ 'a.yaml': t('data/people.yaml'), 'data/people.yaml': '- id: 1\n  name: Ann\n- {id: 2, name: Bo}\n' });
    expect(yaml.specs.map((s) => [s.id, s.row?.line])).toEqual([['hi/1', 1], ['hi/2', 3]]);
    const inline = await load({ 'a.yaml': t('\n  - {id: a, name: Ann}\n  - {id: b, name: Bo}') });
    expect(inline.specs.map((s) => [s.id, s.row?.file, s.row?.line])).toEqual([['hi/a', 'a.yaml', 2], ['hi/b', 'a.yaml', 3]]);
  });

  it('fills output paths, asset paths and avatar and voice aliases per row', async () => {
    const t = `rows: people.csv
id: hi/{{ id }}
output: out/{{ team | lower }}/{{ id }}.mp4
avatar: "{{ who }}"
voice: "{{ sound }}"
background: { image: "img/{{ team | lower }}.png" }
scenes:
  - script: Hello {{ id }}.
`;
    const root = rowsProject({ 'a.yaml': t, 'people.csv': 'id,team,who,sound\n1,RED,presenter,narrator\n2,Blue,host,upbeat\n', 'img/red.png': 'red', 'img/blue.png': 'blue' });
    const config = makeConfig(root, EXAMPLE_ALIASES);
    const r = await loadManifests([path.join(root, 'a.yaml')], { config, manifestsRoot: '.', cache: false });
    expect(errors(r)).toEqual([]);
    const s = byId(r);
    expect(s['hi/1']).toMatchObject({ output: 'out/red/1.mp4', avatar: { id: 'Daisy-inskirt-20220818' }, voice: { id: '2d5b0e6cf36f460aa7fc47e3eee4ba54' }, background: { source: { path: 'img/red.png' } } });
    expect(s['hi/2']).toMatchObject({ output: 'out/blue/2.mp4', avatar: { id: 'Tyler-incasualsuit-20220721' }, voice: { id: '1bd001e7e50f421d891986aad5158bc8' }, background: { source: { path: 'img/blue.png' } } });
  });

  it('slug, upper, lower and default fill ids, titles and scripts; nothing is evaluated', async () => {
    const t = `rows: people.csv
id: hi/{{ name | slug }}
title: "{{ name | upper }} / {{ team | default('solo') | lower }}"
avatar: presenter
scenes:
  - script: "{{ greeting | default('Hello') }} {{ name }}, {{ 1 + 1 }}"
`;
    const r = await load({ 'a.yaml': t, 'people.csv': 'name,team,greeting,1 + 1\nZoë Smith,RED,,x\n' });
    expect(errors(r)).toEqual([]);
    const [s] = r.specs;
    expect(s).toMatchObject({ id: 'hi/zoe-smith', title: 'ZOË SMITH / red' });
    expect(scripts(s!)).toEqual(['Hello Zoë Smith, x']);
  });

  it("a | inside default('...') is part of the value, not a filter", async () => {
    const t = TEMPLATE.replace('Hello {{ name }}!', "\"Hello {{ name | default('Sales | EMEA') | upper }}, {{ name | default(\\\"a|b\\\") }}\"");
    const r = await load({ 'a.yaml': t, 'people.csv': 'id,name\n1,\n2,Bo\n' });
    expect(errors(r)).toEqual([]);
    expect(scripts(byId(r)['hi/1']!)).toEqual(['Hello SALES | EMEA, a|b']);
    expect(scripts(byId(r)['hi/2']!)).toEqual(['Hello BO, Bo']);
  });

  it('an unknown filter and an id without a placeholder are template errors', async () => {
    const r = await load({ 'a.yaml': TEMPLATE.replace('id: hi/{{ id }}', 'id: hi').replace('{{ name }}', '{{ name | uper }}'), 'people.csv': 'id,name\n1,A\n' });
    expect(errors(r).map((d) => [d.code, d.location?.line])).toEqual([
      ['E_ROWS_TEMPLATE', 2],
      ['E_ROWS_TEMPLATE', 5],
    ]);
    expect(errors(r)[1]!.message).toContain('did you mean "upper"?');
  });
});

describe('when', () => {
  const t = `rows: people.csv
id: hi/{{ id }}
avatar: presenter
scenes:
  - script: Hello.
    when: {column: plan, not: free}
  - script: Pro and enterprise get support.
    when: {column: plan, in: [pro, enterprise]}
  - script: Free trial ends soon.
    when: {column: plan, equals: free}
`;

  it('includes a scene only for the rows that match', async () => {
    const r = await load({ 'a.yaml': t, 'people.csv': 'id,plan\n1,pro\n2,free\n3,enterprise\n4,team\n' });
    expect(errors(r)).toEqual([]);
    const s = byId(r);
    expect(scripts(s['hi/1']!)).toEqual(['Hello.', 'Pro and enterprise get support.']);
    expect(scripts(s['hi/2']!)).toEqual(['Free trial ends soon.']);
    expect(scripts(s['hi/3']!)).toEqual(['Hello.', 'Pro and enterprise get support.']);
    expect(scripts(s['hi/4']!)).toEqual(['Hello.']);
  });

  it('a row left with no scenes is an error at its line', async () => {
    const r = await load({ 'a.yaml': t.replace('not: free', 'equals: team'), 'people.csv': 'id,plan\n1,pro\n2,trial\n' });
    const [d] = errors(r);
    expect(d).toMatchObject({ code: 'E_ROWS_NO_SCENES', location: { file: 'people.csv', line: 3 } });
    expect(r.specs.map((s) => s.id)).toEqual(['hi/1']);
  });

  it('a problem in a scene after a left-out one points at the right template scene', async () => {
    const r = await load({ 'a.yaml': t.replace('Free trial ends soon.', '"{{ note }}"'), 'people.csv': 'id,plan,note\n1,free,\n' });
    expect(errors(r)[0]!.message).toContain('a.yaml:9:14');
  });

  it('when: written wrong, naming an unknown column, or without rows: is an error', async () => {
    const wrong = await load({ 'a.yaml': t.replace('equals: free', 'is: free'), 'people.csv': 'id,plan\n1,pro\n' });
    expect(errors(wrong)[0]).toMatchObject({ code: 'E_ROWS_TEMPLATE', location: { line: 10 } });
    const col = await load({ 'a.yaml': t.replace('column: plan, equals', 'column: plna, equals'), 'people.csv': 'id,plan\n1,pro\n' });
    expect(errors(col)[0]!.message).toContain('did you mean "plan"?');
    const none = await load({ 'a.yaml': 'avatar: presenter\nscenes:\n  - script: Hi.\n    when: {column: plan, equals: pro}\n' });
    expect(errors(none)[0]).toMatchObject({ code: 'E_ROWS_TEMPLATE', location: { line: 4 } });
  });
});

describe('many bad rows', () => {
  it('every bad row is listed', async () => {
    const lines = ['id,name', ...Array.from({ length: 120 }, (_, i) => `${i},`)];
    const r = await load({ 'a.yaml': TEMPLATE, 'people.csv': lines.join('\n') });
    expect(errors(r)).toHaveLength(120);
  });
});

describe('the rows cache', () => {
  it('serves unchanged rows without parsing, reuses rows whose cells did not change, and matches a cold load', async () => {
    const { writeFileSync } = await import('node:fs');
    const root = rowsProject({ 'a.yaml': TEMPLATE, 'people.csv': 'id,name\n1,Ann\n2,Bo\n3,Cy\n' });
    const config = rowsConfig(root);
    const run = (cache: boolean): Promise<LoadResult> => loadManifests([path.join(root, 'a.yaml')], { config, manifestsRoot: '.', cache });
    const summary = (r: LoadResult): unknown =>
      [...r.specs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((s) => [s.id, scripts(s), s.row]);
    await run(true);
    const warm = await run(true);
    // Served whole: nothing parsed.
    expect(warm.timings.parse).toBe(0);
    expect(summary(warm)).toEqual(summary(await run(false)));
    // A row inserted above the others and one cell edited: the same specs as a cold load, lines moved.
    writeFileSync(path.join(root, 'people.csv'), 'id,name\n0,Zed\n1,Ann\n2,Bob\n3,Cy\n');
    const edited = await run(true);
    expect(summary(edited)).toEqual(summary(await run(false)));
    expect(byId(edited)['hi/3']!.row?.line).toBe(5);
    expect(scripts(byId(edited)['hi/2']!)).toEqual(['Hello Bob!']);
    // The template edited: every row is filled again.
    writeFileSync(path.join(root, 'a.yaml'), TEMPLATE.replace('Hello', 'Hi'));
    expect(scripts(byId(await run(true))['hi/1']!)).toEqual(['Hi Ann!']);
  });
});

describe('rows of manifests without scenes', () => {
  it('a prompt video per row: the prompt filled from its cells, no scenes asked for', async () => {
    const r = await load({ 'a.yaml': 'rows: people.csv\nid: promo/{{ id }}\nprompt: "A 20 second promo for {{ name }}."\n', 'people.csv': 'id,name\n1,Ann\n2,Bo\n' });
    expect(errors(r)).toEqual([]);
    const s = byId(r);
    expect(Object.keys(s).sort()).toEqual(['promo/1', 'promo/2']);
    expect(s['promo/2']!.prompt?.text).toBe('A 20 second promo for Bo.');
  });

  it('a manifest with rows and neither scenes, template, prompt nor source still needs scenes', async () => {
    const r = await load({ 'a.yaml': 'rows: people.csv\nid: hi/{{ id }}\ntitle: Hi {{ name }}\n', 'people.csv': 'id,name\n1,Ann\n' });
    expect(errors(r).map((d) => [d.code, d.message])).toEqual([['E_MISSING_KEY', 'a manifest needs `scenes:`, a list of scenes']]);
  });
});

describe('a translation language from a cell', () => {
  const files = {
    'a.yaml': 'rows: people.csv\nid: hi/{{ id }}\navatar: presenter\nscenes:\n  - script: Hello.\ntranslations: ["{{ lang }}"]\n',
    'people.csv': 'id,lang\n1,French\n2,Klingon\n',
  };

  it('is checked against the language list like a written one, at the data row and the placeholder', async () => {
    const r = await load(files, { languages: languageChecker(['French', 'German'], 'cached') });
    expect(errors(r).map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([['E_LANGUAGE', 'people.csv', 3]]);
    expect(errors(r)[0]!.message).toContain('(filled into {{ lang }} at a.yaml:6:17)');
    expect(r.specs.map((s) => s.id)).toEqual(['hi/1']);
  });

  it('a new language list checks cached rows again', async () => {
    const root = rowsProject(files);
    const both = languageChecker(['French', 'Klingon'], 'cached');
    expect(errors(await load(files, { languages: both, cache: true, root }))).toEqual([]);
    const fewer = await load(files, { languages: languageChecker(['French'], 'cached'), cache: true, root });
    expect(errors(fewer).map((d) => d.code)).toEqual(['E_LANGUAGE']);
  });
});

describe('rows of a HeyGen template', () => {
  it("a variable the template lacks is placed at the manifest's variable once, for all the rows", async () => {
    const manifest = 'rows: people.csv\nid: hi/{{ id }}\ntemplate:\n  id: tpl_1\n  variables:\n    first_name: "{{ name }}"\n    compnay: Acme\n';
    const r = await load({ 'a.yaml': manifest, 'people.csv': 'id,name\n1,Ann\n2,Bo\n3,Cy\n' });
    expect(errors(r)).toEqual([]);
    expect(r.specs.map((s) => s.template?.variables.first_name)).toEqual(['Ann', 'Bo', 'Cy']);
    const def = { id: 'tpl_1', name: 'Hi', variables: { first_name: 'text', company: 'text' }, scenes: [], digest: 'd', origin: 'cached' as const };
    const [problem] = templateProblems(r.specs, new Map([['tpl_1', def]]), 'v3');
    expect(problem?.details).toEqual([
      'a.yaml:7:5: template "Hi" (tpl_1) has no variable "compnay" (did you mean "company"?) (in 3 rows)',
      'a.yaml:5:3: template "Hi" (tpl_1) needs variable "company", missing from template.variables (in 3 rows)',
    ]);
  });
});

describe('a YAML data file the manifests glob also finds', () => {
  it('is an error whose hint says to move it out of the globs', async () => {
    const r = await load({ 'a.yaml': 'rows: people.yaml\nid: hi/{{ id }}\navatar: presenter\nscenes:\n  - script: Hi.\n', 'people.yaml': '- {id: a}\n- {id: b}\n' });
    const d = errors(r).find((x) => x.location?.file === 'people.yaml');
    expect(d).toMatchObject({ code: 'E_SCHEMA', message: 'the manifest must be a map of keys (got a list)' });
    expect(d!.hint).toContain('move it out of the manifests globs');
  });
});
