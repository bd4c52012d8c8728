/**
 * The audio file of a scene composed here (`audio:` in a composed video or a voiceover): the project
 * file, or the current copy of its URL (src/execute/url-copies.ts). Either is checked before ffmpeg
 * reads it (src/compose/media-check.ts), so a corrupt file fails its video with E_COMPOSE_ASSET naming
 * the manifest, the scene and the file, not with ffmpeg's stderr or a "damaged clip" hint.
 */
import { resolve } from 'node:path';
import type { AssetRef, VideoSpec } from '../../model/spec.js';
import { composer } from './composer.js';
import type { RunContext } from './context.js';

/** The absolute path of scene `i`'s audio `source`, checked playable. */
export async function sceneAudioFile(ctx: RunContext, spec: VideoSpec, i: number, source: AssetRef): Promise<string> {
  const place = `${spec.source}, scene ${i + 1}'s audio`;
  const file = source.kind === 'local' ? resolve(ctx.config.root, source.path) : await ctx.urlCopies.get(source.url, place, ctx.soft);
  const { checkMedia, findFfmpeg } = await composer();
  const label = { code: 'E_COMPOSE_ASSET', path: source.kind === 'local' ? source.path : source.url, place, kind: 'audio' } as const;
  await checkMedia(file, source.kind === 'local' ? source.sha256 : undefined, await findFfmpeg(), label, ctx.soft);
  return file;
}
