/** One timeline model and one ffmpeg compositor, for drafts (placeholders) and HeyGen builds (v3 clips). */
export { compose, captionsPathFor, DEFAULT_FPS } from './compose.js';
export { composeAudio, type ComposedAudio } from './audio.js';
export type { Clip, ClipCue, ClipKind, ComposedScene, ComposeOptions, ComposeResult, LayerFacts } from './types.js';
export { whyNotCopy } from './concat.js';
export { probeMedia, type MediaInfo } from './media.js';
export { mergeCues, buildCues, formatSrt, type Cue } from './captions.js';
export { avatarPlacement, avatarShape, type AvatarPlacement } from './layout.js';
export { findFfmpeg, runFfmpeg, FFMPEG_MISSING_HINT } from './ffmpeg.js';
export type { FfmpegTools, FindFfmpegOptions, RunFfmpegOptions } from './ffmpeg.js';
export { probeSeconds } from './probe.js';
export { checkMedia, type MediaLabel } from './media-check.js';
export { checkImage, type ImageLabel } from './image-check.js';
export { shellWord } from './probe.js';
export { absoluteOverlays, hasOverlays } from './text/layer.js';
