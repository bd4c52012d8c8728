/**
 * The canonical JSON a video's base key is the sha256 of (key.ts `baseValue`), written directly for
 * a video that is neither a template, a prompt nor a dub: members in their sorted order, no object
 * built only to be written, no `Object.keys`, no sort. A cold plan of 10,000 videos writes one per
 * video (its content key too when it has no overlays), and building and sorting `baseValue` cost
 * about as much as the sha256 of it.
 *
 * It writes what `canonicalJson(baseValue(spec))` writes, member by member: a member `baseValue`
 * leaves undefined is left out, a string, number or boolean is written as canonical.ts writes it,
 * and any other value is written by canonicalJson itself. Anything it was not made for (a member of
 * the wrong kind, a number JSON cannot hold) makes it decline: the caller then writes
 * `baseValue` generically, so an unexpected spec costs time, never a wrong key. A test holds both
 * writers to the same text over the examples and generated videos.
 */
import type { AvatarSpec, BackgroundSpec, SceneInput, SceneSpec, VideoSpec, VoiceSpec } from '../model/spec.js';
import { canonicalJson, quote } from './canonical.js';

/** Thrown (and caught below) to give the spec to the generic writer; made once, so throwing it captures no stack. */
const DECLINE = new Error('base-text: not a shape this writer knows');

/** The text `canonicalJson(baseValue(spec))` gives, or undefined when the generic writer must write it. */
export function baseKeyText(format: number, spec: VideoSpec): string | undefined {
  if (spec.template !== undefined || spec.prompt !== undefined || spec.dub !== undefined) return undefined;
  try {
    return video(format, spec);
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
}

function video(format: number, spec: VideoSpec): string {
  let s = '{';
  if (spec.avatar !== undefined) s = member(s, 'avatar', avatar(spec.avatar));
  if (spec.background !== undefined) s = member(s, 'background', background(spec.background));
  s = opt(s, 'caption', spec.caption);
  const d: unknown = spec.dimension;
  if (typeof d !== 'object' || d === null) throw DECLINE;
  s = member(s, 'dimension', `{${opt(opt('', 'height', spec.dimension.height), 'width', spec.dimension.width)}}`);
  s = opt(s, 'engine', spec.engine);
  s = member(s, 'format', num(format));
  const raw: unknown = spec.scenes;
  if (!Array.isArray(raw)) throw DECLINE;
  const scenes: readonly (SceneSpec | undefined)[] = spec.scenes;
  let list = '';
  for (let i = 0; i < scenes.length; i++) list += (i > 0 ? ',' : '') + scene(scenes[i]);
  s = member(s, 'scenes', `[${list}]`);
  s = opt(s, 'transparent', spec.transparent);
  if (spec.voice !== undefined) s = member(s, 'voice', voice(spec.voice));
  return s + '}';
}

/** `s` (an object's text so far, from `{` or empty) with `"name":text` added. */
function member(s: string, name: string, text: string): string {
  return `${s}${s.length > 1 || (s.length === 1 && s !== '{') ? ',' : ''}"${name}":${text}`;
}

/** As `member`, for a value canonical JSON leaves out when undefined. */
function opt(s: string, name: string, v: unknown): string {
  return v === undefined ? s : member(s, name, value(v));
}

/** A value as canonical.ts writes it. */
function value(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return quote(v);
    case 'number':
      return num(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      try {
        return canonicalJson(v);
      } catch {
        // Its error names the path from this value: let the generic writer of the whole spec throw it.
        throw DECLINE;
      }
    default:
      throw DECLINE;
  }
}

function num(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw DECLINE;
  return String(v);
}

function object(v: unknown): void {
  if (typeof v !== 'object' || v === null) throw DECLINE;
}

function avatar(a: AvatarSpec): string {
  object(a);
  const photo: unknown = a.photo;
  if (photo !== undefined && photo !== null) object(photo);
  object(a.offset);
  let s = '{';
  s = opt(s, 'engine', a.engine);
  s = opt(s, 'expressiveness', a.expressiveness);
  if (!photo) s = opt(s, 'id', a.id);
  s = opt(s, 'motion', a.motion);
  s = member(s, 'offset', `{${opt(opt('', 'x', a.offset.x), 'y', a.offset.y)}}`);
  if (photo) s = member(s, 'photo', asset(a.photo));
  else if (photo !== undefined) s = member(s, 'photo', value(photo));
  s = opt(s, 'scale', a.scale);
  s = opt(s, 'style', a.style);
  return s + '}';
}

function voice(v: VoiceSpec): string {
  object(v);
  let s = '{';
  const e: unknown = v.elevenlabs;
  if (e) {
    object(e);
    const el = v.elevenlabs!;
    const text = opt(opt(opt(opt('', 'model', el.model), 'similarity_boost', el.similarity_boost), 'stability', el.stability), 'style', el.style);
    s = member(s, 'elevenlabs', `{${text}}`);
  } else if (e !== undefined) s = member(s, 'elevenlabs', value(e));
  s = opt(s, 'emotion', v.emotion);
  s = opt(s, 'id', v.id);
  s = opt(s, 'locale', v.locale);
  s = opt(s, 'pitch', v.pitch);
  s = opt(s, 'speed', v.speed);
  s = opt(s, 'volume', v.volume);
  return s + '}';
}

/** An asset by what identifies its content (key.ts assetByBytes). */
function asset(ref: unknown): string {
  object(ref);
  const r = ref as { kind?: unknown; sha256?: unknown; url?: unknown };
  if (r.kind === 'local') return `{${join('"kind":"local"', opt('', 'sha256', r.sha256))}}`;
  return `{${join('"kind":"url"', opt('', 'url', r.url))}}`;
}

function background(b: BackgroundSpec): string {
  object(b);
  switch (b.type) {
    case 'color':
      return `{${join(opt('', 'color', b.color), '"type":"color"')}}`;
    case 'image':
      return `{${join(opt('', 'fit', b.fit), member('', 'source', asset(b.source)))},"type":"image"}`;
    case 'video':
      return `{${join(join(opt('', 'fit', b.fit), opt('', 'play', b.play)), member('', 'source', asset(b.source)))},"type":"video"}`;
    default:
      throw DECLINE;
  }
}

/** Two lists of members, either possibly empty. */
function join(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a},${b}`;
}

function scene(sc: SceneSpec | undefined): string {
  object(sc);
  const x = sc!;
  let s = '{';
  if (x.avatar) s = member(s, 'avatar', avatar(x.avatar));
  else if (x.avatar !== undefined) s = member(s, 'avatar', value(x.avatar));
  if (x.background) s = member(s, 'background', background(x.background));
  else if (x.background !== undefined) s = member(s, 'background', value(x.background));
  s = opt(s, 'engine', x.engine);
  s = member(s, 'input', input(x.input));
  if (x.voice) s = member(s, 'voice', voice(x.voice));
  else if (x.voice !== undefined) s = member(s, 'voice', value(x.voice));
  return s + '}';
}

function input(i: SceneInput): string {
  object(i);
  switch (i.type) {
    case 'script':
      return `{${join(opt('', 'text', i.text), '"type":"script"')}}`;
    case 'audio':
      return `{"source":${asset(i.source)},"type":"audio"}`;
    case 'silence':
      return `{${join(opt('', 'seconds', i.seconds), '"type":"silence"')}}`;
    default:
      throw DECLINE;
  }
}
