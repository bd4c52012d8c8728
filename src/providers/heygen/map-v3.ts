/**
 * VideoSpec -> POST /v3/videos body (pure). One avatar scene becomes `type: 'avatar'`; anything
 * else becomes `type: 'studio'` with `scenes[]`. What v3 cannot express is a problem reported
 * with its field path, never dropped: a video must render as written or not at all.
 */
import type { Dimension, EffectiveScene, TranslationMode, TranslationOptionsSpec, VideoSpec } from '../../model/spec.js';
import { effectiveScene } from '../../model/spec.js';
import {
  HINT_V3_LIMIT,
  addProblem,
  assetSource,
  fieldPath,
  formatProblem,
  throwIfProblems,
  titleOf,
  type AssetSource,
  type MapContext,
  type MapProblem,
} from './map-common.js';
import type {
  V3AspectRatio,
  V3AssetInput,
  V3Caption,
  V3Resolution,
  V3Speech,
  V3StudioScene,
  V3TranslationRequest,
  V3VideoRequest,
} from './v3-types.js';

const RATIOS: readonly [V3AspectRatio, number, number][] = [
  ['16:9', 16, 9],
  ['9:16', 9, 16],
  ['1:1', 1, 1],
  ['4:5', 4, 5],
  ['5:4', 5, 4],
];
/** v3 anchors the short edge to the resolution tier. */
const TIERS: Record<number, V3Resolution> = { 720: '720p', 1080: '1080p', 2160: '4k' };
const MAX_SCENES = 50;
const MAX_SILENT_IMAGE_SECONDS = 300;

/** v3's resolution and aspect ratio for an exact width x height, or undefined when v3 cannot produce that size. */
export function v3Dimension(d: Dimension): { resolution: V3Resolution; aspect_ratio: V3AspectRatio } | undefined {
  const ratio = RATIOS.find(([, w, h]) => d.width * h === d.height * w);
  const resolution = TIERS[Math.min(d.width, d.height)];
  if (!ratio || !resolution) return undefined;
  return { resolution, aspect_ratio: ratio[0] };
}

/** One avatar scene maps to `type: 'avatar'`; everything else needs a studio. */
function isSingleAvatar(spec: VideoSpec): boolean {
  return spec.scenes.length === 1 && effectiveScene(spec, 0).avatar !== undefined;
}

function sceneProblems(spec: VideoSpec, i: number, studio: boolean, out: MapProblem[]): void {
  const eff = effectiveScene(spec, i);
  const bgPath = fieldPath(spec, i, 'background');
  const where = studio ? 'a v3 studio scene' : 'v3';
  const v3Limit = { hint: HINT_V3_LIMIT };
  if (eff.avatar) {
    const p = fieldPath(spec, i, 'avatar');
    if (eff.avatar.style !== 'normal') {
      addProblem(out, { path: `${p}.style`, message: `avatar style '${eff.avatar.style}' cannot be expressed in v3 (it has no avatar style)`, ...v3Limit });
    }
    if (eff.avatar.scale !== 1) addProblem(out, { path: `${p}.scale`, message: 'avatar scale cannot be expressed in v3 (it has no scale)', ...v3Limit });
    if (eff.avatar.offset.x !== 0 || eff.avatar.offset.y !== 0) {
      addProblem(out, { path: `${p}.offset`, message: 'avatar offset cannot be expressed in v3 (it has no offset)', ...v3Limit });
    }
    if (eff.input.type === 'silence') {
      addProblem(out, {
        path: `scenes[${i}]`,
        message: 'a silent scene with an avatar cannot be expressed in v3 (avatar scenes need a script or audio)',
        hint: `drop the avatar and give the scene an image background (or build free drafts with --provider local)`,
      });
    }
    if (eff.background?.type === 'video') {
      addProblem(out, { path: bgPath, message: `a video background cannot be expressed in ${where}`, hint: `use a color background (or build free drafts with --provider local)` });
    } else if (eff.background?.type === 'image' && studio) {
      addProblem(out, { path: bgPath, message: 'an image background cannot be expressed in a v3 studio scene', hint: `use a color background (or build free drafts with --provider local)` });
    }
  } else if (eff.background?.type !== 'image') {
    addProblem(out, {
      path: `scenes[${i}]`,
      message: `a scene without an avatar needs an image background in v3 (${eff.background ? `not a ${eff.background.type}` : 'it has none'})`,
      hint: `give the scene an avatar or an image background (or build free drafts with --provider local)`,
    });
  } else {
    if (eff.input.type === 'script' && !eff.voice) {
      addProblem(out, { path: `scenes[${i}].voice`, message: 'a script over an image needs a voice in v3', hint: 'set a voice for the video or the scene' });
    }
    if (eff.input.type === 'silence' && eff.input.seconds > MAX_SILENT_IMAGE_SECONDS) {
      addProblem(out, { path: `scenes[${i}]`, message: `a silent image scene is at most ${MAX_SILENT_IMAGE_SECONDS} s in v3`, ...v3Limit });
    }
  }
  if (eff.background?.type === 'image' && eff.background.fit !== 'cover') {
    addProblem(out, { path: `${bgPath}.fit`, message: `background fit '${eff.background.fit}' cannot be expressed in v3 (images always cover the frame)`, hint: `use fit: cover (or build free drafts with --provider local)` });
  }
  if (eff.voice?.emotion !== undefined && eff.input.type === 'script') {
    addProblem(out, { path: `${fieldPath(spec, i, 'voice')}.emotion`, message: 'voice emotion cannot be expressed in v3', ...v3Limit });
  }
}

