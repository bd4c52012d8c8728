/**
 * Translation languages as HeyGen names. Checked against HeyGen's list (cached a day in `.heygen/`)
 * before anything is submitted, and by `plan` whenever the list can be had without surprises.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../model/config.js';
import { PAID_ACTIONS, type Plan } from '../../model/plan.js';
import type { HeygenClient } from '../../providers/heygen/index.js';
// Not the barrel: it loads the HTTP client (undici), which `plan` without a key never needs.
import { cachedLanguages, resolveLanguage } from '../../providers/heygen/languages.js';
import type { StateMode } from '../provider.js';

/** The manifest languages resolved to HeyGen names, and the problems for those that are not offered. */
export interface LanguageCheck {
  names: Map<string, string>;
  problems: string[];
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
  for (const [lang, sources] of wanted) {
    const r = resolveLanguage(lang, [...available]);
    if ('name' in r) names.set(lang, r.name);
    else {
      const near = r.suggestions.slice(0, 3).map((s) => `"${s}"`);
      problems.push(`${[...sources].join(', ')}: translations: ${lang}: ${r.error}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
    }
  }
  return { names, problems };
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
  try {
    const file = JSON.parse(await readFile(join(config.root, '.heygen', `languages-${config.heygen.api}.json`), 'utf8')) as { languages?: unknown };
    return Array.isArray(file.languages) ? file.languages.filter((l): l is string => typeof l === 'string') : undefined;
  } catch {
    return undefined; // no cached list: nothing to check against
  }
}
