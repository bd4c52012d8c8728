/**
 * The cold path's fast parse (js-yaml) must never change what a manifest means: whenever it answers,
 * `yaml` (the source of truth) finds no problem in the text and gives the very same data, key order
 * and number types included. Checked on every YAML file in the repository and on generated documents
 * built from the constructs where YAML parsers are known to differ, then damaged at random.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDirect } from '../../src/manifest/parse-direct.js';
import { CORE, parseFast, parseJsYaml } from '../../src/manifest/parse-fast.js';
import { plainShape } from '../../src/manifest/parse-shape.js';
import { locateTopLevel } from '../../src/manifest/parse-locate.js';
import { locate, parseYaml } from '../../src/manifest/source.js';

/** Runs of the generated property; raise it (e.g. FAST_YAML_RUNS=200000) after touching parse-fast.ts. */
const RUNS = Number(process.env.FAST_YAML_RUNS ?? 4000);

const repo = path.resolve(import.meta.dirname, '../..');

/** What `yaml` makes of the text, as the slow path reads it: its data, or undefined when it has errors. */
function bySlowPath(text: string): { data: unknown } | undefined {
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) return undefined;
  try {
    return { data: parsed.doc.toJS({ maxAliasCount: 1000 }) };
  } catch {
    return undefined;
  }
}

/** Same data in the strictest sense: same types, same key order, -0 and NaN told apart. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Object.is(a, b);
  if (typeof a !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The property: the fast parse answers only what `yaml` would answer. True when it declined. */
function agrees(text: string): boolean {
  const fast = parseFast(text);
  if (fast === undefined) return true;
  const slow = bySlowPath(text);
  return slow !== undefined && same(fast, slow.data);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('parseFast', () => {
  it("gives yaml's data for every YAML file in the repository, and takes the fast path for the examples", () => {
    const files = [...yamlFiles(path.join(repo, 'examples')), ...yamlFiles(path.join(repo, 'test'))];
    expect(files.length).toBeGreaterThan(10);
    let fast = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(agrees(text), f).toBe(true);
      if (parseFast(text) !== undefined) fast++;
    }
    // Most real manifests are plain maps: the fast path must actually be the common one.
    expect(fast).toBeGreaterThan(files.length / 2);
  });

  it('reads plain scalars by yaml\'s core schema, not js-yaml\'s', () => {
    const text = 'a: 0o17\nb: 0x1F\nc: 1_000\nd: 0b101\ne: 012\nf: +12\ng: -0\nh: .inf\ni: -.Inf\nj: .NaN\nk: 1.50\nl: 1e3\nm: yes\nn: True\no: NULL\np: ~\nq:\nr: 2024-01-01\ns: 12345678901234567890\nt: .5\nu: "1"\n';
    const fast = parseFast(text);
    expect(fast).toBeDefined();
    expect(same(fast, bySlowPath(text)!.data)).toBe(true);
    expect(fast).toMatchObject({ a: 15, b: 31, c: '1_000', d: '0b101', e: 12, m: 'yes', r: '2024-01-01', u: '1' });
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'base: {a: 1}\nb:\n  <<: {a: 2}\n'],
    ['a complex key', '? a\n: b\n'],
    ['a flow collection as a key', '[a, b]: c\n'],
    ['a document marker', '---\na: 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a tab', 'a:\tb\n'],
    ['a carriage return', 'a: b\r\nc: d\r\n'],
    ['a number as a key', '1: a\n'],
    ['a null key', '~: a\n'],
    ['a boolean key', 'true: a\n'],
    ['a key of 1,001 characters', `${'k'.repeat(1001)}: a\n`],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a list', '- a\n- b\n'],
    ['a scalar', 'hello\n'],
    ['only comments', '# nothing\n'],
    ['a syntax error', 'a: "open\n'],
    ['a __proto__ key', '__proto__: {a: 1}\n'],
    ['nesting deeper than js-yaml allows', `a: ${'['.repeat(120)}${']'.repeat(120)}\n`],
  ])('leaves %s to yaml', (_what, text) => {
    expect(parseFast(text)).toBeUndefined();
  });

  it('answers what yaml answers on generated documents, damaged at random', () => {
    let answered = 0;
    fc.assert(
      fc.property(damaged, (text) => {
        if (parseFast(text) !== undefined) answered++;
        return agrees(text);
      }),
      { numRuns: RUNS },
    );
    // The generator must reach the fast path often, or the property says little.
    expect(answered).toBeGreaterThan(RUNS / 10);
  }, Math.max(60_000, RUNS));
});

