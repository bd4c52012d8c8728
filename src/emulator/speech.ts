/**
 * `POST /v3/voices/speech` (Starfish TTS), answered synchronously as the schema says: a
 * presigned `audio_url` to a real MP3, its `duration`, and `word_timestamps[{word, start, end}]`
 * that add up to that duration. Words are spoken at 150 a minute divided by `speed`; SSML
 * `<break time="..."/>` pauses are silences between words. Charged at 0.000333 credits a second.
 */
import { type Ctx, jsonBody } from './context.js';
import { ApiError, okBody } from './envelopes.js';
import { fileUrl } from './files.js';
import { speechMp3 } from './generate.js';
import type { Reply } from './http-util.js';
import { newId } from './jobs.js';
import { assertValid } from './validate.js';
import { assertStarfish } from './voices.js';

/** Starfish TTS, HeyGen's enterprise pricing page. */
export const TTS_RATE = 0.000333;

const BREAK = /<break\s+time\s*=\s*"(\d+(?:\.\d+)?)(ms|s)"\s*\/>/g;

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

interface Timed {
  words: Array<{ word: string; start: number; end: number }>;
  seconds: number;
}

/** Word timings for `text`: SSML tags other than `<break>` are dropped, breaks become gaps. */
export function timeWords(text: string, ssml: boolean, speed: number): Timed {
  const perWord = 60 / 150 / speed;
  // Mark each break with a sentinel token so its gap lands between the right words.
  const marked = text.replace(BREAK, (_m, n: string, unit: string) => ` \u0000${unit === 'ms' ? Number(n) / 1000 : Number(n)} `);
  const plain = ssml ? marked.replace(/<[^>]*>/g, ' ') : marked;
  const words: Timed['words'] = [];
  let t = 0;
  for (const token of plain.split(/\s+/).filter(Boolean)) {
    if (token.startsWith('\u0000')) {
      t += Number(token.slice(1));
      continue;
    }
    words.push({ word: token, start: round3(t), end: round3(t + perWord) });
    t += perWord;
  }
  return { words, seconds: round3(Math.max(t, perWord)) };
}

function range(value: unknown, min: number, max: number, param: string): void {
  if (value !== undefined && (typeof value !== 'number' || value < min || value > max)) {
    throw new ApiError(400, 'validation_error', `${param} must be between ${min} and ${max}`, param);
  }
}

/** Handles `POST /v3/voices/speech`: validates the body and answers at once with audio and word timings. */
export async function createSpeech(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  assertValid('VoiceSpeechCreate', body);
  const text = body.text as string;
  // Rules the schema gives in prose: "1-5000 characters", "Speed multiplier (0.5-2.0)", "'text' ... 'ssml'".
  if (text.trim().length === 0 || text.length > 5000) {
    throw new ApiError(400, 'validation_error', 'text must be 1-5000 characters', 'text');
  }
  range(body.speed, 0.5, 2, 'speed');
  if (body.input_type !== undefined && body.input_type !== 'text' && body.input_type !== 'ssml') {
    throw new ApiError(400, 'validation_error', `input_type must be one of: text, ssml (got ${JSON.stringify(body.input_type)})`, 'input_type');
  }
  assertStarfish(body.voice_id as string);
  const speed = typeof body.speed === 'number' ? body.speed : 1;
  const timed = timeWords(text, body.input_type === 'ssml', speed);
  if (timed.words.length === 0) throw new ApiError(400, 'validation_error', 'text has no words to speak', 'text');
  // The file first: a failure to make it must not cost credits.
  await speechMp3(timed.seconds);
  const { store, signer, base } = ctx.deps;
  const job = store.addSpeech({
    api: 'v3',
    body,
    idempotencyKey: ctx.idempotencyKey,
    duration: timed.seconds,
    text: timed.words.map((w) => w.word).join(' '),
    captions: 'none',
    outputFormat: 'mp3',
    rate: TTS_RATE,
  });
  return {
    status: 200,
    body: okBody('v3', {
      audio_url: fileUrl(signer, base, job, 'mp3'),
      duration: timed.seconds,
      request_id: newId(),
      word_timestamps: timed.words,
    }),
  };
}
