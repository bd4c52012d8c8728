/** How manifests' translation languages are checked while loading, without a network request. */

/** What is wrong with one translation language, ready to become a diagnostic at its place. */
export interface LanguageVerdict {
  /** 'warning' when only an incomplete list (the one shipped with the package) disagrees. */
  severity: 'error' | 'warning';
  message: string;
  hint: string;
}

/** A language list to check against: where it came from, a digest for caches, and the check itself. */
export interface TranslationLanguages {
  /** `shipped` (the package's data file) or `cached` (last fetched from HeyGen, in .heygen/). */
  readonly from: 'shipped' | 'cached';
  /** Changes whenever the list does: part of the manifest cache's key. */
  readonly digest: string;
  /** Undefined when the language is one HeyGen lists. */
  check(language: string): LanguageVerdict | undefined;
}
