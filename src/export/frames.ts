/**
 * Frame arithmetic the exports share with the compositor: a scene lasts its length rounded to whole
 * frames (at least one), scenes follow each other, and caption words get frame times.
 */
import type { Cue } from '../compose/index.js';

/** Whole frames for `seconds` at `fps`, as the compositor rounds a scene (src/compose/timeline.ts). */
export function sceneFrames(seconds: number, fps: number): number {
  return Math.max(1, Math.round(seconds * fps));
}

/**
 * Splits `total` frames in proportion to `weights`, in whole frames that sum to `total` exactly
 * (largest remainder), each at least one frame when `total` allows it.
 */
export function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  const exact = weights.map((w) => (sum > 0 ? (w / sum) * total : total / weights.length));
  const out = exact.map((x) => Math.floor(x));
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  let left = total - out.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]!++;
  // A scene of zero frames would vanish from the timeline: take one from the longest.
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== 0) continue;
    const longest = out.indexOf(Math.max(...out));
    if (out[longest]! <= 1) break;
    out[longest]!--;
    out[i] = 1;
  }
  return out;
}

/** One caption word with its time in frames (and in milliseconds, as caption libraries take it). */
export interface CaptionWord {
  text: string;
  from: number;
  durationInFrames: number;
  startMs: number;
  endMs: number;
}

/**
 * The words of `cues` with frame times. Cues give a time per line, not per word, so each word gets a
 * share of its cue in proportion to its length (a space counted with it).
 */
export function captionWords(cues: readonly Cue[], fps: number): CaptionWord[] {
  const out: CaptionWord[] = [];
  for (const cue of cues) {
    const words = cue.text.split(/\s+/).filter((w) => w !== '');
    const weight = words.reduce((a, w) => a + w.length + 1, 0);
    let t = cue.start;
    for (const w of words) {
      const end = t + ((cue.end - cue.start) * (w.length + 1)) / weight;
      const from = Math.round(t * fps);
      out.push({ text: w, from, durationInFrames: Math.max(1, Math.round(end * fps) - from), startMs: Math.round(t * 1000), endMs: Math.round(end * 1000) });
      t = end;
    }
  }
  return out;
}
