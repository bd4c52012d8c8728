/**
 * `plan` checks translation languages when it can without surprises: with an API key it may fetch
 * HeyGen's list (a free GET, cached a day); without one it uses a cached list of any age, or skips.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedConfig } from '../model/config.js';
import type { Plan } from '../model/plan.js';
import { cachedLanguages, createHeygenClient } from '../providers/heygen/index.js';
import { checkLanguages, wantsLanguages, type LanguageCheck } from './languages.js';

export async function planLanguages(plan: Plan, config: ResolvedConfig): Promise<LanguageCheck> {
  const none: LanguageCheck = { names: new Map(), problems: [] };
  if (!wantsLanguages(plan)) return none;
  let available: string[] | undefined;
  if (config.heygen.apiKey) {
    const client = createHeygenClient({
      apiKey: config.heygen.apiKey,
      api: config.heygen.api,
      baseUrl: config.heygen.baseUrl,
      uploadBaseUrl: config.heygen.uploadBaseUrl,
      maxAttempts: 2,
    });
    try {
      available = await cachedLanguages(config.root, config.heygen.api, () => client.listLanguages());
    } catch {
      // Offline or refused: the build checks again before submitting.
    } finally {
      await client.close();
    }
  } else {
    try {
      const file = JSON.parse(await readFile(join(config.root, '.heygen', `languages-${config.heygen.api}.json`), 'utf8')) as { languages?: unknown };
      if (Array.isArray(file.languages)) available = file.languages.filter((l): l is string => typeof l === 'string');
    } catch {
      // No cached list: nothing to check against.
    }
  }
  return available ? checkLanguages(plan, available) : none;
}
