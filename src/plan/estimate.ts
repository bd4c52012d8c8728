/**
 * Duration and credit estimates. The planner, the draft renderer and the budget check all use
 * these, so a draft lasts as long as the plan said it would.
 */
import type { SceneInput, TranslationMode, VideoSpec } from '../model/spec.js';
import { effectiveScene } from '../model/spec.js';

export const WORDS_PER_MINUTE = 150;
/** Audio files we cannot measure without decoding are estimated as 128 kbit/s. */
const AUDIO_BYTES_PER_SECOND = 16_000;
/** No scene is shorter than this, whatever its script. */
const MIN_SCENE_SECONDS = 1;

export type Engine = 'avatar_iv' | 'avatar_iii' | 'draft';

/**
 * Credits per second of output, one table per engine (HeyGen's enterprise pricing page:
 * Avatar IV 0.1 cr/s, Avatar III 0.0033 cr/s, translation speed 0.05 cr/s, precision 0.1 cr/s).
 * Drafts are free.
 */
export const CREDIT_RATES: Record<Engine, { video: number; translation: Record<TranslationMode, number> }> = {
  avatar_iv: { video: 0.1, translation: { speed: 0.05, precision: 0.1 } },
  avatar_iii: { video: 0.0033, translation: { speed: 0.05, precision: 0.1 } },
  draft: { video: 0, translation: { speed: 0, precision: 0 } },
};

const BREAK = /<break\s+time\s*=\s*"(\d+(?:\.\d+)?)(ms|s)"\s*\/>/g;

/** Seconds of pauses written as `<break time="1.5s"/>` in a script. */
export function breakSeconds(text: string): number {
  if (!text.includes('<break')) return 0;
  let total = 0;
  for (const m of text.matchAll(BREAK)) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n / 1000 : n;
  }
  return total;
}

/** The script without break tags: what is spoken. */
export function spokenText(text: string): string {
  return text.replace(BREAK, ' ').replace(/\s+/g, ' ').trim();
}

/** Words spoken (break tags excluded). A plain scan: plans of 10,000 videos call this often. */
export function wordCount(text: string): number {
  const spoken = text.includes('<break') ? text.replace(BREAK, ' ') : text;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < spoken.length; i++) {
    const c = spoken.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 160;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Estimated seconds of one scene input spoken at `speed` (1 = normal). */
export function estimateInputSeconds(input: SceneInput, speed = 1): number {
  switch (input.type) {
    case 'script': {
      const talk = (wordCount(input.text) / WORDS_PER_MINUTE) * 60;
      return Math.max(MIN_SCENE_SECONDS, talk / (speed > 0 ? speed : 1) + breakSeconds(input.text));
    }
    case 'silence':
      return input.seconds;
    case 'audio':
      return input.source.kind === 'local'
        ? Math.max(MIN_SCENE_SECONDS, input.source.size / AUDIO_BYTES_PER_SECOND)
        : MIN_SCENE_SECONDS;
  }
}

export function estimateSceneSeconds(video: VideoSpec, index: number): number {
  const scene = effectiveScene(video, index);
  return estimateInputSeconds(scene.input, scene.voice?.speed ?? 1);
}

export function estimateVideoSeconds(video: VideoSpec): number {
  let total = 0;
  for (let i = 0; i < video.scenes.length; i++) total += estimateSceneSeconds(video, i);
  return round2(total);
}

export function videoCredits(seconds: number, engine: Engine): number {
  return round2(seconds * CREDIT_RATES[engine].video);
}

export function translationCredits(seconds: number, mode: TranslationMode, engine: Engine): number {
  return round2(seconds * CREDIT_RATES[engine].translation[mode]);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
