/**
 * The key of a HeyGen proofread session: what HeyGen transcribes and translates into the SRT to review.
 * The source, the language and the options sent on create, plus the SRT it is seeded with (`srt` on create)
 * when an approved file is rendered again. Captions and audio-only are `generate` options: not in it.
 */
import type { TranslationSpec } from '../model/spec.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { HASH_FORMAT } from './key.js';

/** The proofread's content key; `seed` is the sha256 of the SRT the session starts from, if any. */
export function proofreadKey(sourceKey: string, t: TranslationSpec, seed?: string): string {
  return sha256Hex(
    canonicalJson({
      format: HASH_FORMAT,
      proofread: sourceKey,
      language: t.language,
      mode: t.mode,
      ...(t.options && Object.keys(t.options).length > 0 ? { options: t.options } : {}),
      ...(seed !== undefined ? { seed } : {}),
    }),
  );
}
