/**
 * Who appears and speaks in a video, by name, for the preview page: each distinct avatar and voice of
 * its scenes, named from the cached catalog (ids alone where there is none), with the voice's sample.
 */
import type { Catalog } from '../model/catalog.js';
import { effectiveScene, type VideoSpec } from '../model/spec.js';
import type { CastEntry } from './types.js';

/** The distinct (avatar, voice) pairs of `spec`'s scenes, in scene order. */
export function castOf(spec: VideoSpec, catalog: Catalog | undefined): CastEntry[] {
  const looks = new Map(catalog?.looks.map((l) => [l.id, l]));
  const voices = new Map(catalog?.voices.map((v) => [v.voice_id, v]));
  const seen = new Set<string>();
  const out: CastEntry[] = [];
  spec.scenes.forEach((_, i) => {
    const eff = effectiveScene(spec, i);
    const look = eff.avatar ? looks.get(eff.avatar.id) : undefined;
    // A scene with an avatar and no voice speaks with the look's default voice.
    const voiceId = eff.voice?.id ?? look?.default_voice_id ?? undefined;
    const key = `${eff.avatar?.id ?? ''}|${voiceId ?? ''}`;
    if (seen.has(key) || (!eff.avatar && !voiceId)) return;
    seen.add(key);
    const entry: CastEntry = {};
    if (eff.avatar) entry.avatar = { id: eff.avatar.id, name: look?.name ?? eff.avatar.label };
    if (voiceId) {
      const v = voices.get(voiceId);
      entry.voice = { id: voiceId, name: v?.name ?? eff.voice?.label ?? voiceId, ...(v?.preview_audio_url ? { sample: v.preview_audio_url } : {}) };
    }
    out.push(entry);
  });
  return out;
}
