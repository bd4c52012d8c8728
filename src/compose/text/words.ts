/**
 * When each word of a scene is said, for overlays that start `at: {word}`. The times come from what
 * the scene already has: a clip's captions (HeyGen's SRT, or cues made from TTS word timestamps), else
 * the draft's own spread of the script over the scene (the same spread its draft captions use).
 * Within a cue, words share its time evenly; a cue's first word starts exactly with it.
 */
import { scriptSegments, sentences, words } from '../script.js';

/** A word and when it starts, in seconds from the start of its scene. */
export interface TimedWord {
  word: string;
  start: number;
}

/** A word as compared: lower case, letters and digits only ("Smith," and "smith" match). */
export function normalizeWord(w: string): string {
  return w.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The words of a phrase as compared; empty words (punctuation alone) are dropped. */
function tokens(text: string): string[] {
  return words(text).map(normalizeWord).filter((w) => w !== '');
}

/** When the first occurrence of `phrase` (one word or several) starts, or undefined when it is not said. */
export function findWord(timed: readonly TimedWord[], phrase: string): number | undefined {
  const want = tokens(phrase);
  if (want.length === 0) return undefined;
  const have = timed.map((t) => ({ ...t, norm: normalizeWord(t.word) })).filter((t) => t.norm !== '');
  for (let i = 0; i + want.length <= have.length; i++) {
    if (want.every((w, k) => have[i + k]!.norm === w)) return have[i]!.start;
  }
  return undefined;
}

/** Whether a script says `phrase` (validation: no timing needed). */
export function scriptSays(script: string, phrase: string): boolean {
  const timed = scriptSegments(script).flatMap((s) => (s.kind === 'text' ? words(s.text).map((word) => ({ word, start: 0 })) : []));
  return findWord(timed, phrase) !== undefined;
}

/** Words timed from cues (relative to the scene): each cue's words share its time evenly. */
export function cueWords(cues: readonly { start: number; end: number; text: string }[]): TimedWord[] {
  const out: TimedWord[] = [];
  for (const c of [...cues].sort((a, b) => a.start - b.start)) {
    const ws = words(c.text);
    const step = ws.length > 0 ? Math.max(0, c.end - c.start) / ws.length : 0;
    ws.forEach((word, i) => out.push({ word, start: c.start + i * step }));
  }
  return out;
}

/**
 * Words of a draft scene lasting `seconds`: talking time spread evenly over the words, pauses kept,
 * exactly as the draft's captions are timed (src/compose/captions.ts `buildCues`).
 */
export function spreadWords(script: string, seconds: number): TimedWord[] {
  const segments = scriptSegments(script);
  const pauses = segments.reduce((t, s) => t + (s.kind === 'break' ? s.seconds : 0), 0);
  const total = segments.reduce((n, s) => n + (s.kind === 'text' ? words(s.text).length : 0), 0);
  if (total === 0) return [];
  const squeeze = pauses > seconds ? seconds / pauses : 1;
  const perWord = Math.max(0, seconds - pauses * squeeze) / total;
  const out: TimedWord[] = [];
  let t = 0;
  for (const seg of segments) {
    if (seg.kind === 'break') {
      t += seg.seconds * squeeze;
      continue;
    }
    for (const sentence of sentences(seg.text)) {
      for (const word of words(sentence)) {
        out.push({ word, start: t });
        t += perWord;
      }
    }
  }
  return out;
}
