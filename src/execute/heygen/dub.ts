/**
 * A dub on HeyGen: the languages of a video the user already has. A local source is checked as a
 * template's `video` variable is (an MP4 or a WebM by its bytes, that ffprobe reads: upload-check.ts),
 * then uploaded once as an asset (deduplicated by its bytes through the lockfile's asset table; above
 * 32 MB by direct upload), or passed by URL, then each language goes through the same journaled
 * translation path as the translations of generated videos (intent -> POST with an Idempotency-Key ->
 * id -> poll -> file).
 *
 * The video's lockfile entry records the source key the languages were made from. It moves to a new
 * source only once every language listed is made from it, so a plan after a partial build still says
 * `source changed` for the languages not yet redone.
 */
import { dubSourceKey, translationKey, videoParts } from '../../hash/index.js';
import { HeygenBuildError } from '../../errors.js';
import type { LockEntry } from '../../model/lock.js';
import type { PlanItem } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { RunContext } from './context.js';
import { runTranslations } from './translations.js';

/** Runs a dub's languages that need work. Returns the number that failed. */
export async function runDub(ctx: RunContext, spec: VideoSpec, items: PlanItem[]): Promise<number> {
  if (ctx.client.api !== 'v3') {
    throw new HeygenBuildError('E_UNSUPPORTED', `${spec.source}: dubbing a video you already have (source:) needs HeyGen API v3`, {
      hint: "remove heygen.api (v3 is the default), or set heygen: { api: 'v3' }",
    });
  }
  const sourceKey = dubSourceKey(spec.dub!.video);
  if (!ctx.store.lock.videos[spec.id]) {
    await ctx.store.update((l) => {
      l.videos[spec.id] = { key: sourceKey, parts: videoParts(spec), status: 'completed', api: 'v3', attempt: 1, translations: {} };
    });
  }
  const failed = await runTranslations(ctx, spec, items);
  if (madeFromSource(ctx.store.lock.videos[spec.id]!, spec, sourceKey)) {
    await ctx.store.update((l) => {
      const e = l.videos[spec.id]!;
      e.key = sourceKey;
      e.parts = videoParts(spec);
    });
  }
  return failed;
}

/** Every language listed is recorded with its key for this source (whatever its state). */
function madeFromSource(entry: LockEntry, spec: VideoSpec, sourceKey: string): boolean {
  if (entry.key === sourceKey) return false; // nothing to move
  // A language waiting for its review has no translation yet: it does not hold the source back.
  return spec.translations.filter((t) => t.review?.state !== 'review').every((t) => entry.translations[t.language]?.key === translationKey(sourceKey, t) && entry.translations[t.language]?.status === 'completed');
}