/**
 * The direct parser (parse-direct.ts) runs first inside parseFast: wherever it answers on a text
 * that passed parseFast's checks, js-yaml must answer the very same data (and so `yaml`, above).
 */
describe('parseDirect', () => {
  /**
   * True when the direct parser declined, or answered what `yaml` answers (it runs before parseFast's
   * checks) and what js-yaml answers where those checks pass.
   */
  function likeJsYaml(text: string): boolean {
    const direct = parseDirect(text, CORE);
    if (direct === undefined) return true;
    const slow = bySlowPath(text);
    if (slow === undefined || !same(direct, slow.data)) return false;
    return !plainShape(text) || same(direct, parseJsYaml(text));
  }

  it("gives js-yaml's data for every YAML file in the repository, and reads the plain examples itself", () => {
    const files = [...yamlFiles(path.join(repo, 'examples')), ...yamlFiles(path.join(repo, 'test'))];
    let direct = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(likeJsYaml(text), f).toBe(true);
      if (parseFast(text) !== undefined && parseDirect(text, CORE) !== undefined) direct++;
    }
    expect(direct).toBeGreaterThan(files.length / 4);
  });

  it('reads a manifest of the usual shape: nested maps, lists of maps, quoted and typed scalars, comments', () => {
    const text = [
      '# yaml-language-server: $schema=../schema.json',
      'title: Video 1   # a comment',
      'tags: [bench, "two words", \'it\'\'s\', 3]',
      'caption: false',
      'empty:',
      'map: {}',
      'list: []',
      'scenes:',
      '  - script: Hello, world; C# and a#b stay, a:b too',
      '    background: "#112233"',
      '',
      '    # between keys',
      '  - script: -0.5',
      '    voice:',
      '      speed: 1.1',
      '      pitch: -2',
      '  - - nested',
      '    - 0x1F',
      'at-column:',
      '- a: 1',
      '  b: ~',
      '- plain',
      'url: https://example.com/a?b=c#frag',
      '',
    ].join('\n');
    const direct = parseDirect(text, CORE);
    expect(direct).toBeDefined();
    expect(same(direct, parseJsYaml(text))).toBe(true);
    expect(same(direct, bySlowPath(text)!.data)).toBe(true);
  });

  it.each([
    ['a block scalar', 'a: |\n  text\n'],
    ['a folded scalar', 'a: >-\n  text\n'],
    ['a backslash escape', 'a: "x\\ty"\n'],
    ['a flow map with entries', 'a: {b: 1}\n'],
    ['a nested flow list', 'a: [b, [c]]\n'],
    ['a plain scalar over two lines', 'a: b\n  c\n'],
    ['a list', '- a\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a quoted key yaml reads as a string but not as the same key order', '"1": a\n'],
    ['a key with a space before its colon', 'a : 1\n'],
    ['a line of spaces', 'a: 1\n  \nb: 2\n'],
    ['a document marker', '---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a directive', '%YAML 1.2\na: 1\n'],
    ['an anchor', 'a: &x 1\n'],
    ['an alias', 'a: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'a:\n  <<: {b: 1}\n'],
    ['a complex key', '? a\n: b\n'],
    ['a tab', 'a: b\tc\n'],
    ['a carriage return', 'a: b\r\n'],
    ['a byte-order mark', '\ufeffa: b\n'],
    ['a line separator', 'a: b\u2028c\n'],
    ['a lone surrogate', 'a: b\ud800\n'],
  ])('leaves %s to js-yaml', (_what, text) => {
    expect(parseDirect(text, CORE)).toBeUndefined();
  });

  it('answers what js-yaml answers on generated documents, damaged at random', () => {
    let answered = 0;
    fc.assert(
      fc.property(damaged, (text) => {
        if (parseDirect(text, CORE) !== undefined) answered++;
        return likeJsYaml(text);
      }),
      { numRuns: RUNS },
    );
    expect(answered).toBeGreaterThan(RUNS / 20);
  }, Math.max(60_000, RUNS));
});

