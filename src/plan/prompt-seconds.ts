/**
 * How long a prompt video is assumed to be, for its estimate. Video Agent decides the length itself, so
 * the plan can only read what the prompt asks for: "in 30 seconds", "a 60-second video", "2 minutes",
 * "one and a half minutes", "half a minute". When the prompt states several lengths ("a 90-second video
 * with a 5-second pause") the longest is the video's: a part is never longer than the whole.
 * With none stated, PROMPT_DEFAULT_SECONDS.
 */

/**
 * A prompt that states no length is priced as one minute: the length HeyGen's own Video Agent examples
 * ask for ("Create a 60-second product demo video...") and the middle of v1's 5-300 s `duration_sec`.
 */
export const PROMPT_DEFAULT_SECONDS = 60;

/** The length a prompt asks for: seconds, and the words that state it (absent when defaulted). */
export interface PromptLength {
  seconds: number;
  statedAs?: string;
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, ninety: 90,
};

// "30 seconds", "30-second", "1.5 minutes", "2-minute", "2 mins", "one minute". No bare "s" or "m":
// "the 1990s" and "2m users" are not lengths.
const AMOUNT = String.raw`(\d+(?:[.,]\d+)?|${Object.keys(NUMBER_WORDS).join('|')})`;
const UNIT = String.raw`(seconds?|secs?|minutes?|mins?)`;
const LENGTH = new RegExp(String.raw`\b${AMOUNT}(\s+and\s+a\s+half)?[\s-]*${UNIT}\b`, 'gi');
const HALF_A_MINUTE = /\bhalf\s+a\s+minute\b/gi;

function amount(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w in NUMBER_WORDS) return NUMBER_WORDS[w];
  const n = Number(w.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/** The length `prompt` asks for, or the default. Pure and cheap: a plan may read thousands of prompts. */
export function promptLength(prompt: string): PromptLength {
  let best: PromptLength | undefined;
  const consider = (seconds: number, statedAs: string): void => {
    if (seconds > 0 && (!best || seconds > best.seconds)) best = { seconds: Math.round(seconds * 100) / 100, statedAs };
  };
  // "half a minute" first, taken out so that its "a minute" is not read as a minute.
  const rest = prompt.replace(HALF_A_MINUTE, (m) => {
    consider(30, m);
    return ' ';
  });
  for (const m of rest.matchAll(LENGTH)) {
    const n = amount(m[1] ?? '');
    const unit = (m[3] ?? '').toLowerCase();
    // "a second video" is another video, not a one-second one; "a minute" is a length.
    if (n === undefined || (/^an?$/i.test(m[1] ?? '') && unit.startsWith('s'))) continue;
    const value = n + (m[2] ? 0.5 : 0);
    consider(unit.startsWith('m') ? value * 60 : value, m[0].trim());
  }
  return best ?? { seconds: PROMPT_DEFAULT_SECONDS };
}
