/** Proofread sessions and approved-SRT digests survive a lockfile round trip, through both readers. */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { emptyLockfile } from '../../src/model/lock.js';
import { readCanonical } from '../../src/lockfile/fastread.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';

describe('proofreads in the lockfile', () => {
  it('round-trips a session and a translation rendered from an approved SRT', () => {
    const lock = emptyLockfile();
    lock.videos.tour = {
      key: 'a'.repeat(64),
      parts: {},
      status: 'completed',
      attempt: 1,
      translations: {
        es: { key: 'b'.repeat(64), language: 'Spanish (Spain)', status: 'submitted', attempt: 1, idempotencyKey: 'hb-1-1', remoteId: 't-es', srt: 'c'.repeat(64) },
      },
      proofreads: {
        es: {
          key: 'd'.repeat(64),
          language: 'Spanish (Spain)',
          status: 'completed',
          attempt: 2,
          idempotencyKey: 'hb-2-2',
          remoteId: 'p-es',
          generated: 'b'.repeat(64),
          output: { path: 'translations/tour.es.srt', sha256: 'e'.repeat(64), size: 201 },
        },
      },
    };
    const text = serializeLockfile(lock);
    expect(parseLockfile(text, 'heygen.lock.yaml')).toEqual(lock);
    expect(readCanonical(text)).toEqual(parseYaml(text));
  });

  it('has no proofreads key for a video without review', () => {
    const lock = emptyLockfile();
    lock.videos.v = { key: 'a'.repeat(64), parts: {}, status: 'completed', attempt: 1, translations: {} };
    expect(serializeLockfile(lock)).not.toContain('proofreads');
  });
});
