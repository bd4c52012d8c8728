/**
 * BCP-47 language and region subtags to the English names HeyGen uses in its language lists
 * ("Spanish (Spain)", "English - American Accent"). `defaults` are the names to try, in order,
 * for a bare code; a region subtag narrows by country name or accent adjective.
 */

export interface LanguageCode {
  name: string;
  defaults: string[];
  /** True when a bare code must not guess (Portuguese: Portugal and Brazil are not interchangeable). */
  ambiguous?: boolean;
}

/** Short language codes a manifest may use, with the HeyGen language names each one maps to by default. */
export const LANGUAGES: Record<string, LanguageCode> = {
  af: { name: 'Afrikaans', defaults: ['Afrikaans (South Africa)'] },
  ar: { name: 'Arabic', defaults: ['Arabic', 'Arabic (Saudi Arabia)'] },
  bg: { name: 'Bulgarian', defaults: ['Bulgarian (Bulgaria)'] },
  bn: { name: 'Bengali', defaults: ['Bengali (India)', 'Bengali (Bangladesh)'] },
  ca: { name: 'Catalan', defaults: ['Catalan (Spain)'] },
  cs: { name: 'Czech', defaults: ['Czech (Czech Republic)', 'Czech (Czechia)'] },
  da: { name: 'Danish', defaults: ['Danish (Denmark)'] },
  de: { name: 'German', defaults: ['German (Germany)'] },
  el: { name: 'Greek', defaults: ['Greek (Greece)'] },
  en: { name: 'English', defaults: ['English', 'English (United States)', 'English - American Accent'] },
  es: { name: 'Spanish', defaults: ['Spanish (Spain)'] },
  fa: { name: 'Persian', defaults: ['Persian (Iran)', 'Persian'] },
  fi: { name: 'Finnish', defaults: ['Finnish (Finland)'] },
  fil: { name: 'Filipino', defaults: ['Filipino (Philippines)'] },
  fr: { name: 'French', defaults: ['French (France)'] },
  he: { name: 'Hebrew', defaults: ['Hebrew (Israel)'] },
  hi: { name: 'Hindi', defaults: ['Hindi (India)'] },
  hr: { name: 'Croatian', defaults: ['Croatian (Croatia)'] },
  hu: { name: 'Hungarian', defaults: ['Hungarian (Hungary)'] },
  id: { name: 'Indonesian', defaults: ['Indonesian (Indonesia)'] },
  it: { name: 'Italian', defaults: ['Italian (Italy)'] },
  ja: { name: 'Japanese', defaults: ['Japanese (Japan)'] },
  ko: { name: 'Korean', defaults: ['Korean (Korea)', 'Korean (South Korea)'] },
  ms: { name: 'Malay', defaults: ['Malay (Malaysia)'] },
  nb: { name: 'Norwegian', defaults: ['Norwegian (Norway)', 'Norwegian Bokmål (Norway)'] },
  nl: { name: 'Dutch', defaults: ['Dutch (Netherlands)'] },
  no: { name: 'Norwegian', defaults: ['Norwegian (Norway)', 'Norwegian Bokmål (Norway)'] },
  pl: { name: 'Polish', defaults: ['Polish (Poland)'] },
  pt: { name: 'Portuguese', defaults: [], ambiguous: true },
  ro: { name: 'Romanian', defaults: ['Romanian (Romania)'] },
  ru: { name: 'Russian', defaults: ['Russian (Russia)'] },
  sk: { name: 'Slovak', defaults: ['Slovak (Slovakia)'] },
  sv: { name: 'Swedish', defaults: ['Swedish (Sweden)'] },
  sw: { name: 'Swahili', defaults: ['Swahili (Kenya)', 'Swahili (Tanzania)'] },
  ta: { name: 'Tamil', defaults: ['Tamil (India)'] },
  th: { name: 'Thai', defaults: ['Thai (Thailand)'] },
  tr: { name: 'Turkish', defaults: ['Turkish (Turkey)', 'Turkish (Türkiye)'] },
  uk: { name: 'Ukrainian', defaults: ['Ukrainian (Ukraine)'] },
  ur: { name: 'Urdu', defaults: ['Urdu (Pakistan)', 'Urdu (India)'] },
  vi: { name: 'Vietnamese', defaults: ['Vietnamese (Vietnam)'] },
  zh: { name: 'Chinese', defaults: ['Chinese (Mandarin, Simplified)', 'Chinese (Mandarin)', 'Chinese'] },
};

/** Regions: the words a HeyGen name may use for them (country names, accent adjectives), most specific first. */
export const REGIONS: Record<string, string[]> = {
  AE: ['United Arab Emirates', 'UAE', 'Emirati'],
  AR: ['Argentina', 'Argentinian'],
  AT: ['Austria', 'Austrian'],
  AU: ['Australia', 'Australian'],
  BE: ['Belgium', 'Belgian'],
  BR: ['Brazil', 'Brazilian'],
  CA: ['Canada', 'Canadian'],
  CH: ['Switzerland', 'Swiss'],
  CL: ['Chile', 'Chilean'],
  CN: ['China', 'Mandarin, Simplified', 'Simplified'],
  CO: ['Colombia', 'Colombian'],
  DE: ['Germany', 'German'],
  EG: ['Egypt', 'Egyptian'],
  ES: ['Spain', 'Spanish', 'Castilian'],
  FR: ['France', 'French'],
  GB: ['United Kingdom', 'UK', 'British'],
  HK: ['Hong Kong', 'Cantonese'],
  IE: ['Ireland', 'Irish'],
  IN: ['India', 'Indian'],
  IT: ['Italy', 'Italian'],
  JP: ['Japan', 'Japanese'],
  KR: ['Korea', 'South Korea', 'Korean'],
  MX: ['Mexico', 'Mexican'],
  NL: ['Netherlands', 'Dutch'],
  NZ: ['New Zealand'],
  PH: ['Philippines', 'Filipino'],
  PT: ['Portugal', 'European'],
  SA: ['Saudi Arabia', 'Saudi'],
  SG: ['Singapore'],
  TW: ['Taiwan', 'Mandarin, Traditional', 'Traditional'],
  UK: ['United Kingdom', 'UK', 'British'],
  US: ['United States', 'USA', 'US', 'American'],
  ZA: ['South Africa', 'South African'],
  '419': ['Latin America', 'Latin American', 'LATAM'],
};
