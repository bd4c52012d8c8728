/**
 * The offline draft of a dubbed language: the source itself (picture and sound) under the
 * `DRAFT · <language>` banner, drawn by the one compositor like any translation draft. A URL source
 * is not fetched offline: the draft shows a placeholder and says so.
 */
import type { VideoSpec } from '../../model/spec.js';

/** A one-scene spec that plays the dub's source: its sound as the scene's audio, its picture as the background. */
export function dubDraftSpec(spec: VideoSpec): VideoSpec {
  if (!spec.dub) return spec;
  // Destructured so the config's default avatar and voice never appear over someone's own video.
  const { dub, avatar: _avatar, voice: _voice, background: _background, ...rest } = spec;
  return {
    ...rest,
    caption: 'none',
    scenes: [{ input: { type: 'audio', source: dub.video }, background: { type: 'video', source: dub.video, play: 'once', fit: 'contain' } }],
    translations: [],
  };
}
