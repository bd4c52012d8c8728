/**
 * `review:` on a translation entry: where its SRT lives, and (once approved) the SRT as a local file whose
 * digest the key needs. An approved SRT is read like any asset, so a missing one is reported at the entry.
 */
import { DEFAULT_REVIEW_SRT } from '../../config/defaults.js';
import type { ReviewSpec, SpecPosition } from '../../model/spec.js';
import type { TranslationInput } from '../types.js';
import type { Resolving } from './context.js';

/** The project-relative SRT path of one language of one video, from the config's pattern. */
export function reviewSrtPath(pattern: string, id: string, language: string): string {
  return pattern.replaceAll('{id}', id).replaceAll('{language}', language);
}

/** `{review, at}` for an entry with `review: true | approved`; nothing otherwise (older keys stay). */
export function reviewSpec(r: Resolving, t: Exclude<TranslationInput, string>, id: string, i: number): { review?: ReviewSpec; at?: SpecPosition } {
  if (t.review === undefined || t.review === false) return {};
  const srt = reviewSrtPath(r.config.review?.srt ?? DEFAULT_REVIEW_SRT, id, t.language);
  const at = r.locate?.(['translations', i]);
  if (t.review === 'approved') {
    r.pending.push({ file: srt, path: ['translations', i, 'review'], what: 'reviewed SRT', value: srt });
  }
  return { review: { state: t.review === 'approved' ? 'approved' : 'review', srt }, ...(at ? { at } : {}) };
}
