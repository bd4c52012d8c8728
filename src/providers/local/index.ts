/** The offline draft renderer (`--provider local`). */
export { findFfmpeg, runFfmpeg, FFMPEG_MISSING_HINT } from '../../compose/ffmpeg.js';
export type { FfmpegTools, FindFfmpegOptions, RunFfmpegOptions } from '../../compose/ffmpeg.js';
export { renderDraft, captionsPathFor, DRAFT_FPS } from './render.js';
export type { RenderDraftOptions, RenderedDraft } from './render.js';
export { probeSeconds } from '../../compose/probe.js';
export { buildCues, formatSrt } from '../../compose/captions.js';
export type { Cue } from '../../compose/captions.js';
export { avatarShape } from '../../compose/layout.js';
export { draftCache, cachedDraft } from './cache.js';
export type { DraftCache, CachedDraft, MaterializedDraft } from './cache.js';
