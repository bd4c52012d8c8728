/**
 * `validate`'s checks of text overlays against the script and the frame, on the resolved spec:
 * an `at` word the script does not say, an overlay that ends after its scene or video (by the same
 * estimate the plan uses; a scene of audio, whose length is only known once probed, is not checked),
 * and text estimated wider or taller than the frame (a warning).
 */
import { overflow } from '../compose/text/layout.js';
import { scriptSays, spreadWords, findWord, type TimedWord } from '../compose/text/words.js';
import type { TextOverlaySpec } from '../model/overlay.js';
import type { Dimension, UnresolvedSpec } from '../model/spec.js';
import { estimateInputSeconds } from '../plan/estimate.js';
import type { DataPath, Issue } from './issue.js';

interface Owner {
  /** Estimated seconds; undefined when unknown (audio). */
  seconds: number | undefined;
  /** Its words, timed from its start (for `at`). */
  words: TimedWord[];
  scripts: string[];
  what: string;
}

/** Every overlay problem of a resolved manifest, errors and warnings. */
export function overlayIssues(spec: UnresolvedSpec): Issue[] {
  // Timing every script's words is most of a cold load's resolve time: only when there is an overlay.
  if (!spec.text?.length && !spec.scenes.some((s) => s.text?.length)) return [];
  const issues: Issue[] = [];
  const scenes: Owner[] = spec.scenes.map((s, i) => {
    const input = s.input;
    const seconds = input.type === 'audio' ? undefined : estimateInputSeconds(input, (s.voice ?? spec.voice)?.speed ?? 1);
    const script = input.type === 'script' ? input.text : undefined;
    return {
      seconds,
      words: script !== undefined && seconds !== undefined ? spreadWords(script, seconds) : [],
      scripts: script !== undefined ? [script] : [],
      what: `scene ${i + 1}`,
    };
  });
  spec.scenes.forEach((s, i) => {
    for (const [k, o] of (s.text ?? []).entries()) check(o, ['scenes', i, 'text', k], scenes[i]!, spec.dimension, issues);
  });
  if (spec.text) {
    const video = videoOwner(scenes);
    for (const [k, o] of spec.text.entries()) check(o, ['text', k], video, spec.dimension, issues);
  }
  return issues;
}

/** The whole video as an owner: its length known only when every scene's is; words shifted by scene starts. */
function videoOwner(scenes: readonly Owner[]): Owner {
  let t = 0;
  let known = true;
  const words: TimedWord[] = [];
  for (const s of scenes) {
    if (s.seconds === undefined) known = false;
    for (const w of s.words) words.push({ word: w.word, start: w.start + t });
    t += s.seconds ?? 0;
  }
  return { seconds: known ? t : undefined, words: known ? words : [], scripts: scenes.flatMap((s) => s.scripts), what: 'the video' };
}

function check(o: TextOverlaySpec, at: DataPath, owner: Owner, dim: Dimension, issues: Issue[]): void {
  let origin = 0;
  if (o.at) {
    if (!owner.scripts.some((s) => scriptSays(s, o.at!.word))) {
      issues.push({
        code: 'E_OVERLAY_WORD',
        message: `the overlay starts at the word "${o.at.word}", which ${owner.what === 'the video' ? 'no scene' : `${owner.what}'s script`} ${owner.what === 'the video' ? 'says' : 'does not say'}`,
        path: [...at, 'at', 'word'],
      });
      return;
    }
    origin = findWord(owner.words, o.at.word) ?? 0;
  }
  if (o.end !== undefined && o.end <= o.start) {
    issues.push({ code: 'E_OVERLAY_TIMING', message: `the overlay ends (${o.end} s) before it starts (${o.start} s)`, path: [...at, 'end'] });
  } else if (owner.seconds !== undefined) {
    const last = origin + (o.end ?? o.start);
    if (last > owner.seconds + 1e-6) {
      const from = o.at ? ` (counted from "${o.at.word}" at about ${origin.toFixed(1)} s)` : '';
      issues.push({
        code: 'E_OVERLAY_TIMING',
        message: `the overlay ${o.end !== undefined ? 'ends' : 'starts'} at ${round1(last)} s${from}, after ${owner.what} ends (about ${round1(owner.seconds)} s)`,
        path: [...at, o.end !== undefined ? 'end' : 'start'],
      });
    }
  }
  for (const [language, text] of Object.entries(o.value)) {
    const px = overflow(text, o.position, o.style, dim);
    if (px > 0) {
      issues.push({
        code: 'W_TEXT_OVERFLOW',
        message: `the overlay's text${language === 'default' ? '' : ` in ${language}`} overflows the ${dim.width}x${dim.height} frame by about ${px} px at size ${o.style.size}`,
        severity: 'warning',
        path: typeof o.value === 'object' && Object.keys(o.value).length > 1 ? [...at, 'value', language] : [...at, 'value'],
      });
    }
  }
}

function round1(n: number): string {
  return (Math.round(n * 10) / 10).toFixed(1);
}
