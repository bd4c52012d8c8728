/**
 * The canonical JSON a scene clip's key is the sha256 of (plan/scenes.ts clipKey), written directly
 * for the shapes `sceneClip` makes: keys in their sorted order, no `Object.keys`, no sort, no copy
 * with assets swapped for their digests. A cold plan of 10,000 three-scene videos writes 30,000 of
 * them, and the generic writer (canonical.ts) spent about as long on them as the sha256 itself.
 *
 * Anything this writer was not made for (a member it does not know, a member present but
 * undefined, a value of another type, an object that is not plain) makes it decline: the caller
 * then writes the value with canonicalJson, so an unexpected clip costs time, never a wrong key.
 * A test holds both writers to the same text over generated clips.
 */
import type { ClipBackground, ClipSpeech, ClipVoice, SceneClip } from '../model/clip.js';
import { canonicalJson, quote } from './canonical.js';

/** Thrown (and caught below) to give the value to the generic writer; made once, so throwing it captures no stack. */
const DECLINE = new Error('clip-text: not a shape this writer knows');

/**
 * `{"clip":…,"format":…}` with the clip as `clipKey` hashes it (each asset by its bytes' digest, or
 * its URL), or undefined when the generic writer must write it.
 */
export function clipKeyText(format: number, clip: SceneClip): string | undefined {
  try {
    const body = clip.kind === 'speech' ? speechClip(clip) : avatarClip(clip);
    return `{"clip":${body},"format":${num(format)}}`;
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
}

type Rec = Record<string, unknown>;

/** `o` as a plain (or prototype-less) object with exactly `defined` own enumerable members, all of them counted by the caller. */
function plain(o: unknown, defined: number): Rec {
  if (typeof o !== 'object' || o === null) throw DECLINE;
  // As canonical.ts: a plain object or one without a prototype.
  const proto: unknown = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) throw DECLINE;
  // Every member the caller counted is defined and known: one more is a member this writer would drop.
  if (Object.keys(o).length !== defined) throw DECLINE;
  return o as Rec;
}

function str(v: unknown): string {
  if (typeof v !== 'string') throw DECLINE;
  return quote(v);
}

function num(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw DECLINE;
  return String(v);
}

/** How many of `keys` `o` has defined; -1 when `o` is no object (`plain` then declines). */
function count(o: Rec, keys: readonly string[]): number {
  if (typeof o !== 'object' || o === null) return -1;
  let n = 0;
  for (const k of keys) if (o[k] !== undefined) n++;
  return n;
}

const AVATAR_KEYS = ['avatarId', 'background', 'captions', 'engine', 'expressiveness', 'kind', 'layout', 'motion', 'photo', 'size', 'speech'] as const;

function avatarClip(clip: Extract<SceneClip, { kind: 'avatar' }>): string {
  const c = plain(clip, count(clip, AVATAR_KEYS));
  if (c.kind !== 'avatar') throw DECLINE;
  let s = '{';
  if (c.avatarId !== undefined) s += `"avatarId":${str(c.avatarId)},`;
  if (c.background !== undefined) s += `"background":${background(c.background)},`;
  if (typeof c.captions !== 'boolean') throw DECLINE;
  s += `"captions":${c.captions ? 'true' : 'false'},`;
  if (c.engine !== undefined) s += `"engine":${str(c.engine)},`;
  if (c.expressiveness !== undefined) s += `"expressiveness":${str(c.expressiveness)},`;
  s += `"kind":"avatar","layout":${str(c.layout)},`;
  if (c.motion !== undefined) s += `"motion":${str(c.motion)},`;
  if (c.photo !== undefined) s += `"photo":${byBytes(c.photo)},`;
  const size = plain(c.size, 2);
  s += `"size":{"height":${num(size.height)},"width":${num(size.width)}},"speech":${speech(c.speech)}}`;
  return s;
}

function speechClip(clip: Extract<SceneClip, { kind: 'speech' }>): string {
  const c = plain(clip, count(clip, ['kind', 'text', 'voice']));
  return `{"kind":"speech","text":${str(c.text)},"voice":${voice(c.voice)}}`;
}

function speech(v: unknown): string {
  const sp = v as ClipSpeech | undefined;
  switch (sp?.type) {
    case 'script': {
      const o = plain(sp, count(sp, ['text', 'type', 'voice']));
      return `{"text":${str(o.text)},"type":"script"${o.voice !== undefined ? `,"voice":${voice(o.voice)}` : ''}}`;
    }
    case 'silence': {
      const o = plain(sp, 2);
      return `{"seconds":${num(o.seconds)},"type":"silence"}`;
    }
    // Hashed as {type, source} alone, its source by its bytes (as plan/scenes.ts hashedClip does).
    case 'audio':
      return `{"source":${byBytes(sp.source)},"type":"audio"}`;
    default:
      throw DECLINE;
  }
}

const VOICE_KEYS = ['elevenlabs', 'id', 'locale', 'pitch', 'speed', 'volume'] as const;

function voice(v: unknown): string {
  const o = plain(v, count(v as Rec, VOICE_KEYS)) as ClipVoice & Rec;
  let s = '{';
  if (o.elevenlabs !== undefined) s += `"elevenlabs":${generic(o.elevenlabs)},`;
  s += `"id":${str(o.id)},`;
  if (o.locale !== undefined) s += `"locale":${str(o.locale)},`;
  s += `"pitch":${num(o.pitch)},"speed":${num(o.speed)}`;
  if (o.volume !== undefined) s += `,"volume":${num(o.volume)}`;
  return s + '}';
}

function background(v: unknown): string {
  if (typeof v !== 'object' || v === null) throw DECLINE;
  const b = v as ClipBackground;
  // An image is hashed as {type, source} alone, its source by its bytes; a colour as it is.
  if (b.type === 'image') return `{"source":${byBytes(b.source)},"type":"image"}`;
  if (b.type !== 'color') throw DECLINE;
  const o = plain(b, 2);
  return `{"color":${str(o.color)},"type":"color"}`;
}

/** An asset as plan/scenes.ts byBytes hashes it: a local file by its sha256, a URL as it is. */
function byBytes(v: unknown): string {
  if (typeof v !== 'object' || v === null) throw DECLINE;
  const ref = v as Rec;
  if (ref.kind === 'local') return `{"sha256":${str(ref.sha256)}}`;
  if (ref.kind === 'url') return `{"url":${str(ref.url)}}`;
  throw DECLINE;
}

/** A value this writer does not know the shape of (ElevenLabs settings): the generic text, or decline. */
function generic(v: unknown): string {
  try {
    return canonicalJson(v);
  } catch {
    // Its error names the path from the clip: let the generic writer of the whole clip throw it.
    throw DECLINE;
  }
}