describe('locateTopLevel', () => {
  /** The property: where it answers, it answers what locating in the whole file gives. */
  function placesLikeYaml(text: string): boolean {
    const data = parseFast(text);
    if (data === undefined) return true;
    return (['id', 'output'] as const).every((key) => {
      const value = data[key];
      if (typeof value !== 'string') return true;
      const at = locateTopLevel(text, key, value);
      return at === undefined || same(at, locate(parseYaml(text), [key]));
    });
  }

  it('places id: and output: where yaml places them in the whole file', () => {
    const text = '# video\ntitle: A\nid: welcome/a   # the id\nscenes:\n  - script: Hi.\n    id: not this one\noutput: "out/a.mp4"\n\n# end\n';
    expect(locateTopLevel(text, 'id', 'welcome/a')).toEqual(locate(parseYaml(text), ['id']));
    expect(locateTopLevel(text, 'id', 'welcome/a')).toMatchObject({ line: 3, column: 5 });
    expect(locateTopLevel(text, 'output', 'out/a.mp4')).toEqual(locate(parseYaml(text), ['output']));
    const block = 'id: >-\n  long/id\n\nscenes: []\n';
    expect(locateTopLevel(block, 'id', 'long/id')).toEqual(locate(parseYaml(block), ['id']));
  });

  it('declines rather than guess: a value that differs, or a key written twice at column 1', () => {
    expect(locateTopLevel('id: a\n', 'id', 'b')).toBeUndefined();
    expect(locateTopLevel('x: |\nid: a\nid: a\n', 'id', 'a')).toBeUndefined();
  });

  it('agrees with yaml on generated documents', () => {
    fc.assert(fc.property(damaged, placesLikeYaml), { numRuns: RUNS / 2 });
  });
});

/** Plain and quoted scalars where YAML 1.1, 1.2 and parsers disagree, and awkward text. */
const awkward = fc.constantFrom(
  'plain words',
  'Hello! Welcome to our product.',
  'a: b',
  'a:b',
  'a #not a comment',
  'a#b',
  'x # comment',
  '- not a list',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '012',
  '+12',
  '-0',
  '.5',
  '1.',
  '1.50',
  '1e3',
  '1E-3',
  '.inf',
  '-.Inf',
  '.NaN',
  'yes',
  'no',
  'on',
  'True',
  'FALSE',
  'Null',
  '~',
  '',
  '2024-01-01',
  '12:30',
  '1:30:00',
  '"quoted"',
  '"with \\"escapes\\" \\n \\t \\u00e9 \\x41 \\U0001F600 \\/"',
  '"line \\\n  continued"',
  '"folded\n  across\n\n  lines"',
  "'it''s'",
  "'single\n  folded'",
  '[1, 2]',
  '[a, [b, c], {d: e}]',
  '{a: 1, b: [2]}',
  '{a, b: c}',
  '[a: b]',
  '[]',
  '{}',
  '[a,]',
  '[\n  a,\n  b\n]',
  '{\n  a: 1\n}',
  '|\n  block\n  text\n',
  '|-\n  strip\n\n',
  '|+\n  keep\n\n',
  '>\n  folded\n  text\n\n  para\n',
  '>-\n  more\n    indented\n  back\n',
  '|2\n   indented by indicator\n',
  '|\n\n  leading blank\n',
  'multi\n  line plain',
  'multi\n\n  blank in plain',
  'é ü 日本語 😀',
  '@at',
  '`tick',
  '%percent',
  'Q&A',
  'a *star*',
  'ends with colon:',
  "it's",
  'say "hi"',
  '<break time="1s"/> done.',
  '#123456',
  '"#123456"',
  'url: http://x.y/z?a=1&b=2',
  'http://x.y/z#frag',
);

