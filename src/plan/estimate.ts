/**
 * Duration and credit estimates. The planner, the draft renderer and the budget check all use
 * these, so a draft lasts as long as the plan said it would.
 */
import type { EffectiveScene, SceneInput, TranslationMode, VideoSpec } from '../model/spec.js';
import { effectiveScene } from '../model/spec.js';

/** Speaking rate assumed for a script at voice speed 1, the basis of every duration estimate. */
export const WORDS_PER_MINUTE = 150;
/** Audio files we cannot measure without decoding are estimated as 128 kbit/s. */
const AUDIO_BYTES_PER_SECOND = 16_000;
/** No scene is shorter than this, whatever its script. */
const MIN_SCENE_SECONDS = 1;

/** Which renderer prices the seconds: one of HeyGen's avatar engines, or a free draft. */
export type Engine = 'avatar_iv' | 'avatar_iii' | 'avatar_v' | 'draft';

/**
 * Credits per second of output, one table per engine: the one rates table. HeyGen's enterprise pricing
 * page (heygen-api.md §8): Avatar IV 0.1 cr/s, Avatar III 0.0033 cr/s, translation speed 0.05 cr/s,
 * precision 0.1 cr/s. Avatar V has no credit rate of its own there; HeyGen's self-serve price list
 * bills "Avatar IV & V" at one rate, so it is priced as Avatar IV. A photo (`type: image`) renders on
 * Avatar IV. Drafts are free.
 */
export const CREDIT_RATES: Record<Engine, { video: number; translation: Record<TranslationMode, number> }> = {
  avatar_iv: { video: 0.1, translation: { speed: 0.05, precision: 0.1 } },
  avatar_v: { video: 0.1, translation: { speed: 0.05, precision: 0.1 } },
  avatar_iii: { video: 0.0033, translation: { speed: 0.05, precision: 0.1 } },
  draft: { video: 0, translation: { speed: 0, precision: 0 } },
};

const BREAK = /<break\s+time\s*=\s*"(\d+(?:\.\d+)?)(ms|s)"\s*\/>/g;

/** Seconds of pauses written as `<break time="1.5s"/>` in a script. */
export function breakSeconds(text: string): number {
  if (!text.includes('<break')) return 0;
  let total = 0;
  // An exec loop, not matchAll (a cloned regex and an iterator per script); a finished loop leaves lastIndex at 0.
  BREAK.lastIndex = 0;
  for (let m = BREAK.exec(text); m !== null; m = BREAK.exec(text)) {
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

const SECONDS_PER_WORD = 60 / WORDS_PER_MINUTE;

/**
 * Scripts without spaces between words are timed per character. Counting their "words" by spaces made
 * a 40-character Japanese sentence one word (0.4 s, then the 1 s minimum) where it takes ~8 s to say,
 * so a budget let through about 14 times the spend. Rates, a little below broadcast news as 150 wpm is
 * for English:
 * - Japanese (any kana in the script; kanji and kana alike): 5 characters/s. NHK writes news for
 *   300 characters a minute (Yano Kaori, former NHK announcer, "NHK式+心理学 一分で一生の信頼を勝ち取る法";
 *   commercial stations 300-400). Read Japanese runs at 7.84 morae/s with pauses cut out (Pellegrino,
 *   Coupé & Marsico 2011, "A cross-language perspective on speech information rate", Language 87(3)),
 *   and kanji-kana text has ~1.3-1.5 morae per character.
 * - Chinese (Han without kana): 4 characters/s, one character being one syllable. Everyday Mandarin is
 *   about 240 syllables a minute and CCTV news ~300 characters (人民网, "当'中国之声'遇上'新闻联播'
 *   播音员揭秘幕后故事"); read Mandarin runs at 5.18 syllables/s with pauses cut out (Pellegrino et al. 2011).
 * - Thai, Lao, Khmer and Burmese: split into words with ICU's dictionaries (Intl.Segmenter) and timed
 *   like spaced words. Languages carry about the same information per second (~39 bits/s across 17
 *   languages: Coupé et al. 2019, Science Advances 5(9) eaaw2594), so a dictionary word takes about as
 *   long as an English one (Chinese and Japanese segmented this way land within ~10% of the rates above on
 *   the texts in test/plan/estimate.test.ts).
 * Korean separates words by spaces and stays on the word count.
 */
const JAPANESE_CHARS_PER_SECOND = 5;
const CHINESE_CHARS_PER_SECOND = 4;

/** Below U+0E00 (Latin, Greek, Cyrillic, Arabic, Hebrew, Indic scripts) every script spaces its words. */
const FIRST_UNSPACED = 0x0e00;

// Character classes by UTF-16 unit, as plain compares: a regex per script cost ~15 µs a scene.

/** Thai, Lao, Myanmar, Khmer: words are found by ICU's dictionaries. */
function isSegmented(c: number): boolean {
  return (
    (c >= 0x0e00 && c <= 0x0eff) || // Thai, Lao
    (c >= 0x1000 && c <= 0x109f) || // Myanmar
    (c >= 0x1780 && c <= 0x17ff) || // Khmer
    (c >= 0x19e0 && c <= 0x19ff) || // Khmer symbols
    (c >= 0xa9e0 && c <= 0xa9ff) || // Myanmar extended-B
    (c >= 0xaa60 && c <= 0xaa7f) // Myanmar extended-A
  );
}

function isKana(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9f);
}

/** Han, with 々 〆 〇; a high surrogate of planes 2-3 (Han extensions B-H) counts for its character. */
function isHan(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x3005 && c <= 0x3007) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xd840 && c <= 0xd88f)
  );
}

