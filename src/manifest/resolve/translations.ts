/** Translations: defaults filled in, each language once. */

import type { CaptionMode, TranslationOptionsSpec, TranslationSpec } from '../../model/spec.js';
import { reviewSpec } from './review.js';
import { formatPath, quoteList, type DataPath } from '../issue.js';
import type { ManifestInput, TranslationInput } from '../types.js';
import type { Resolving } from './context.js';

/**
 * Resolves requested translations (mode `speed` and the video's captions unless set), reporting a language asked for
 * twice.
 */
export function translations(r: Resolving, m: ManifestInput, caption: CaptionMode, id: string): TranslationSpec[] {
  const seen = new Map<string, number>();
  return (m.translations ?? []).flatMap((t: TranslationInput, i): TranslationSpec[] => {
    const spec: TranslationSpec =
      typeof t === 'string'
        ? { language: t, mode: 'speed', captions: caption !== 'none', audioOnly: false }
        : {
            language: t.language,
            mode: t.mode ?? 'speed',
            captions: t.captions ?? caption !== 'none',
            audioOnly: t.audio_only ?? false,
            ...translationOptions(t),
            ...reviewSpec(r, t, id, i),
          };
    const first = seen.get(spec.language);
    if (first !== undefined) {
      r.issues.push({
        code: 'E_SCHEMA',
        message: `translations[${i}] repeats ${quoteList([spec.language])} (already translations[${first}])`,
        path: ['translations', i],
      });
      return [];
    }
    seen.set(spec.language, i);
    checkLanguage(r, spec.language, typeof t === 'string' ? ['translations', i] : ['translations', i, 'language']);
    return [spec];
  });
}

const OPTION_KEYS = [
  'speaker_num',
  'enable_speech_enhancement',
  'disable_music_track',
  'enable_video_stretching',
  'keep_the_same_format',
  'brand_glossary_id',
] as const;

/** HeyGen's translation options the entry sets, as `{options}` (nothing when it sets none, so older keys stay). */
function translationOptions(t: Exclude<TranslationInput, string>): { options?: TranslationOptionsSpec } {
  const options: Record<string, number | boolean | string> = {};
  for (const k of OPTION_KEYS) if (t[k] !== undefined) options[k] = t[k];
  return Object.keys(options).length > 0 ? { options } : {};
}

/** The offline check against HeyGen's list, placed at the language as written. */
function checkLanguage(r: Resolving, language: string, at: DataPath): void {
  const verdict = r.languages?.check(language);
  if (!verdict) return;
  r.issues.push({
    code: verdict.severity === 'error' ? 'E_LANGUAGE' : 'W_LANGUAGE_UNLISTED',
    severity: verdict.severity,
    message: `${formatPath(at)}: ${verdict.message}`,
    hint: verdict.hint,
    path: at,
  });
}
