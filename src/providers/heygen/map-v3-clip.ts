/**
 * A scene clip -> its v3 request (pure). An avatar clip is `POST /v3/videos` `type: 'avatar'`: with the
 * background when HeyGen composites the scene, or as a transparent WebM when the compositor lays it out.
 * A speech clip is `POST /v3/voices/speech`. Captions are asked per clip as a sidecar and merged later;
 * they are never burned by HeyGen, so every video gets the compositor's one caption look.
 */
import type { AssetRef } from '../../model/spec.js';
import type { ClipVoice, SceneClip } from '../../model/clip.js';
import { assetSource } from './map-common.js';
import { v3Dimension } from './map-v3.js';
import type { V3ClipRequest, V3ImageVideoRequest, V3SpeechRequest, V3VoiceSettings } from './v3-types.js';

/**
 * What mapping one scene clip needs from the executor: uploaded asset ids, including the silent audio for silent
 * scenes.
 */
export interface ClipMapContext {
  /** The HeyGen asset id of an uploaded local file. */
  assetId(ref: AssetRef): string | undefined;
  /** The asset id of the uploaded silent audio for a silent avatar scene of `seconds`. */
  silenceAssetId(seconds: number): string | undefined;
  callbackId: string;
  title: string;
}

type AvatarClip = Extract<SceneClip, { kind: 'avatar' }>;
type SpeechClip = Extract<SceneClip, { kind: 'speech' }>;

/** The head of a clip's request: a look (`type: avatar`, with its engine) or a photo (`type: image`, Avatar IV, no engine). */
function clipHead(clip: AvatarClip, ctx: ClipMapContext): V3ClipRequest {
  const dim = v3Dimension(clip.size);
  // scenes.ts only ever asks for v3 sizes.
  if (!dim) throw new Error(`clip size ${clip.size.width}x${clip.size.height} is not a v3 size (unreachable)`);
  const common = { title: ctx.title, ...dim, callback_id: ctx.callbackId };
  const body: V3ClipRequest = clip.photo ? { type: 'image', image: photoInput(clip.photo, ctx), ...common } : { type: 'avatar', avatar_id: clip.avatarId ?? '', ...common };
  if (body.type === 'avatar' && clip.engine) body.engine = { type: clip.engine };
  if (clip.expressiveness) body.expressiveness = clip.expressiveness;
  if (clip.motion !== undefined) body.motion_prompt = clip.motion;
  return body;
}

function photoInput(photo: AssetRef, ctx: ClipMapContext): V3ImageVideoRequest['image'] {
  const src = assetSource(photo, ctx, `${ctx.title} photo`);
  return 'url' in src ? { type: 'url', url: src.url } : { type: 'asset_id', asset_id: src.assetId };
}

/** HeyGen's `voice_settings`: speed and pitch always, the rest only when the manifest sets them. */
export function voiceSettings(v: ClipVoice): V3VoiceSettings {
  const e = v.elevenlabs;
  return {
    speed: v.speed,
    pitch: v.pitch,
    ...(v.locale !== undefined ? { locale: v.locale } : {}),
    ...(v.volume !== undefined ? { volume: v.volume } : {}),
    ...(e !== undefined ? { engine_settings: { engine_type: 'elevenlabs' as const, ...e } } : {}),
  };
}

/** The v3 request that renders one avatar scene as its own clip, to be composed locally with the others. */
export function toV3ClipRequest(clip: AvatarClip, ctx: ClipMapContext): V3ClipRequest {
  const body = clipHead(clip, ctx);
  const where = `${ctx.title}`;
  const speech = clip.speech;
  if (speech.type === 'script') {
    body.script = speech.text;
    if (speech.voice) {
      body.voice_id = speech.voice.id;
      body.voice_settings = voiceSettings(speech.voice);
    }
  } else if (speech.type === 'audio') {
    const src = assetSource(speech.source, ctx, where);
    if ('url' in src) body.audio_url = src.url;
    else body.audio_asset_id = src.assetId;
  } else {
    const id = ctx.silenceAssetId(speech.seconds);
    if (id === undefined) throw new Error(`${where}: the silent audio of ${speech.seconds} s was not uploaded (unreachable)`);
    body.audio_asset_id = id;
  }
  if (clip.layout === 'local') body.output_format = 'webm';
  else if (clip.background?.type === 'color') body.background = { type: 'color', value: clip.background.color };
  else if (clip.background?.type === 'image') {
    const src = assetSource(clip.background.source, ctx, `${where} background`);
    body.background = 'url' in src ? { type: 'image', url: src.url } : { type: 'image', asset_id: src.assetId };
  }
  if (clip.captions) body.caption = { file_format: 'srt' };
  return body;
}

/** The v3 speech request that voices a scene's script, for scenes that need audio but no avatar. */
export function toV3SpeechRequest(clip: SpeechClip): V3SpeechRequest {
  return {
    text: clip.text,
    voice_id: clip.voice.id,
    speed: clip.voice.speed,
    ...(clip.voice.locale !== undefined ? { locale: clip.voice.locale } : {}),
  };
}
