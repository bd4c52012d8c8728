/** Reading fields out of HeyGen answers without trusting their shape. */
import { HeygenApiError } from './errors.js';

/** A JSON object from a HeyGen answer, before its fields are checked. */
export type Json = Record<string, unknown>;

/** The value as a JSON object, or an empty one: answers are read leniently, field by field. */
export function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

/** A non-empty string from an answer, or undefined for anything else. */
export function optString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A finite number from an answer, or undefined for anything else. */
export function optNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A string the answer must have; a missing one means HeyGen answered something we cannot use. */
export function needString(v: unknown, what: string): string {
  if (typeof v === 'string' && v !== '') return v;
  throw new HeygenApiError('E_HEYGEN_BAD_RESPONSE', `HeyGen's answer has no ${what}`, {
    hint: 'HeyGen may have changed its API; please report this with the command you ran',
  });
}

/** A list of strings the answer must have; anything else throws E_HEYGEN_BAD_RESPONSE. */
export function stringArray(v: unknown, what: string): string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  throw new HeygenApiError('E_HEYGEN_BAD_RESPONSE', `HeyGen's answer has no ${what} list`, {
    hint: 'HeyGen may have changed its API; please report this with the command you ran',
  });
}

/** Drops undefined members so results compare and print cleanly. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
