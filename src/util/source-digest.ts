/**
 * A digest of the source of some modules, as loaded: what a cache of computed results is keyed by,
 * so that a result computed by other code (an upgrade, or a change while developing) is never
 * reused. Reading a few small files costs well under a millisecond.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const memo = new Map<string, string | null>();

/**
 * sha256 (16 hex digits) of the modules `names` (without extension, relative to `base`, an
 * `import.meta.url`), read with base's own extension: dist/*.js, or src/*.ts under the test
 * runner. null when one cannot be read (a bundle): then nothing should be cached.
 */
export function sourceDigest(base: string, names: readonly string[]): string | null {
  const id = `${base}\n${names.join('\n')}`;
  const known = memo.get(id);
  if (known !== undefined) return known;
  const ext = /\.[cm]?[jt]s$/.exec(new URL(base).pathname)?.[0] ?? '.js';
  let digest: string | null;
  try {
    const h = createHash('sha256');
    for (const n of names) h.update(readFileSync(new URL(`${n}${ext}`, base))).update('\0');
    digest = h.digest('hex').slice(0, 16);
  } catch {
    digest = null;
  }
  memo.set(id, digest);
  return digest;
}