/** Mostly text as manifests hold it, so that most documents reach the fast path. */
const scalars = fc.oneof(
  { arbitrary: fc.constantFrom('Welcome to the team.', 'narrator', '#0F172A', '"#0F172A"', '../assets/bg.png', '720p', '1.1', '3', 'true', "'quoted'", '"a: b"'), weight: 2 },
  { arbitrary: awkward, weight: 3 },
);

const keys = fc.constantFrom('id', 'title', 'script', 'a', 'b c', 'x-y', 'key.dot', '"quoted key"', "'single key'", 'é', 'k1', 'yes', 'no', 'on', '1x', 'scenes', 'text');

const indentOf = (n: number): string => ' '.repeat(n);

/** A scalar placed after `key: ` (block scalars and multi-line text get their lines indented). */
function placeScalar(s: string, indent: number): string {
  return s.replace(/\n(?!$)/g, `\n${indentOf(indent + 2)}`);
}

const { node } = fc.letrec<{ node: string[] }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalars.map((s) => [s]),
    fc.array(fc.tuple(keys, tie('node')), { minLength: 1, maxLength: 4 }).map((pairs) => ['map', ...pairs.map(([k, v]) => JSON.stringify([k, v]))]),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((items) => ['seq', ...items.map((v) => JSON.stringify(v))]),
  ),
}));

/** Renders a generated node as block YAML at `indent`, after a `key:` or `- `. */
function render(n: string[], indent: number, afterDash: boolean): string {
  const [kind, ...rest] = n;
  if (rest.length === 0 && kind !== 'map' && kind !== 'seq') return ` ${placeScalar(kind!, indent)}\n`;
  if (kind === 'map') {
    const lines = rest.map((p, i) => {
      const [k, v] = JSON.parse(p) as [string, string[]];
      const pad = afterDash && i === 0 ? '' : indentOf(indent);
      return `${pad}${k}:${render(v, indent + 2, false)}`;
    });
    return afterDash ? ` ${lines.join('')}` : `\n${lines.join('')}`;
  }
  const items = rest.map((v) => `${indentOf(indent)}-${render(JSON.parse(v) as string[], indent + 2, true)}`);
  return `\n${items.join('')}`;
}

const documents = fc
  .array(fc.tuple(keys, node), { minLength: 1, maxLength: 5 })
  .chain((pairs) => fc.constantFrom(0, 1).map((comment) => (comment ? '# a comment\n' : '') + pairs.map(([k, v]) => `${k}:${render(v, 2, false)}`).join('')));

/** Random damage: what a hurried edit does to YAML. */
const damage = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom(' ', '  ', '\n', ':', '-', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>', '\n  ', ': ', '- ', ' #', 'x', '&', '*', '!', '%', '?', '<<', '...', '---', '\t', '  \n', '\\')).map(
    ([at, s]) =>
      (text: string) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + s + text.slice(i);
      },
  ),
  fc.nat().map((at) => (text: string) => {
    const i = at % Math.max(1, text.length);
    return text.slice(0, i) + text.slice(i + 1);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 })).map(([at, d]) => (text: string) => {
    const lines = text.split('\n');
    const i = at % lines.length;
    const line = lines[i]!;
    lines[i] = d >= 0 ? indentOf(d) + line : line.replace(new RegExp(`^ {0,${-d}}`), '');
    return lines.join('\n');
  }),
);

/** A generated document after up to three random edits (shown as text when the property fails). */
const damaged = fc.tuple(documents, fc.oneof(fc.constant([]), fc.array(damage, { maxLength: 3 }))).map(([doc, edits]) => edits.reduce((text, edit) => edit(text), doc));
