/**
 * Part digests written by older versions (16 hex digits per leaf, the whole sha256 per asset) are read
 * as their first 8 digits, the digest this version computes: a plan still names exactly what changed,
 * and the next save writes the smaller entry.
 */
import { describe, expect, it } from 'vitest';
import { diffParts, videoKey } from '../../src/hash/index.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { emptyLockfile, type Lockfile } from '../../src/model/lock.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { mutable, sampleSpec } from '../hash/specs.js';

/** The lockfile an older version wrote for `spec`: the same key, longer part digests. */
function olderLockfile(spec: VideoSpec): Lockfile {
  const { key, parts } = videoKey(spec);
  const long: Record<string, string> = {};
  // Each old digest began with today's (both are prefixes of one sha256); the rest is any hex.
  for (const [name, d] of Object.entries(parts)) long[name] = name.startsWith('asset ') ? d + 'e'.repeat(56) : `${d}0f1e2d3c`;
  const lock = emptyLockfile();
  lock.videos[spec.id] = { key, parts: long, status: 'completed', attempt: 1, translations: {} };
  return lock;
}

describe('part digests from older lockfiles', () => {
  it('are read as today’s digests: an edited scene is the only part named as changed', () => {
    const spec = sampleSpec();
    const read = parseLockfile(serializeLockfile(olderLockfile(spec)), 'heygen.lock.yaml');
    const entry = read.videos[spec.id]!;
    expect(entry.parts).toEqual(videoKey(spec).parts);
    const edited = mutable(sampleSpec());
    const first = edited.scenes[0]!;
    if (first.input.type !== 'script') throw new Error('sample scene 0 is a script');
    first.input = { ...first.input, text: `${first.input.text} Edited.` };
    expect(diffParts(entry.parts, videoKey(edited as VideoSpec).parts)).toEqual(['scenes[0].script']);
  });

  it('the next save writes the smaller entry, with the same key', () => {
    const spec = sampleSpec();
    const old = serializeLockfile(olderLockfile(spec));
    const saved = serializeLockfile(parseLockfile(old, 'heygen.lock.yaml'));
    expect(saved.length).toBeLessThan(old.length);
    expect(parseLockfile(saved, 'heygen.lock.yaml').videos[spec.id]?.key).toBe(videoKey(spec).key);
  });
});
