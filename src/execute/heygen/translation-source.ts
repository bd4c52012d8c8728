/** The video HeyGen translates: a dub's source, a composition made here, or HeyGen's own render. */
import { HeygenBuildError } from '../../errors.js';
import { hasOverlays, type VideoSpec } from '../../model/spec.js';
import type { TranslationSource } from '../../providers/heygen/index.js';
import { uploadOnce } from './assets.js';
import type { RunContext } from './context.js';
import { dubSource } from './dub-source.js';
import { baseComposition } from './translation-layer.js';

/**
 * What HeyGen translates: its own render by URL, or a video composed here, uploaded as an asset (once
 * per content: the asset table dedupes by the output's sha256).
 */
export async function translationSource(ctx: RunContext, spec: VideoSpec): Promise<string | TranslationSource> {
  if (spec.dub) return dubSource(ctx, spec);
  const entry = ctx.store.lock.videos[spec.id];
  if (entry?.composed && hasOverlays(spec)) {
    // The composition without its text: each language gets its own layer afterwards.
    const base = await baseComposition(ctx, spec);
    return { assetId: await uploadOnce(ctx, base.file, spec.id, ctx.soft) };
  }
  if (entry?.composed && entry.output) {
    return { assetId: await uploadOnce(ctx, entry.output, spec.id, ctx.soft) };
  }
  return sourceUrl(ctx, spec);
}

/** The URL of HeyGen's own render of the source video, as HeyGen gives it now. */
async function sourceUrl(ctx: RunContext, spec: VideoSpec): Promise<string> {
  const remoteId = ctx.store.lock.videos[spec.id]?.remoteId;
  if (!remoteId) throw new HeygenBuildError('E_LOCK_NO_REMOTE', `${spec.id}: no finished source video to translate`);
  const v = await ctx.client.getVideo(remoteId, ctx.soft);
  if (!v.videoUrl) throw new HeygenBuildError('E_HEYGEN_NO_URL', `${spec.id}: HeyGen gives no URL for the source video`);
  return v.videoUrl;
}
