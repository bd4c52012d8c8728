/**
 * Part digests in a lockfile read from an older version: 16 hex digits per leaf and 64 per asset
 * then, 8 now (hash/key.ts). Every one is a prefix of a sha256, so its first 8 digits are exactly
 * the digest this version computes: shortened on read, an old entry explains a change as before,
 * and the next save writes the smaller entry. The key itself never changes, so nothing is rebuilt.
 */
import { PART_DIGEST_LENGTH } from '../hash/key.js';
import { TEMPLATE_DEFINITION_PART } from '../hash/template.js';
import type { Lockfile } from '../model/lock.js';

const LONG_HEX = new RegExp(`^[0-9a-f]{${PART_DIGEST_LENGTH + 1},}$`);

/** Shortens, in place, every part digest longer than this version writes (see above). */
export function shortenParts(lock: Lockfile): void {
  for (const entry of Object.values(lock.videos)) {
    const parts = entry.parts;
    for (const name of Object.keys(parts)) {
      // A template's definition digest is kept whole: a plan with no definition at hand keys on it.
      if (name === TEMPLATE_DEFINITION_PART) continue;
      const d = parts[name]!;
      if (d.length > PART_DIGEST_LENGTH && LONG_HEX.test(d)) parts[name] = d.slice(0, PART_DIGEST_LENGTH);
    }
  }
}
