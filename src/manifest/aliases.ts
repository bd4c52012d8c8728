/**
 * Avatar and voice aliases from heygen.config.ts.
 *
 * The alias rule (also in the README): a bare string found in the alias table is that alias;
 * a string not in the table but within edit distance 2 of an alias, or that looks like a plain
 * lowercase name (/^[a-z][a-z-]*$/), is an unknown alias (E_UNKNOWN_ALIAS, with a did-you-mean
 * and a hint); anything else is a HeyGen id, used as is. In the map form, `{id: ...}` is always a
 * raw id, never an alias (the escape hatch for an id that looks like a name), and `{alias: ...}` is
 * always an alias; an `id` that equals or nearly equals an alias gets a warning (W_ALIAS_ID), since
 * a map form is mostly written to override an alias's fields.
 */

import type { AvatarAlias, VoiceAlias } from '../model/config.js';
import type { AvatarSpec, VoiceSpec } from '../model/spec.js';
import { didYouMean, editDistance } from '../util/suggest.js';
import type { AvatarInput, VoiceInput } from './types.js';

/**
 * The outcome of looking a name up in an alias table: a known alias, a raw HeyGen id, or an unknown alias with a did-
 * you-mean.
 */
export type Lookup<T> =
  | { kind: 'alias'; name: string; value: T }
  | { kind: 'id'; id: string }
  | { kind: 'unknown'; name: string; suggestion?: string };

const PLAIN_NAME = /^[a-z][a-z-]*$/;

/** Applies the alias rule above to one name; never throws, so callers decide how to report an unknown alias. */
export function lookupAlias<T>(name: string, table: Record<string, T>): Lookup<T> {
  if (Object.hasOwn(table, name)) return { kind: 'alias', name, value: table[name] as T };
  const names = Object.keys(table);
  const near = names.some((n) => editDistance(name, n, 2) <= 2);
  if (near || PLAIN_NAME.test(name)) {
    const suggestion = didYouMean(name, names, 2);
    return suggestion === undefined ? { kind: 'unknown', name } : { kind: 'unknown', name, suggestion };
  }
  return { kind: 'id', id: name };
}

/** Why an avatar or voice reference could not be resolved, ready to become an E_UNKNOWN_ALIAS diagnostic. */
export interface AliasProblem {
  message: string;
  hint: string;
}

function unknownAlias(what: 'avatar' | 'voice', name: string, suggestion: string | undefined): AliasProblem {
  const table = what === 'avatar' ? 'avatars' : 'voices';
  return {
    message: `unknown ${what} alias "${name}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
    hint: `define it under \`${table}:\` in heygen.config.ts, or write \`{id: ${name}}\` to use it as a raw HeyGen ${what} id`,
  };
}

/** A spec while it is being put together; callers get the readonly one. */
type Building<T> = { -readonly [K in keyof T]: T[K] };

type AvatarFields = Partial<Omit<AvatarSpec, 'id' | 'label' | 'photo'>>;

function avatarSpec(id: string, label: string, ...layers: AvatarFields[]): AvatarSpec {
  const spec: Building<AvatarSpec> = { id, label, style: 'normal', scale: 1, offset: { x: 0, y: 0 } };
  for (const l of layers) {
    if (l.style !== undefined) spec.style = l.style;
    if (l.scale !== undefined) spec.scale = l.scale;
    if (l.offset !== undefined) spec.offset = { x: l.offset.x, y: l.offset.y };
    if (l.engine !== undefined) spec.engine = l.engine;
    if (l.expressiveness !== undefined) spec.expressiveness = l.expressiveness;
    if (l.motion !== undefined) spec.motion = l.motion;
  }
  return spec;
}

/** An avatar reference resolved to its spec, plus the alias's default voice for videos that name no voice. */
export interface ResolvedAvatar {
  spec: AvatarSpec;
  /** The alias's default voice (an alias or an id), used when nothing else gives a voice. */
  voice?: string;
}

/** The name to look up and the fields to layer over it, for the bare and the map forms. */
function parts<T extends { id?: string; alias?: string }>(input: string | T): { name: string; forcedId: boolean; own: Partial<T> } {
  if (typeof input === 'string') return { name: input, forcedId: false, own: {} };
  // The schema lets exactly one of the two through.
  if (input.alias !== undefined) return { name: input.alias, forcedId: false, own: input };
  return { name: input.id ?? '', forcedId: true, own: input };
}