/** Everything about `spec` that v3 cannot express, with field paths. Empty when it can. */
export function v3Issues(spec: VideoSpec): MapProblem[] {
  const out: MapProblem[] = [];
  if (!v3Dimension(spec.dimension)) {
    addProblem(out, {
      path: 'dimension',
      message: `${spec.dimension.width}x${spec.dimension.height} cannot be expressed in v3 (aspect ratio 16:9, 9:16, 1:1, 4:5 or 5:4 with a short side of 720, 1080 or 2160)`,
      hint: `use a size such as 1920x1080, 1080x1920 or 1080x1080 (or build free drafts with --provider local)`,
    });
  }
  if (spec.scenes.length > MAX_SCENES) {
    addProblem(out, { path: 'scenes', message: `v3 takes at most ${MAX_SCENES} scenes`, hint: 'split the video' });
  }
  const studio = !isSingleAvatar(spec);
  spec.scenes.forEach((_, i) => sceneProblems(spec, i, studio, out));
  return out;
}

/**
 * What v3 cannot express even scene by scene (each scene its own clip, laid out locally): voice
 * emotion, which v3 has no field for. Such a video is refused alone; the rest of the build goes on.
 */
export function v3SceneIssues(spec: VideoSpec): MapProblem[] {
  const out: MapProblem[] = [];
  spec.scenes.forEach((_, i) => {
    const eff = effectiveScene(spec, i);
    if (eff.voice?.emotion !== undefined && eff.input.type === 'script') {
      addProblem(out, {
        path: `${fieldPath(spec, i, 'voice')}.emotion`,
        message: 'voice emotion cannot be expressed in v3',
        hint: 'remove emotion (v3 has no such setting), or build free drafts with --provider local',
      });
    }
    // Narration without an avatar is Starfish speech (POST /v3/voices/speech), which takes neither.
    if (!eff.avatar && eff.input.type === 'script' && (eff.voice?.volume !== undefined || eff.voice?.elevenlabs !== undefined)) {
      addProblem(out, {
        path: `${fieldPath(spec, i, 'voice')}.${eff.voice.volume !== undefined ? 'volume' : 'elevenlabs'}`,
        message: 'a scene without an avatar is narrated by Starfish (POST /v3/voices/speech), which has no volume or ElevenLabs settings',
        hint: 'remove volume/elevenlabs from this scene\'s voice, or give the scene an avatar',
      });
    }
  });
  return out;
}

/** The planner's check: `<video id>: <path>: <message>` for each thing v3 cannot express. */
export function v3Problems(spec: VideoSpec): string[] {
  return v3Issues(spec).map((p) => formatProblem(spec.id, p));
}

function assetInput(src: AssetSource): V3AssetInput {
  return 'url' in src ? { type: 'url', url: src.url } : { type: 'asset_id', asset_id: src.assetId };
}

function speech(eff: EffectiveScene, ctx: MapContext, where: string): V3Speech {
  const input = eff.input;
  if (input.type === 'audio') {
    const src = assetSource(input.source, ctx, where);
    return 'url' in src ? { audio_url: src.url } : { audio_asset_id: src.assetId };
  }
  if (input.type !== 'script') return {};
  const out: V3Speech = { script: input.text };
  if (eff.voice) {
    out.voice_id = eff.voice.id;
    out.voice_settings = { speed: eff.voice.speed, pitch: eff.voice.pitch };
    if (eff.voice.locale !== undefined) out.voice_settings.locale = eff.voice.locale;
  }
  return out;
}

