/**
 * The offline draft renderer (`--provider local`): one MP4 per video, lasting what the plan
 * estimated, with placeholders for everything only HeyGen can render. It is the compositor
 * (src/compose) given a placeholder for every scene, so drafts and finals share one layout.
 *
 * Drafts are storyboards, so they are encoded for speed: 12 fps (a still scene costs only the
 * encoder; motion in video backgrounds looks choppy and that is fine), libx264 ultrafast,
 * AAC stereo at 48 kHz, `+faststart` so they play while copying.
 */
import { compose, captionsPathFor } from '../../compose/compose.js';
import type { ComposeOptions } from '../../compose/types.js';
import type { VideoSpec } from '../../model/spec.js';
import { isAudioOutput } from '../../model/outputs.js';
import { composeAudio } from '../../compose/audio.js';
import { dubDraftSpec } from './dub.js';

export { captionsPathFor };

/** Frames per second of every draft. */
export const DRAFT_FPS = 12;

/** The compose options a draft render takes; scenes are always placeholders, so no HeyGen clips are needed. */
export type RenderDraftOptions = Pick<ComposeOptions, 'root' | 'outFile' | 'language' | 'signal' | 'espeak' | 'tools' | 'burnWith' | 'avatarImages' | 'verify'>;

/** A rendered offline draft: the MP4 and, when captions are on, its sidecar SRT. */
export interface RenderedDraft {
  path: string;
  /** The sidecar `.srt`, when `spec.caption` is not `none`. */
  captions?: string;
  seconds: number;
  /** Each scene's length in frames at `fps`, as the compositor placed it (read by the exports). */
  scenes?: number[];
  fps?: number;
}

/**
 * Renders an offline draft of a video with ffmpeg, placeholder scenes standing in for the avatar; nothing is paid for.
 */
export async function renderDraft(spec: VideoSpec, opts: RenderDraftOptions): Promise<RenderedDraft> {
  // A voiceover's draft is the same timeline, heard: espeak-ng speech (or silence) for each script.
  if (isAudioOutput(spec.output)) return composeAudio(spec, spec.scenes.map(() => ({ kind: 'placeholder' as const })), opts);
  // A dub's draft is its source under the language banner.
  if (spec.dub) spec = dubDraftSpec(spec);
  const r = await compose(
    spec,
    spec.scenes.map(() => ({ kind: 'placeholder' as const })),
    { ...opts, fps: DRAFT_FPS },
  );
  return { path: r.path, ...(r.captions ? { captions: r.captions } : {}), seconds: r.seconds, scenes: r.scenes.map((x) => x.frames), fps: r.fps };
}
