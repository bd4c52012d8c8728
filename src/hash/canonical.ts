/**
 * Canonical JSON: one text per value, whatever the key order or formatting it came from.
 * Keys sorted by UTF-16 code unit (locale-independent), no whitespace, `undefined` object members
 * dropped, `-0` written as `0`. Anything JSON cannot represent faithfully is rejected rather than
 * silently coerced, because a coerced value would hash equal to something it is not.
 */
import { createHash, hash } from 'node:crypto';

/** The canonical JSON text of a value, as described above; throws on anything JSON cannot represent faithfully. */
export function canonicalJson(value: unknown): string {
  try {
    return fast(value, []);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    // The fast writer does not track where it is (that costs a string per node on every key):
    // the careful one runs again only to say where the bad value is.
    const out: string[] = [];
    write(value, out, new Set<object>(), '$');
    throw e;
  }
}

/** What JSON.stringify escapes in a string: `"`, `\\`, controls, and surrogates (lone ones; paired ones just take the slow way). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(s)` for a string: the same text, without escaping (and copying) a string that
 * needs none, which most of a key's strings are. A script quoted this way stays a part of the
 * text that is hashed, copied once when the hash reads it. Cheaper by a third on a manifest's scripts.
 */
export function quote(s: string): string {
  return ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * The same text as `write`, built as one string with no path bookkeeping: content keys hash
 * tens of thousands of small objects per plan. `stack` holds the objects being written (a few
 * levels deep, so an array beats a Set). Any TypeError it throws is re-raised by `write`.
 */
function fast(value: unknown, stack: object[]): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('non-finite number');
      return String(value);
    case 'object':
      break;
    default:
      throw new TypeError('cannot encode');
  }
  if (value === null) return 'null';
  if (stack.includes(value)) throw new TypeError('circular');
  stack.push(value);
  let s: string;
  if (Array.isArray(value)) {
    s = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) throw new TypeError('undefined array item');
      s += i > 0 ? ',' + fast(item, stack) : fast(item, stack);
    }
    s += ']';
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new TypeError('not a plain object');
    const record = value as Record<string, unknown>;
    const keys = sortKeys(Object.keys(record));
    s = '{';
    let first = true;
    for (const k of keys) {
      const v = record[k];
      if (v === undefined) continue;
      s += (first ? '' : ',') + quotedKey(k) + fast(v, stack);
      first = false;
    }
    s += '}';
  }
  stack.pop();
  return s;
}

/**
 * In place, by UTF-16 code unit like the default `sort()`: an insertion sort, as an object here has
 * a handful of keys, often in order already (half the cost of `sort()` on a spec's small objects).
 */
function sortKeys(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** `"key":` for each key seen: the same few dozen names come up in every spec. Bounded for maps of user keys. */
const quoted = new Map<string, string>();
function quotedKey(k: string): string {
  let q = quoted.get(k);
  if (q === undefined) {
    q = JSON.stringify(k) + ':';
    if (quoted.size < 10_000) quoted.set(k, q);
  }
  return q;
}

/**
 * The sha256 of text or bytes, as lowercase hex. Node's one-shot `crypto.hash` (Node >= 20.12) is
 * twice as fast as a Hash object for the small texts keys are made of.
 */
export function sha256Hex(s: string | Buffer): string {
  return typeof hash === 'function' ? hash('sha256', s, 'hex') : createHash('sha256').update(s).digest('hex');
}

function write(value: unknown, out: string[], stack: Set<object>, path: string): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value} at ${path}`);
      // Object.is(-0, 0) is false but both must hash alike; String(-0) is already "0".
      out.push(String(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value} at ${path}`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (stack.has(value)) throw new TypeError(`canonicalJson: circular reference at ${path}`);
  stack.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item: unknown, i) => {
      // JSON.stringify would turn a hole or undefined into null; that hides a bug, so refuse.
      if (item === undefined) throw new TypeError(`canonicalJson: undefined array item at ${path}[${i}]`);
      if (i > 0) out.push(',');
      write(item, out, stack, `${path}[${i}]`);
    });
    out.push(']');
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`canonicalJson: only plain objects can be encoded (at ${path})`);
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      write(record[k], out, stack, `${path}.${k}`);
    });
    out.push('}');
  }
  stack.delete(value);
}