function isUnspaced(c: number): boolean {
  return isHan(c) || isKana(c) || isSegmented(c);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 160 || c === 0x3000;
}

/** Punctuation and symbols: never a word of their own (、。 stand alone in CJK text). */
function isPunctuation(c: number): boolean {
  if (c < 0x80) return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
  return (
    (c >= 0x2000 && c <= 0x206f) || // general punctuation
    (c >= 0x3001 && c <= 0x303f) || // CJK symbols and punctuation (々 〆 〇 are Han, tested first)
    (c >= 0xff01 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65) ||
    (c >= 0xdc00 && c <= 0xdfff) // a low surrogate: part of the character before it
  );
}

/**
 * Seconds to say a script at normal speed, breaks excluded. English and every other spaced script take
 * the plain word scan only (one more compare per character); the first character of an unspaced script
 * switches to the per-character count (typographic quotes and dashes do not).
 */
export function speechSeconds(text: string): number {
  const spoken = text.includes('<break') ? text.replace(BREAK, ' ') : text;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < spoken.length; i++) {
    const c = spoken.charCodeAt(i);
    if (c >= FIRST_UNSPACED && isUnspaced(c)) return unspacedSeconds(spoken);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 160;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words * SECONDS_PER_WORD;
}

let segmenter: Intl.Segmenter | undefined;

function dictionaryWords(run: string): number {
  // Created once: building a segmenter costs far more than using it.
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  let n = 0;
  for (const s of segmenter.segment(run)) if (s.isWordLike) n++;
  return n;
}

/** One pass: kana and Han characters, runs for the segmenter, and spaced words (Latin, numbers, Korean). */
function unspacedSeconds(spoken: string): number {
  let kana = 0;
  let han = 0;
  let words = 0;
  let inWord = false;
  let run = -1;
  for (let i = 0; i <= spoken.length; i++) {
    const c = i < spoken.length ? spoken.charCodeAt(i) : 32;
    if (isSegmented(c)) {
      if (run < 0) run = i;
      inWord = false;
      continue;
    }
    if (run >= 0) {
      words += dictionaryWords(spoken.slice(run, i));
      run = -1;
    }
    if (isHan(c)) han++;
    else if (isKana(c)) kana++;
    else if (isPunctuation(c)) continue;
    else if (!isSpace(c)) {
      if (!inWord) words++;
      inWord = true;
      continue;
    }
    inWord = false;
  }
  const perChar = kana > 0 ? (kana + han) / JAPANESE_CHARS_PER_SECOND : han / CHINESE_CHARS_PER_SECOND;
  return perChar + words * SECONDS_PER_WORD;
}

/** Estimated seconds of one scene input spoken at `speed` (1 = normal). */
export function estimateInputSeconds(input: SceneInput, speed = 1): number {
  switch (input.type) {
    case 'script': {
      const talk = speechSeconds(input.text);
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

/** Estimated length of one scene in seconds, from its input and the voice speed. */
export function estimateSceneSeconds(video: VideoSpec, index: number): number {
  return estimateEffectiveSeconds(effectiveScene(video, index));
}

/** As `estimateSceneSeconds`, for a scene whose inherited settings are already worked out. */
export function estimateEffectiveSeconds(scene: EffectiveScene): number {
  return estimateInputSeconds(scene.input, scene.voice?.speed ?? 1);
}

/** Estimated length of a whole video: the sum of its scenes, rounded to hundredths. */
export function estimateVideoSeconds(video: VideoSpec): number {
  let total = 0;
  for (let i = 0; i < video.scenes.length; i++) total += estimateSceneSeconds(video, i);
  return round2(total);
}

/** Estimated credits to render a video of that many seconds with that engine. */
export function videoCredits(seconds: number, engine: Engine): number {
  return round2(seconds * CREDIT_RATES[engine].video);
}

/** Estimated credits to translate a video of that many seconds in that mode. */
export function translationCredits(seconds: number, mode: TranslationMode, engine: Engine): number {
  return round2(seconds * CREDIT_RATES[engine].translation[mode]);
}

/** Rounds to hundredths, the precision plans show seconds and credits in. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Video Agent's price: 0.0667 credits per second of output (4 a minute), HeyGen's enterprise pricing
 * page (reference/heygen-api.md §8). Drafts are free. Kept here beside the engines' table and the
 * proofread rate, so every HeyGen rate the planner prices with is in this one file.
 */
export const VIDEO_AGENT_CREDITS_PER_SECOND = 0.0667;

/**
 * Credits per second of a HeyGen proofread session (reference: enterprise pricing, "proofread 0.00833 cr/s"):
 * the transcription and translation into an SRT to review. Its render (`generate`) is priced as a translation.
 */
export const PROOFREAD_RATE = 0.00833;

/** Estimated credits of a proofread of a video of that many seconds (drafts: free). */
export function proofreadCredits(seconds: number, engine: Engine): number {
  return engine === 'draft' ? 0 : round2(seconds * PROOFREAD_RATE);
}
