/** A dub's source (`source:`) as HeyGen translates it; dub.ts runs the dub's languages through it (translation-source.ts). */
import type { VideoSpec } from '../../model/spec.js';
import type { TranslationSource } from '../../providers/heygen/index.js';
import { uploadOnce } from './assets.js';
import type { RunContext } from './context.js';
import { checkUploads } from './upload-check.js';
import { dubUploadsOf } from './upload-files.js';

/**
 * What HeyGen translates for a dub: the uploaded source, or its https URL as written. Asked by each language
 * about to be sent (a new or resumed POST, a proofread), before its intent: a source HeyGen would not take
 * fails those languages with E_COMPOSE_ASSET at `source:`, with nothing uploaded or POSTed.
 */
export async function dubSource(ctx: RunContext, spec: VideoSpec): Promise<string | TranslationSource> {
  const video = spec.dub!.video;
  if (video.kind === 'url') return video.url;
  await checkUploads(ctx, dubUploadsOf(spec));
  return { assetId: await uploadOnce(ctx, video, spec.id, ctx.soft) };
}
