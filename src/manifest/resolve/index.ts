/**
 * A schema-valid manifest (defaults merged in) -> an unresolved spec: everything but the
 * digests of its local files, which are listed as `pending` and digested afterwards, once per
 * distinct file, before `finishSpec` builds the VideoSpec. Synchronous and without I/O.
 */

import type { UnresolvedSpec } from '../../model/spec.js';
import type { ManifestInput } from '../types.js';
import { startResolving, type ResolveContext, type Resolution } from './context.js';
import { captionMode, resolveDimension } from './dimension.js';
import { outputPath, videoId } from './identity.js';
import { avatar, background, voice } from './media.js';
import { scene } from './scenes.js';
import { translations } from './translations.js';
import { textOverlays } from './text.js';

export type { PendingAsset, ResolveContext, Resolution } from './context.js';
export { resolveDimension } from './dimension.js';
export { ID_PATTERN, outDirRel } from './identity.js';

/**
 * Resolves a validated manifest into an unresolved spec (aliases applied, paths checked), collecting problems instead
 * of throwing.
 */
export function resolveManifest(m: ManifestInput, ctx: ResolveContext): Resolution {
  const r = startResolving(ctx);
  const id = videoId(r, m);
  const videoAvatar = avatar(r, m.avatar, ['avatar']);
  // The video's voice: its own, else the one its avatar alias brings.
  const videoVoice = voice(r, m.voice, ['voice']) ?? videoAvatar.voice;
  const videoBackground = m.background === undefined ? undefined : background(r, m.background, ['background']);
  const caption = captionMode(m.caption);
  const dimension = resolveDimension(m.dimension);
  const scenes = m.scenes.map((s, i) => scene(r, m, s, i, videoVoice, dimension));
  const text = textOverlays(r, m.text, ['text'], dimension);
  const langs = translations(r, m, caption);
  const output = outputPath(r, m, id);

  // Keys in a fixed order, optional ones only when present, so specs compare and serialize stably.
  const spec: UnresolvedSpec = {
    id,
    source: ctx.source,
    ...(m.title !== undefined ? { title: m.title } : {}),
    ...(m.description !== undefined ? { description: m.description } : {}),
    tags: [...(m.tags ?? [])],
    output,
    dimension,
    caption,
    ...(videoAvatar.spec ? { avatar: videoAvatar.spec } : {}),
    ...(videoVoice ? { voice: videoVoice } : {}),
    ...(videoBackground ? { background: videoBackground } : {}),
    scenes,
    translations: langs,
    ...(text ? { text } : {}),
  };
  return { spec, pending: r.pending, issues: r.issues };
}
