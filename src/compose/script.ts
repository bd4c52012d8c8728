/**
 * A script as a sequence of spoken text and pauses, for captions and speech. Pause lengths come
 * from `breakSeconds` in the estimator so drafts, captions and plans agree on them.
 */
import { breakSeconds } from '../plan/estimate.js';

/** A piece of a script: text to speak, or a pause from a `<break>` tag. */
export type ScriptSegment = { kind: 'text'; text: string } | { kind: 'break'; seconds: number };

/** Any `<break .../>` tag; its length is whatever the estimator reads from it (0 if it cannot). */
const BREAK_TAG = /<break\b[^>]*\/>/g;

/** Splits a script into text and break pauses, so drafts time pauses as the estimator does. */
export function scriptSegments(script: string): ScriptSegment[] {
  const out: ScriptSegment[] = [];
  let last = 0;
  const pushText = (raw: string): void => {
    const text = raw.replace(/\s+/g, ' ').trim();
    if (text !== '') out.push({ kind: 'text', text });
  };
  for (const m of script.matchAll(BREAK_TAG)) {
    pushText(script.slice(last, m.index));
    out.push({ kind: 'break', seconds: breakSeconds(m[0]) });
    last = m.index + m[0].length;
  }
  pushText(script.slice(last));
  return out;
}

/** The words of a text, split on whitespace. */
export function words(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Sentences of a text, split after `.`, `!`, `?` or `…` (and closing quotes/brackets). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…]["'”’)\]]*)\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
