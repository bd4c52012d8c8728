/** The offline draft renderer (`--provider local`). */
export { findFfmpeg, runFfmpeg, FFMPEG_MISSING_HINT } from './ffmpeg.js';
export type { FfmpegTools, FindFfmpegOptions, RunFfmpegOptions } from './ffmpeg.js';
export { renderDraft, captionsPathFor, DRAFT_FPS } from './render.js';
export type { RenderDraftOptions, RenderedDraft } from './render.js';
export { probeSeconds } from './probe.js';
export { buildCues, formatSrt } from './captions.js';
export type { Cue } from './captions.js';
export { avatarShape } from './layout.js';
export { draftCache, cachedDraft } from './cache.js';
export type { DraftCache, CachedDraft, MaterializedDraft } from './cache.js';