function caption(spec: VideoSpec): V3Caption | undefined {
  if (spec.caption === 'none') return undefined;
  return spec.caption === 'burn' ? { file_format: 'srt', style: 'default' } : { file_format: 'srt' };
}

function studioScene(spec: VideoSpec, i: number, ctx: MapContext): V3StudioScene {
  const eff = effectiveScene(spec, i);
  const where = `${spec.id}: scenes[${i}]`;
  if (eff.avatar) {
    const input: Extract<V3StudioScene, { type: 'avatar_video' }>['input'] = { type: 'avatar', avatar_id: eff.avatar.id, ...speech(eff, ctx, where) };
    if (eff.background?.type === 'color') input.background = { type: 'color', color: eff.background.color };
    return { type: 'avatar_video', input };
  }
  // v3Issues guarantees an image background here.
  if (eff.background?.type !== 'image') throw new Error(`${where}: no image background (unreachable)`);
  const source = assetInput(assetSource(eff.background.source, ctx, `${where}.background`));
  if (eff.input.type === 'silence') return { type: 'image', source, duration: eff.input.seconds };
  return { type: 'image', source, ...speech(eff, ctx, where) };
}

/** The POST /v3/videos body for `spec`. Throws E_UNSUPPORTED (all problems as diagnostics) when v3 cannot express it. */
export function toV3VideoRequest(spec: VideoSpec, ctx: MapContext): V3VideoRequest {
  throwIfProblems(spec, v3Issues(spec));
  const dim = v3Dimension(spec.dimension);
  if (!dim) throw new Error('unreachable: dimension checked');
  const cap = caption(spec);
  const common = { title: titleOf(spec, ctx), ...dim, ...(cap ? { caption: cap } : {}), callback_id: ctx.callbackId };

  if (!isSingleAvatar(spec)) {
    return { type: 'studio', ...common, scenes: spec.scenes.map((_, i) => studioScene(spec, i, ctx)) };
  }
  const eff = effectiveScene(spec, 0);
  if (!eff.avatar) throw new Error('unreachable: single avatar checked');
  const body: V3VideoRequest = { type: 'avatar', avatar_id: eff.avatar.id, ...speech(eff, ctx, `${spec.id}: scenes[0]`), ...common };
  if (eff.background?.type === 'color') body.background = { type: 'color', value: eff.background.color };
  if (eff.background?.type === 'image') {
    const src = assetSource(eff.background.source, ctx, `${spec.id}: ${fieldPath(spec, 0, 'background')}`);
    body.background = 'url' in src ? { type: 'image', url: src.url } : { type: 'image', asset_id: src.assetId };
  }
  return body;
}

/** How a video is translated: the mode, whether captions come with it, and whether only the audio is translated. */
export interface TranslationOptions {
  mode: TranslationMode;
  captions: boolean;
  audioOnly: boolean;
  callbackId: string;
  title?: string;
  options?: TranslationOptionsSpec;
}

/**
 * The options `POST /v3/video-translations` takes (VideoTranslateCreate.json). The manifest's
 * `enable_video_stretching` (the proofread's name, VideoTranslateProofreadsCreate.json) is the same
 * setting ("Allow dynamic duration adjustment") that the create schema calls `enable_dynamic_duration`.
 */
function createOptions(o: TranslationOptionsSpec | undefined): Omit<V3TranslationRequest, 'video' | 'output_languages' | 'mode' | 'enable_caption' | 'translate_audio_only' | 'callback_id'> {
  if (!o) return {};
  const { enable_video_stretching: stretch, ...rest } = o;
  return stretch === undefined ? rest : { ...rest, enable_dynamic_duration: stretch };
}

/** One POST /v3/video-translations for all languages (HeyGen names); HeyGen answers one id per language, in order. */
export function toV3TranslationRequest(source: { url: string } | { assetId: string }, languages: string[], opts: TranslationOptions): V3TranslationRequest {
  const body: V3TranslationRequest = {
    video: 'url' in source ? { type: 'url', url: source.url } : { type: 'asset_id', asset_id: source.assetId },
    output_languages: [...languages],
    mode: opts.mode,
    enable_caption: opts.captions,
    translate_audio_only: opts.audioOnly,
    callback_id: opts.callbackId,
    ...createOptions(opts.options),
  };
  if (opts.title !== undefined) body.title = opts.title;
  return body;
}
