/** Manifest bytes -> text: strict UTF-8 (a file that is not is reported where it breaks), no BOM. */

import { isUtf8 } from 'node:buffer';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Line and column of the first byte that is not UTF-8, if any. */
export function firstInvalidUtf8(bytes: Buffer): { line: number; column: number } | undefined {
  // Checked without decoding (a cold load would decode every file twice): the decoder below only finds the place.
  if (isUtf8(bytes)) return undefined;
  try {
    STRICT_UTF8.decode(bytes);
    return undefined;
  } catch {
    const at = invalidOffset(bytes);
    const before = bytes.subarray(0, Math.max(0, at)).toString('utf8').split('\n');
    return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
  }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (0 if none is found). */
function invalidOffset(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const extra = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return 0;
}

/** Decodes manifest bytes as UTF-8 without a leading BOM; call after firstInvalidUtf8 has passed. */
export function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
