import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedLanguages, resolveLanguage } from '../../../src/providers/heygen/languages.js';

// Names as HeyGen's v3 list spells them, plus v2-style accents.
const V3 = [
  'English',
  'English (United Kingdom)',
  'Spanish (Mexico)',
  'Spanish (Spain)',
  'French (Canada)',
  'French (France)',
  'German (Germany)',
  'Japanese (Japan)',
  'Portuguese (Brazil)',
  'Portuguese (Portugal)',
  'Chinese (Cantonese, Traditional)',
  'Chinese (Mandarin, Simplified)',
  'Chinese (Mandarin, Traditional)',
  'Arabic',
];
const V2 = ['English', 'English - American Accent', 'English - British Accent', 'Spanish', 'French', 'German'];

function name(input: string, list = V3): string {
  const r = resolveLanguage(input, list);
  if (!('name' in r)) throw new Error(`${input}: ${r.error}`);
  return r.name;
}

describe('resolveLanguage', () => {
  it('takes an exact name in any case', () => {
    expect(name('spanish (mexico)')).toBe('Spanish (Mexico)');
    expect(name('  Chinese (Cantonese, Traditional) ')).toBe('Chinese (Cantonese, Traditional)');
  });

  it.each([
    ['es', 'Spanish (Spain)'],
    ['fr-FR', 'French (France)'],
    ['fr-ca', 'French (Canada)'],
    ['fr_CA', 'French (Canada)'],
    ['pt-BR', 'Portuguese (Brazil)'],
    ['pt-PT', 'Portuguese (Portugal)'],
    ['en', 'English'],
    ['en-GB', 'English (United Kingdom)'],
    ['de', 'German (Germany)'],
    ['ja', 'Japanese (Japan)'],
    ['zh', 'Chinese (Mandarin, Simplified)'],
    ['zh-TW', 'Chinese (Mandarin, Traditional)'],
    ['zh-HK', 'Chinese (Cantonese, Traditional)'],
    ['es-MX', 'Spanish (Mexico)'],
    ['ar', 'Arabic'],
    ['Spanish', 'Spanish (Spain)'],
  ])('%s -> %s', (input, want) => {
    expect(name(input)).toBe(want);
  });

  it('works with v2 names (no regions, accents)', () => {
    expect(name('es', V2)).toBe('Spanish');
    expect(name('en-US', V2)).toBe('English - American Accent');
    expect(name('en-GB', V2)).toBe('English - British Accent');
    expect(name('en', V2)).toBe('English');
  });

  it('will not guess between Portugal and Brazil', () => {
    const r = resolveLanguage('pt', V3);
    expect(r).toMatchObject({ error: expect.stringContaining('ambiguous') });
    expect('suggestions' in r && r.suggestions).toEqual(['Portuguese (Brazil)', 'Portuguese (Portugal)']);
  });

  it('suggests the nearest names for a typo', () => {
    const r = resolveLanguage('Spansh (Mexico)', V3);
    expect('error' in r && r.suggestions[0]).toBe('Spanish (Mexico)');
    const g = resolveLanguage('Germn', V3);
    expect('error' in g && g.suggestions).toContain('German (Germany)');
  });

  it('says when a language or region is not listed', () => {
    expect(resolveLanguage('ko', V3)).toMatchObject({ error: expect.stringContaining('Korean') });
    const r = resolveLanguage('es-AR', V3);
    expect(r).toMatchObject({ error: expect.stringContaining('region AR') });
    expect('suggestions' in r && r.suggestions).toEqual(['Spanish (Mexico)', 'Spanish (Spain)']);
  });
});

describe('cachedLanguages', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hb-lang-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('fetches once per day and per API, storing .heygen/languages-<api>.json', async () => {
    let t = 1_000_000;
    let calls = 0;
    const fetcher = async (): Promise<string[]> => {
      calls++;
      return [`Lang ${calls}`];
    };
    const now = (): number => t;
    expect(await cachedLanguages(root, 'v3', fetcher, undefined, { now })).toEqual(['Lang 1']);
    t += 23 * 3600_000;
    expect(await cachedLanguages(root, 'v3', fetcher, undefined, { now })).toEqual(['Lang 1']);
    expect(calls).toBe(1);
    const stored = JSON.parse(await readFile(join(root, '.heygen', 'languages-v3.json'), 'utf8')) as { languages?: unknown };
    expect(stored.languages).toEqual(['Lang 1']);

    expect(await cachedLanguages(root, 'v2', fetcher, undefined, { now })).toEqual(['Lang 2']);
    t += 2 * 3600_000;
    expect(await cachedLanguages(root, 'v3', fetcher, undefined, { now })).toEqual(['Lang 3']);
  });

  it('accepts a client-like source and refetches over a corrupt cache', async () => {
    await mkdir(join(root, '.heygen'));
    await writeFile(join(root, '.heygen', 'languages-v2.json'), '{"fetchedAt": 5, "langu');
    const source = { api: 'v2' as const, listLanguages: async () => ['German'] };
    expect(await cachedLanguages(root, source)).toEqual(['German']);
  });
});