/** An alias named in the map form (`{alias: ...}`) must exist: it is never taken as an id. */
function unknownMapAlias(what: 'avatar' | 'voice', name: string, table: Record<string, unknown>): AliasProblem {
  const suggestion = didYouMean(name, Object.keys(table), 2);
  const plural = what === 'avatar' ? 'avatars' : 'voices';
  return {
    message: `unknown ${what} alias "${name}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
    hint: `define it under \`${plural}:\` in heygen.config.ts, or write \`{id: ${name}}\` if it is a HeyGen ${what} id`,
  };
}

/**
 * The warning for `{id: x}` where `x` is, or is close to, an alias: the id is used as written, which
 * is rarely what the writer meant. Undefined when the id is nowhere near an alias.
 */
export function idNearAlias(what: 'avatar' | 'voice', id: string, table: Record<string, unknown>): AliasProblem | undefined {
  const alias = Object.hasOwn(table, id) ? id : didYouMean(id, Object.keys(table), 2);
  if (alias === undefined) return undefined;
  const same = alias === id;
  return {
    message: same
      ? `${what} id "${id}" is also the name of a ${what} alias, but \`{id: ...}\` is always a raw HeyGen id: the alias is not used`
      : `${what} id "${id}" is used as a raw HeyGen id; did you mean the ${what} alias "${alias}"?`,
    hint: `write \`{alias: ${alias}}\` (or \`${what}: ${alias}\`) to use the alias; keep \`{id: ${id}}\` only if it is a HeyGen ${what} id`,
  };
}

/**
 * Resolves a manifest's avatar (alias or id, bare or with placement fields), the manifest's own fields winning over
 * the alias's.
 */
export function resolveAvatar(input: AvatarInput, table: Record<string, AvatarAlias>): ResolvedAvatar | AliasProblem {
  const { name, forcedId, own } = parts(input);
  if (forcedId) return { spec: avatarSpec(name, name, own) };
  const found = lookupAlias(name, table);
  if (typeof input !== 'string' && found.kind !== 'alias') return unknownMapAlias('avatar', name, table);
  if (found.kind === 'unknown') return unknownAlias('avatar', found.name, found.suggestion);
  if (found.kind !== 'alias') return { spec: avatarSpec(name, name, own) };
  const alias = found.value;
  if (typeof alias === 'string') return { spec: avatarSpec(alias, name, own) };
  const resolved: ResolvedAvatar = { spec: avatarSpec(alias.id, name, alias, own) };
  if (alias.voice !== undefined) resolved.voice = alias.voice;
  return resolved;
}

type VoiceFields = Partial<Omit<VoiceSpec, 'id' | 'label'>>;

function voiceSpec(id: string, label: string, ...layers: VoiceFields[]): VoiceSpec {
  const spec: Building<VoiceSpec> = { id, label, speed: 1, pitch: 0 };
  for (const l of layers) {
    if (l.speed !== undefined) spec.speed = l.speed;
    if (l.pitch !== undefined) spec.pitch = l.pitch;
    if (l.emotion !== undefined) spec.emotion = l.emotion;
    if (l.locale !== undefined) spec.locale = l.locale;
    if (l.volume !== undefined) spec.volume = l.volume;
    if (l.elevenlabs !== undefined) spec.elevenlabs = { ...spec.elevenlabs, ...l.elevenlabs };
  }
  return spec;
}

/**
 * Resolves a manifest's voice (alias or id, bare or with delivery fields), the manifest's own fields winning over the
 * alias's.
 */
export function resolveVoice(input: VoiceInput, table: Record<string, VoiceAlias>): VoiceSpec | AliasProblem {
  const { name, forcedId, own } = parts(input);
  if (forcedId) return voiceSpec(name, name, own);
  const found = lookupAlias(name, table);
  if (typeof input !== 'string' && found.kind !== 'alias') return unknownMapAlias('voice', name, table);
  if (found.kind === 'unknown') return unknownAlias('voice', found.name, found.suggestion);
  if (found.kind !== 'alias') return voiceSpec(name, name, own);
  const alias = found.value;
  if (typeof alias === 'string') return voiceSpec(alias, name, own);
  return voiceSpec(alias.id, name, alias, own);
}

/** Tells an alias problem apart from a resolved avatar or voice. */
export function isProblem(v: object): v is AliasProblem {
  return 'hint' in v && 'message' in v;
}
