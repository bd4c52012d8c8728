/**
 * How long a render "lasts" and what it says: the emulator's own reading of a request body
 * (150 words a minute, `<break time="1.5s"/>` pauses, at least 1 s per scene), independent of
 * the client's estimator on purpose.
 */

type Json = Record<string, unknown>;

const BREAK = /<break\s+time\s*=\s*"(\d+(?:\.\d+)?)(ms|s)"\s*\/>/g;
/** Audio we only know by size is taken as 128 kbit/s; audio we cannot see at all as 5 s. */
const AUDIO_BYTES_PER_SECOND = 16_000;
const UNKNOWN_AUDIO_SECONDS = 5;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A script as spoken: break tags removed and whitespace collapsed, for counting words. */
export function spoken(text: string): string {
  return text.replace(BREAK, ' ').replace(/\s+/g, ' ').trim();
}

/** How long a script takes to speak at a voice speed, counting its break-tag pauses; sets emulated render lengths. */
export function speechSeconds(text: string, speed = 1): number {
  let pauses = 0;
  for (const m of text.matchAll(BREAK)) pauses += m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
  const words = spoken(text) === '' ? 0 : spoken(text).split(' ').length;
  return Math.max(1, (words / 150) * 60 / (speed > 0 ? speed : 1) + pauses);
}

/** Rounds to hundredths, the precision emulated durations and credits use. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Looks up an uploaded asset, for audio given by asset id: its size and, when measured, its length. */
export type AssetSize = (assetId: string) => { sizeBytes: number; durationSeconds?: number } | undefined;

/** The avatar speaks for as long as the audio plays: measured when we could, else guessed from the size. */
function audioSeconds(assetId: unknown, size: AssetSize): number {
  const asset = typeof assetId === 'string' ? size(assetId) : undefined;
  if (asset === undefined) return UNKNOWN_AUDIO_SECONDS;
  if (asset.durationSeconds !== undefined) return asset.durationSeconds;
  return Math.max(1, asset.sizeBytes / AUDIO_BYTES_PER_SECOND);
}

/** A v3 speaking input (avatar/image video, or a studio scene input). */
function v3Speech(input: Json, size: AssetSize): { seconds: number; text: string } {
  if (typeof input.script === 'string') {
    return { seconds: speechSeconds(input.script, num(obj(input.voice_settings).speed, 1)), text: spoken(input.script) };
  }
  return { seconds: audioSeconds(input.audio_asset_id, size), text: '' };
}

/** Duration and caption text of a `POST /v3/videos` body (already schema-valid). */
export function v3Video(body: Json, size: AssetSize): { seconds: number; text: string } {
  if (body.type === 'studio') {
    let seconds = 0;
    const texts: string[] = [];
    for (const raw of Array.isArray(body.scenes) ? body.scenes : []) {
      const scene = obj(raw);
      let part: { seconds: number; text: string };
      if (scene.type === 'avatar_video') part = v3Speech(obj(scene.input), size);
      else if (typeof scene.script === 'string') part = v3Speech(scene, size);
      else part = { seconds: Math.max(1, num(scene.duration, 5)), text: '' };
      seconds += part.seconds;
      if (part.text) texts.push(part.text);
    }
    return { seconds: round2(seconds), text: texts.join(' ') };
  }
  if (body.type === 'cinematic_avatar') return { seconds: 8, text: typeof body.prompt === 'string' ? body.prompt : '' };
  const one = v3Speech(body, size);
  return { seconds: round2(one.seconds), text: one.text };
}

/** Duration and caption text of a `POST /v2/video/generate` body (already validated). */
export function v2Video(body: Json, size: AssetSize): { seconds: number; text: string } {
  let seconds = 0;
  const texts: string[] = [];
  for (const raw of Array.isArray(body.video_inputs) ? body.video_inputs : []) {
    const voice = obj(obj(raw).voice);
    if (voice.type === 'text' && typeof voice.input_text === 'string') {
      seconds += speechSeconds(voice.input_text, num(voice.speed, 1));
      texts.push(spoken(voice.input_text));
    } else if (voice.type === 'silence') {
      seconds += Math.max(1, num(voice.duration, 1));
    } else {
      seconds += audioSeconds(voice.audio_asset_id, size);
    }
  }
  return { seconds: round2(seconds), text: texts.join(' ') };
}

/** Credits per second: Avatar IV/V 0.1, Avatar III 0.0033 (HeyGen's enterprise pricing page). */
export function renderRate(body: Json): number {
  return obj(body.engine).type === 'avatar_iii' ? 0.0033 : 0.1;
}

/** A translation's source length is unknown to us: every source video counts as 10 s. */
export const TRANSLATION_SECONDS = 10;

/** Credits per second of a translation: 0.1 for precision, 0.05 for speed. */
export function translationRate(mode: unknown): number {
  return mode === 'precision' ? 0.1 : 0.05;
}
