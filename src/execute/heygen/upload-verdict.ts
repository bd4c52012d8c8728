/**
 * What the manifests' load learnt of a local file's bytes as it hashed them (manifest/media-verdict.ts),
 * and why HeyGen's asset upload would refuse a file so judged. One rule for `plan`'s upload warnings
 * (upload-facts.ts) and the build's check before sending (upload-check.ts): a build takes the verdict its
 * own plan had on the same bytes (the same sha256) instead of reading the file again for it.
 */
import type { AssetRecord } from '../../manifest/assets.js';
import { readVerdict, type MediaVerdict } from '../../manifest/media-verdict.js';
import type { LocalAsset } from '../../model/spec.js';
import type { UploadKind } from './upload-files.js';
import { audioFormatProblem, imageUploadProblem } from './upload-types.js';
import { videoFormatProblem } from './video-format.js';

/** Why a file is refused: a picture the compositor cannot read, or one HeyGen does not take. */
export interface Why {
  problem: string;
  unreadable: boolean;
}

/** The verdict recorded with this very content's digest; undefined when the load had none, or for other bytes. */
export function recordedVerdict(assets: ReadonlyMap<string, AssetRecord>, ref: LocalAsset): MediaVerdict | undefined {
  const rec = assets.get(ref.path);
  return rec?.sha256 === ref.sha256 ? readVerdict(rec.media) : undefined;
}

/** Why a file of this verdict is refused as a `kind` (undefined: it is not; `unread`: a picture's header is not in the verdict). */
export function whyRefused(kind: UploadKind, verdict: MediaVerdict): Why | 'unread' | undefined {
  if (kind !== 'image') {
    const problem = kind === 'audio' ? audioFormatProblem(verdict.audio ?? undefined) : videoFormatProblem(verdict.video ?? undefined);
    return problem === undefined ? undefined : { problem, unreadable: false };
  }
  const sniff = verdict.image;
  if (sniff === undefined) return 'unread';
  if ('ok' in sniff && !sniff.ok) return { problem: sniff.problem, unreadable: true };
  const problem = imageUploadProblem(sniff);
  return problem === undefined ? undefined : { problem, unreadable: false };
}
