/**
 * Translation target names as HeyGen lists them: names, not BCP-47 codes. A realistic subset of
 * the 175+ (names seen in HeyGen's docs and skills, e.g. "Spanish (Spain)", "Chinese (Mandarin,
 * Simplified)"). v2 also offers accent variants of English.
 */
export const LANGUAGES: readonly string[] = [
  'English',
  'English (United States)',
  'English (United Kingdom)',
  'English (Australia)',
  'English (India)',
  'Spanish (Spain)',
  'Spanish (Mexico)',
  'Spanish (Latin America)',
  'French (France)',
  'French (Canada)',
  'German (Germany)',
  'Italian (Italy)',
  'Portuguese (Brazil)',
  'Portuguese (Portugal)',
  'Dutch (Netherlands)',
  'Polish (Poland)',
  'Swedish (Sweden)',
  'Turkish (Turkey)',
  'Russian (Russia)',
  'Ukrainian (Ukraine)',
  'Arabic',
  'Arabic (Saudi Arabia)',
  'Hebrew (Israel)',
  'Hindi (India)',
  'Japanese (Japan)',
  'Korean (Korea)',
  'Chinese (Mandarin, Simplified)',
  'Chinese (Cantonese, Traditional)',
  'Chinese (Taiwanese Mandarin, Traditional)',
  'Indonesian (Indonesia)',
  'Vietnamese (Vietnam)',
  'Thai (Thailand)',
];

/** The languages the v2 translation endpoint lists, which add English accent variants to the v3 list. */
export const V2_LANGUAGES: readonly string[] = [
  'English - Your Accent',
  'English - American Accent',
  ...LANGUAGES,
];

/** BCP-47-ish code reported as `output_language` by v3 GET (its schema says "code"). */
export function languageCode(name: string): string {
  const table: Record<string, string> = {
    English: 'en',
    Spanish: 'es',
    French: 'fr',
    German: 'de',
    Italian: 'it',
    Portuguese: 'pt',
    Dutch: 'nl',
    Polish: 'pl',
    Swedish: 'sv',
    Turkish: 'tr',
    Russian: 'ru',
    Ukrainian: 'uk',
    Arabic: 'ar',
    Hebrew: 'he',
    Hindi: 'hi',
    Japanese: 'ja',
    Korean: 'ko',
    Chinese: 'zh',
    Indonesian: 'id',
    Vietnamese: 'vi',
    Thai: 'th',
  };
  return table[name.split(/[ (-]/)[0] ?? ''] ?? 'und';
}
