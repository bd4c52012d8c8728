/**
 * Canonical JSON: one text per value, whatever the key order or formatting it came from.
 * Keys sorted by UTF-16 code unit (locale-independent), no whitespace, `undefined` object members
 * dropped, `-0` written as `0`. Anything JSON cannot represent faithfully is rejected rather than
 * silently coerced, because a coerced value would hash equal to something it is not.
 */
import { createHash } from 'node:crypto';

/** The canonical JSON text of a value, as described above; throws on anything JSON cannot represent faithfully. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, new Set<object>(), '$');
  return out.join('');
}

/** The sha256 of text or bytes, as lowercase hex. */
export function sha256Hex(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
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
