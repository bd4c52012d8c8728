/**
 * Turning what a manifest says (`es`, `fr-FR`, `Spanish`, `Spanish (Mexico)`) into a language
 * name HeyGen lists, and caching that list for a day (it changes rarely; asking on every plan
 * would cost a request and need a key for a pure command).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../fsx/atomic.js';
import { editDistance } from '../../util/suggest.js';
import { LANGUAGES, REGIONS, type LanguageCode } from './language-codes.js';

/**
 * A manifest language resolved to a HeyGen language name, or why not, with close names to suggest. `reason`:
 * `unknown` (no language by that code or name at all), `unlisted` (a real language or region the list lacks),
 * `ambiguous` (a bare code that must name its region).
 */
export type LanguageResolution = { name: string } | { error: string; suggestions: string[]; reason: 'unknown' | 'unlisted' | 'ambiguous' };

/** Up to 5 names close to `input`: by edit distance, or containing it / its first word. */
function closest(input: string, available: readonly string[]): string[] {
  const lower = input.toLowerCase();
  const limit = Math.max(2, Math.floor(lower.length / 3));
  return available
    .map((name) => {
      const n = name.toLowerCase();
      const base = n.split(/[\s(-]/)[0] ?? n;
      const d = Math.min(editDistance(lower, n), editDistance(lower, base) + 0.5);
      return { name, d: n.includes(lower) && lower.length >= 3 ? 0.25 : d };
    })
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, 5)
    .map((x) => x.name);
}

/** Names of one language: `Spanish`, `Spanish (Mexico)`, `Spanish - Latin American Accent`, not `Spanishish`. */
function namesOf(language: string, available: readonly string[]): string[] {
  const lang = language.toLowerCase();
  return available.filter((n) => {
    const l = n.toLowerCase();
    return l === lang || (l.startsWith(lang) && /^[\s(-]/.test(l.slice(lang.length)));
  });
}

function mentions(name: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'iu').test(name);
}

function byCode(lang: LanguageCode, region: string | undefined, input: string, available: readonly string[]): LanguageResolution {
  const names = namesOf(lang.name, available);
  if (names.length === 0) {
    return { error: `HeyGen does not list ${lang.name} ("${input}") as a translation language`, suggestions: closest(lang.name, available), reason: 'unlisted' };
  }
  if (region !== undefined) {
    const words = REGIONS[region.toUpperCase()] ?? [region];
    // Words in priority order: zh-TW prefers "Mandarin, Traditional" over any "Traditional".
    for (const w of words) {
      const match = names.find((n) => mentions(n.slice(lang.name.length), w));
      if (match) return { name: match };
    }
    return { error: `HeyGen lists no ${lang.name} for region ${region.toUpperCase()} ("${input}")`, suggestions: names.slice(0, 5), reason: 'unlisted' };
  }
  if (lang.ambiguous) {
    return { error: `"${input}" is ambiguous: say which ${lang.name} (for example with a region code)`, suggestions: names.slice(0, 5), reason: 'ambiguous' };
  }
  for (const d of lang.defaults) {
    const hit = names.find((n) => n.toLowerCase() === d.toLowerCase());
    if (hit) return { name: hit };
  }
  return { name: names[0] as string };
}

/**
 * A HeyGen language name for `input`: an exact name (any case); a BCP-47 code (`es`, `pt-BR`,
 * `zh_TW`) or a bare language name (`Spanish`) with a sensible default region; otherwise an
 * error with the nearest names.
 */
export function resolveLanguage(input: string, available: readonly string[]): LanguageResolution {
  const text = input.trim();
  const exact = available.find((n) => n.toLowerCase() === text.toLowerCase());
  if (exact) return { name: exact };

  const code = /^([a-z]{2,3})(?:[-_]([a-z]{2}|\d{3}))?$/i.exec(text);
  if (code) {
    const lang = LANGUAGES[(code[1] as string).toLowerCase()];
    if (lang) return byCode(lang, code[2], text, available);
  }
  const named = Object.values(LANGUAGES).find((l) => l.name.toLowerCase() === text.toLowerCase());
  if (named) return byCode(named, undefined, text, available);
  return { error: `"${text}" is not a translation language HeyGen lists`, suggestions: closest(text, available), reason: 'unknown' };
}

interface LanguageCacheFile {
  fetchedAt: number;
  languages: string[];
}

/** Where the list of HeyGen's translation languages comes from; the API version keys the cache. */
export interface LanguageSource {
  readonly api: 'v3' | 'v2';
  listLanguages(signal?: AbortSignal): Promise<string[]>;
}

/** How long a cached language list is trusted by default: one day. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Options for reading the cached language list: an injectable clock for tests, and an abort signal. */
export interface LanguageCacheOptions {
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * The translation languages, from `<root>/.heygen/languages-<api>.json` when younger than
 * `ttlMs`, else fetched and stored (atomically: a torn cache would only cost a refetch, but a
 * rename is free). A cache that cannot be read or written never fails the caller.
 * Call as `(root, api, fetcher, ttlMs?)` or `(root, client, ttlMs?)`.
 */
export function cachedLanguages(
  root: string,
  api: 'v3' | 'v2',
  fetcher: (signal?: AbortSignal) => Promise<string[]>,
  ttlMs?: number,
  opts?: LanguageCacheOptions,
): Promise<string[]>;
export function cachedLanguages(root: string, source: LanguageSource, ttlMs?: number, opts?: LanguageCacheOptions): Promise<string[]>;
export function cachedLanguages(
  root: string,
  apiOrSource: 'v3' | 'v2' | LanguageSource,
  a?: ((signal?: AbortSignal) => Promise<string[]>) | number,
  b?: number | LanguageCacheOptions,
  c?: LanguageCacheOptions,
): Promise<string[]> {
  if (typeof apiOrSource === 'string') {
    if (typeof a !== 'function') throw new TypeError('cachedLanguages: a fetcher function is required');
    return cached(root, apiOrSource, a, typeof b === 'number' ? b : DAY_MS, c ?? {});
  }
  const source = apiOrSource;
  return cached(root, source.api, (signal) => source.listLanguages(signal), typeof a === 'number' ? a : DAY_MS, typeof b === 'object' ? b : {});
}

async function cached(
  root: string,
  api: 'v3' | 'v2',
  fetcher: (signal?: AbortSignal) => Promise<string[]>,
  ttlMs: number,
  opts: LanguageCacheOptions,
): Promise<string[]> {
  const now = opts.now ?? Date.now;
  const dir = join(root, '.heygen');
  const file = join(dir, `languages-${api}.json`);
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as Partial<LanguageCacheFile>;
    const age = now() - (cached.fetchedAt ?? -Infinity);
    if (age >= 0 && age < ttlMs && Array.isArray(cached.languages) && cached.languages.every((l) => typeof l === 'string')) {
      return cached.languages;
    }
  } catch {
    // Missing or unreadable: fetch below.
  }
  const languages = await fetcher(opts.signal);
  try {
    await mkdir(dir, { recursive: true });
    const data: LanguageCacheFile = { fetchedAt: now(), languages };
    await writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
  } catch {
    // A read-only checkout or a full disk still works, just without a cache (and no temp is left).
  }
  return languages;
}
