/**
 * Which project files the local compositor reads for a video: what must still have its planned bytes
 * once the composition is done (see asset-check.ts). Files only HeyGen reads (uploaded photos, audio an
 * avatar speaks, a background HeyGen composites) are not among them: their check is at upload.
 */
import type { ClipKind } from '../compose/types.js';
import { isAudioOutput } from '../model/outputs.js';
import { effectiveScene, localAssets, type LocalAsset, type VideoSpec } from '../model/spec.js';

/**
 * The local files composing `spec` reads, once each. `kinds[i]`: scene i's clip (`placeholder` in a
 * draft), undefined when HeyGen rendered nothing for it (its audio file or silence is laid out here).
 * A finished scene brings its own background; a voiceover shows none.
 */
export function laidOutFiles(spec: VideoSpec, kinds: readonly (ClipKind | undefined)[]): LocalAsset[] {
  const out = new Map<string, LocalAsset>();
  const audio = isAudioOutput(spec.output);
  for (let i = 0; i < spec.scenes.length; i++) {
    const scene = effectiveScene(spec, i);
    const kind = kinds[i];
    const bg = scene.background;
    if (!audio && kind !== 'scene' && bg && bg.type !== 'color' && bg.source.kind === 'local') out.set(bg.source.path, bg.source);
    const input = scene.input;
    if ((kind === undefined || kind === 'placeholder') && input.type === 'audio' && input.source.kind === 'local') out.set(input.source.path, input.source);
  }
  return [...out.values()];
}

/**
 * Of `read` (files of a spec derived from `planned` for drafting: a template's cards, a prompt's card, a
 * dub's source), those that are project files of `planned`, with the digests the plan read. Files made
 * for the draft itself (a prompt card's thumbnail sheet) are not project files and are left out.
 */
export function plannedOf(planned: VideoSpec, read: readonly { path: string }[]): LocalAsset[] {
  const byPath = new Map(localAssets(planned).map((a) => [a.path, a]));
  const out = new Map<string, LocalAsset>();
  for (const r of read) {
    const a = byPath.get(r.path);
    if (a) out.set(a.path, a);
  }
  return [...out.values()];
}
