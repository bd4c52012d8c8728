/**
 * Translation languages as HeyGen names. Checked against HeyGen's list (cached a day in `.heygen/`)
 * before anything is submitted, and by `plan` whenever the list can be had without surprises.
 * Offline (`validate`, and every load of the manifests) they are checked against the last list
 * fetched from HeyGen, in `.heygen/`, or else the list shipped with the package (data/).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../model/config.js';
import type { LanguageVerdict, TranslationLanguages } from '../../model/languages.js';
import { PAID_ACTIONS, type Plan } from '../../model/plan.js';
import type { HeygenClient } from '../../providers/heygen/index.js';
// Not the barrel: it loads the HTTP client, which `plan` without a key never needs.
import { cachedLanguages, resolveLanguage } from '../../providers/heygen/languages.js';
import type { StateMode } from '../provider.js';

/** The manifest languages resolved to HeyGen names, and the problems for those that are not offered. */
export interface LanguageCheck {
  names: Map<string, string>;
  problems: string[];
  /** The first problem's manifest and language, to place the error. */
  first?: { source: string; language: string };
}

/** Languages of translations the plan would pay for, resolved against `available`. */
export function checkLanguages(plan: Plan, available: readonly string[]): LanguageCheck {
  // Language -> the manifests that ask for it, so an error names where to fix it.
  const wanted = new Map<string, Set<string>>();
  for (const i of plan.items) {
    if (i.kind !== 'translation' || !PAID_ACTIONS.has(i.action)) continue;
    const sources = wanted.get(i.language!) ?? new Set<string>();
    if (i.source) sources.add(i.source);
    wanted.set(i.language!, sources);
  }
  const names = new Map<string, string>();
  const problems: string[] = [];
  let first: LanguageCheck['first'];
  for (const [lang, sources] of wanted) {
    const r = resolveLanguage(lang, [...available]);
    if ('name' in r) names.set(lang, r.name);
    else {
      const near = r.suggestions.slice(0, 3).map((s) => `"${s}"`);
      problems.push(`${[...sources].join(', ')}: translations: ${lang}: ${r.error}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
      const source = [...sources][0];
      if (!first && source !== undefined) first = { source, language: lang };
    }
  }
  return first ? { names, problems, first } : { names, problems };
}

/** Whether the plan would pay for any translation, i.e. whether HeyGen's language list must be fetched. */
export function wantsLanguages(plan: Plan): boolean {
  return plan.items.some((i) => i.kind === 'translation' && PAID_ACTIONS.has(i.action));
}

/**
 * HeyGen's language list for the checks. A build fetches it (a free GET, cached a day) and fails if it
 * cannot; `plan` fetches only with a key and goes on without it, and without a key uses a cached list of
 * any age, or none.
 */
export async function languageList(
  config: ResolvedConfig,
  mode: StateMode,
  client: () => HeygenClient | undefined,
  signal?: AbortSignal,
): Promise<readonly string[] | undefined> {
  const c = client();
  if (mode === 'build') return cachedLanguages(config.root, config.heygen.api, () => c!.listLanguages(signal));
  if (c) {
    try {
      return await cachedLanguages(config.root, config.heygen.api, () => c.listLanguages(signal));
    } catch {
      return undefined; // offline or refused: the build checks again before submitting
    }
  }
  return cachedList(config);
}

/** The list last fetched from HeyGen (`.heygen/languages-<api>.json`), of any age; undefined when there is none. */
async function cachedList(config: ResolvedConfig): Promise<readonly string[] | undefined> {
  try {
    const file = JSON.parse(await readFile(join(config.root, '.heygen', `languages-${config.heygen.api}.json`), 'utf8')) as { languages?: unknown };
    if (!Array.isArray(file.languages)) return undefined;
    const list = file.languages.filter((l): l is string => typeof l === 'string');
    return list.length > 0 ? list : undefined;
  } catch {
    return undefined; // no cached list: nothing to check against
  }
}

interface ShippedFile {
  languages: string[];
  /** What the legacy v2 endpoint lists on top of v3's names (English accents). */
  v2Extra: string[];
}

/** The package's data file: two folders up from src/execute/heygen or dist/execute/heygen. */
const SHIPPED_FILE = new URL('../../../data/heygen-languages.json', import.meta.url);
let shipped: ShippedFile | undefined;

/** HeyGen's translation languages as shipped with the package (data/heygen-languages.json), for an API version. */
export function shippedLanguages(api: 'v3' | 'v2' = 'v3'): readonly string[] {
  shipped ??= JSON.parse(readFileSync(SHIPPED_FILE, 'utf8')) as ShippedFile;
  return api === 'v2' ? [...shipped.v2Extra, ...shipped.languages] : shipped.languages;
}

/**
 * The offline language check the manifest loader runs: against the list last fetched from HeyGen when
 * there is one (authoritative), else the shipped one. The shipped list can lag behind HeyGen's, so a real
 * language or region it lacks is only a warning; a name that is no language at all is an error either way.
 */
export async function offlineLanguages(config: ResolvedConfig): Promise<TranslationLanguages> {
  const cached = await cachedList(config);
  return languageChecker(cached ?? shippedLanguages(config.heygen.api), cached ? 'cached' : 'shipped');
}

/** A check against `list`; see offlineLanguages for how `from` changes the severity. */
export function languageChecker(list: readonly string[], from: TranslationLanguages['from']): TranslationLanguages {
  const digest = createHash('sha256').update(JSON.stringify([from, list])).digest('hex');
  const where = from === 'cached' ? "HeyGen's list (fetched into .heygen/)" : 'the list shipped with heygen-build';
  const verdicts = new Map<string, LanguageVerdict | undefined>();
  const check = (language: string): LanguageVerdict | undefined => {
    const r = resolveLanguage(language, list);
    if ('name' in r) return undefined;
    const near = r.suggestions.slice(0, 3).map((n) => `"${n}"`);
    const mean = near.length > 0 ? `; did you mean ${near.join(', ')}?` : '';
    if (from === 'shipped' && r.reason === 'unlisted') {
      return {
        severity: 'warning',
        message: `${r.error} in ${where}${mean}`,
        hint: 'the shipped list may lag behind HeyGen: `heygen-build plan` with HEYGEN_API_KEY set checks HeyGen\'s current list (and keeps it in .heygen/)',
      };
    }
    return { severity: 'error', message: `${r.error}${mean}`, hint: `use a short code (es, fr-FR) or a name from ${where}` };
  };
  return {
    from,
    digest,
    check: (language) => {
      // Thousands of manifests ask for the same few languages.
      if (!verdicts.has(language)) verdicts.set(language, check(language));
      return verdicts.get(language);
    },
  };
}
