/**
 * Translation languages as HeyGen names. Checked against HeyGen's list (cached a day in `.heygen/`)
 * before anything is submitted, and by `plan` whenever the list can be had.
 */
import { HeygenBuildError } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';
import { PAID_ACTIONS, type Plan } from '../model/plan.js';
import { cachedLanguages, resolveLanguage } from '../providers/heygen/index.js';


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

export function wantsLanguages(plan: Plan): boolean {
  return plan.items.some((i) => i.kind === 'translation' && PAID_ACTIONS.has(i.action));
}

export function languageError(problems: string[]): HeygenBuildError {
  return new HeygenBuildError('E_LANGUAGE', `unknown translation language:\n  - ${problems.join('\n  - ')}`, {
    hint: "use a short code (es, fr-FR) or a name from HeyGen's language list",
  });
}

/** For build: fetch (or read the cached) list and throw on any unknown language. */
export async function resolveLanguages(plan: Plan, config: ResolvedConfig, fetch: () => Promise<string[]>): Promise<Map<string, string>> {
  if (!wantsLanguages(plan)) return new Map();
  const available = await cachedLanguages(config.root, config.heygen.api, fetch);
  const { names, problems } = checkLanguages(plan, available);
  if (problems.length > 0) throw languageError(problems);
  return names;
}
