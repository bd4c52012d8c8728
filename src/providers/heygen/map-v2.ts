/**
 * VideoSpec -> POST /v2/video/generate body (pure), and the v2 translation body. v2 expresses
 * nearly everything a manifest can say (styles, scale, offset, emotion, video backgrounds,
 * silence); ranges were checked by validation, so values pass through unchanged.
 */
import type { BackgroundSpec, TranslationSpec, VideoSpec } from '../../model/spec.js';
import { effectiveScene } from '../../model/spec.js';
import { HeygenBuildError } from '../../errors.js';
import { addProblem, assetSource, formatProblem, throwIfProblems, titleOf, type MapContext, type MapProblem } from './map-common.js';
import type { TranslationOptions } from './map-v3.js';

/** The avatar part of a v2 `video_inputs` item. */
export interface V2Character {
  type: 'avatar';
  avatar_id: string;
  avatar_style: string;
  scale: number;
  offset: { x: number; y: number };
}

/** The voice part of a v2 `video_inputs` item: text to speak, an audio file, or silence. */
export type V2Voice =
  | { type: 'text'; voice_id: string; input_text: string; speed: number; pitch: number; emotion?: string; locale?: string }
  | { type: 'audio'; audio_asset_id: string }
  | { type: 'audio'; audio_url: string }
  | { type: 'silence'; duration: number };

/** The background part of a v2 `video_inputs` item. */
export type V2Background =
  | { type: 'color'; value: string }
  | { type: 'image'; image_asset_id?: string; url?: string; fit: string }
  | { type: 'video'; video_asset_id?: string; url?: string; play_style: string; fit: string };

/** One scene in a v2 video request. */
export interface V2VideoInput {
  character?: V2Character;
  voice: V2Voice;
  background?: V2Background;
}

/** The body of v2 `POST /v2/video/generate`. */
export interface V2GenerateRequest {
  video_inputs: V2VideoInput[];
  dimension: { width: number; height: number };
  caption: boolean;
  caption_mode?: 'burn_in';
  callback_id: string;
  title: string;
}

/** The body of a v2 video translation request. */
export interface V2TranslationRequest {
  video_url: string;
  output_language: string;
  translate_audio_only: boolean;
  callback_id: string;
  title?: string;
}

const MAX_SCENES = 50;

/** What v2 cannot express (few things): a script without a voice, more than 50 scenes. */
export function v2Issues(spec: VideoSpec): MapProblem[] {
  const out: MapProblem[] = [];
  if (spec.scenes.length > MAX_SCENES) addProblem(out, { path: 'scenes', message: `v2 takes at most ${MAX_SCENES} scenes`, hint: 'split the video' });
  const v3Only = { hint: "use heygen: { api: 'v3' } (the default)" };
  if (spec.transparent) addProblem(out, { path: 'transparent', message: 'a transparent video cannot be expressed in v2 (legacy)', ...v3Only });
  spec.scenes.forEach((_, i) => {
    const eff = effectiveScene(spec, i);
    if (eff.input.type === 'script' && !eff.voice) {
      addProblem(out, { path: `scenes[${i}].voice`, message: 'v2 needs a voice for a script (it has no avatar default voice)', hint: 'set a voice for the video or the scene' });
    }
    const a = eff.avatar;
    const at = `scenes[${i}].avatar`;
    if (a?.photo) addProblem(out, { path: `${at}.photo`, message: 'a photo avatar cannot be expressed in v2 (legacy)', ...v3Only });
    if (a?.motion !== undefined) addProblem(out, { path: `${at}.motion`, message: 'motion cannot be expressed in v2 (legacy)', ...v3Only });
    if (a?.engine !== undefined) addProblem(out, { path: `${at}.engine`, message: 'an avatar engine cannot be expressed in v2 (legacy)', ...v3Only });
    if (eff.voice?.volume !== undefined || eff.voice?.elevenlabs !== undefined) {
      addProblem(out, { path: `scenes[${i}].voice`, message: 'voice volume and elevenlabs settings cannot be expressed in v2 (legacy)', ...v3Only });
    }
  });
  return out;
}

/** What the v2 API cannot express for a video, as messages ready to show; empty when v2 can render it. */
export function v2Problems(spec: VideoSpec): string[] {
  return v2Issues(spec).map((p) => formatProblem(spec.id, p));
}

function background(bg: BackgroundSpec, ctx: MapContext, where: string): V2Background {
  if (bg.type === 'color') return { type: 'color', value: bg.color };
  const src = assetSource(bg.source, ctx, where);
  if (bg.type === 'image') {
    return 'url' in src ? { type: 'image', url: src.url, fit: bg.fit } : { type: 'image', image_asset_id: src.assetId, fit: bg.fit };
  }
  return 'url' in src
    ? { type: 'video', url: src.url, play_style: bg.play, fit: bg.fit }
    : { type: 'video', video_asset_id: src.assetId, play_style: bg.play, fit: bg.fit };
}

function videoInput(spec: VideoSpec, i: number, ctx: MapContext): V2VideoInput {
  const eff = effectiveScene(spec, i);
  const where = `${spec.id}: scenes[${i}]`;
  let voice: V2Voice;
  if (eff.input.type === 'silence') {
    voice = { type: 'silence', duration: eff.input.seconds };
  } else if (eff.input.type === 'audio') {
    const src = assetSource(eff.input.source, ctx, where);
    voice = 'url' in src ? { type: 'audio', audio_url: src.url } : { type: 'audio', audio_asset_id: src.assetId };
  } else {
    if (!eff.voice) throw new Error(`${where}: no voice (unreachable: v2Issues checks it)`);
    const text: Extract<V2Voice, { type: 'text' }> = {
      type: 'text',
      voice_id: eff.voice.id,
      input_text: eff.input.text,
      speed: eff.voice.speed,
      pitch: eff.voice.pitch,
    };
    if (eff.voice.emotion !== undefined) text.emotion = eff.voice.emotion;
    if (eff.voice.locale !== undefined) text.locale = eff.voice.locale;
    voice = text;
  }
  const out: V2VideoInput = { voice };
  if (eff.avatar) {
    out.character = {
      type: 'avatar',
      avatar_id: eff.avatar.id,
      avatar_style: eff.avatar.style,
      scale: eff.avatar.scale,
      offset: { x: eff.avatar.offset.x, y: eff.avatar.offset.y },
    };
  }
  if (eff.background) out.background = background(eff.background, ctx, `${where}.background`);
  return out;
}

/** The POST /v2/video/generate body. Throws E_UNSUPPORTED when v2 cannot express `spec`. */
export function toV2GenerateRequest(spec: VideoSpec, ctx: MapContext): V2GenerateRequest {
  throwIfProblems(spec, v2Issues(spec));
  const body: V2GenerateRequest = {
    video_inputs: spec.scenes.map((_, i) => videoInput(spec, i, ctx)),
    dimension: { width: spec.dimension.width, height: spec.dimension.height },
    caption: spec.caption !== 'none',
    callback_id: ctx.callbackId,
    title: titleOf(spec, ctx),
  };
  if (spec.caption === 'burn') body.caption_mode = 'burn_in';
  return body;
}

/**
 * What the v2 translation API cannot do: captions and precision mode are only in v3's
 * documented request (v2's own docs list neither), so asking for them on v2 is an error.
 */
export function v2TranslationProblems(t: Pick<TranslationSpec, 'mode' | 'captions'> & Partial<Pick<TranslationSpec, 'review'>>): string[] {
  const out: string[] = [];
  if (t.review) out.push('a reviewed translation (review:) cannot be expressed in v2 (proofreads are a v3 API)');
  if (t.captions) out.push('translation captions cannot be expressed in v2 (its translate API has no caption option)');
  if (t.mode === 'precision') out.push("translation mode 'precision' cannot be expressed in v2 (its translate API has no mode)");
  return out;
}

/** One POST /v2/video_translate per language. */
export function toV2TranslationRequest(videoUrl: string, language: string, opts: TranslationOptions): V2TranslationRequest {
  const [problem] = v2TranslationProblems(opts);
  if (problem) {
    throw new HeygenBuildError('E_UNSUPPORTED', `translation to ${language}: ${problem}`, {
      hint: "set heygen.api: 'v3' in heygen.config.ts, or drop the option",
    });
  }
  const body: V2TranslationRequest = { video_url: videoUrl, output_language: language, translate_audio_only: opts.audioOnly, callback_id: opts.callbackId };
  if (opts.title !== undefined) body.title = opts.title;
  return body;
}
