/**
 * Request bodies of HeyGen v3, field for field as the official RequestSchemas name them
 * (VideoCreate.json, VideoTranslateCreate.json). Only the fields we send are typed.
 */

export type V3AspectRatio = '16:9' | '9:16' | '4:5' | '5:4' | '1:1';
/** An output resolution v3 accepts. */
export type V3Resolution = '4k' | '1080p' | '720p';

/** How a v3 request names a media file: by public URL or by uploaded asset id. */
export type V3AssetInput = { type: 'url'; url: string } | { type: 'asset_id'; asset_id: string };

/** Voice delivery settings in a v3 request. */
export interface V3VoiceSettings {
  speed: number;
  pitch: number;
  locale?: string;
  /** 0 (silent) to 1 (HeyGen's default). */
  volume?: number;
  engine_settings?: V3ElevenLabsSettings;
}

/** `voice_settings.engine_settings` for an ElevenLabs-backed voice (ElevenLabsEngineSettings). */
export interface V3ElevenLabsSettings {
  engine_type: 'elevenlabs';
  model?: 'eleven_multilingual_v2' | 'eleven_turbo_v2_5' | 'eleven_flash_v2_5' | 'eleven_v3';
  stability?: number;
  similarity_boost?: number;
  style?: number;
}

/** v3 caption settings: a sidecar SRT, optionally burnt into the picture. */
export interface V3Caption {
  file_format: 'srt';
  /** Present only to burn captions into the picture. */
  style?: 'default';
}

/** Speech for an avatar or image: exactly one of script, audio_url, audio_asset_id. */
export interface V3Speech {
  script?: string;
  voice_id?: string;
  voice_settings?: V3VoiceSettings;
  audio_url?: string;
  audio_asset_id?: string;
}

/** The body of v3 `POST /v3/videos` for a single avatar video. */
export interface V3AvatarVideoRequest extends V3Speech {
  type: 'avatar';
  avatar_id: string;
  title: string;
  resolution: V3Resolution;
  aspect_ratio: V3AspectRatio;
  background?: { type: 'color'; value: string } | { type: 'image'; url?: string; asset_id?: string };
  caption?: V3Caption;
  /** `webm`: a transparent background (avatars trained with matting), laid out locally. */
  output_format?: 'mp4' | 'webm';
  engine?: { type: 'avatar_iii' | 'avatar_iv' | 'avatar_v' };
  expressiveness?: 'low' | 'medium' | 'high';
  motion_prompt?: string;
  callback_id: string;
}

/** The body of v3 `POST /v3/videos` `type: 'image'`: a photo animated on Avatar IV (it takes no `engine`). */
export interface V3ImageVideoRequest extends V3Speech {
  type: 'image';
  image: V3AssetInput;
  title: string;
  resolution: V3Resolution;
  aspect_ratio: V3AspectRatio;
  background?: V3AvatarVideoRequest['background'];
  caption?: V3Caption;
  output_format?: 'mp4' | 'webm';
  expressiveness?: 'low' | 'medium' | 'high';
  motion_prompt?: string;
  callback_id: string;
}

/** What one scene clip asks `POST /v3/videos` for: a look (`avatar`) or a photo (`image`). */
export type V3ClipRequest = V3AvatarVideoRequest | V3ImageVideoRequest;

/** POST /v3/voices/speech (VoiceSpeechCreate.json): Starfish text to speech, answered at once. */
export interface V3SpeechRequest {
  text: string;
  voice_id: string;
  speed?: number;
  locale?: string;
}

/** The avatar input of a v3 studio scene. */
export interface V3StudioAvatarInput extends V3Speech {
  type: 'avatar';
  avatar_id: string;
  background?: { type: 'color'; color: string };
}

/** One scene of a v3 studio video: an avatar video or an image with speech. */
export type V3StudioScene =
  | { type: 'avatar_video'; input: V3StudioAvatarInput }
  | ({ type: 'image'; source: V3AssetInput; duration?: number } & V3Speech);

/** The body of v3 `POST /v3/videos` for a multi-scene studio video. */
export interface V3StudioRequest {
  type: 'studio';
  title: string;
  resolution: V3Resolution;
  aspect_ratio: V3AspectRatio;
  caption?: V3Caption;
  callback_id: string;
  scenes: V3StudioScene[];
}

/** Every body v3 `POST /v3/videos` accepts from this tool. */
export type V3VideoRequest = V3AvatarVideoRequest | V3StudioRequest;

/** The body of a v3 video translation request. */
export interface V3TranslationRequest {
  video: V3AssetInput;
  output_languages: string[];
  mode: 'speed' | 'precision';
  enable_caption: boolean;
  translate_audio_only: boolean;
  callback_id: string;
  title?: string;
  speaker_num?: number;
  enable_speech_enhancement?: boolean;
  disable_music_track?: boolean;
  /** The manifest's `enable_video_stretching` under the create schema's name. */
  enable_dynamic_duration?: boolean;
  keep_the_same_format?: boolean;
  brand_glossary_id?: string;
}

/** POST /v3/video-translations/proofreads (VideoTranslateProofreadsCreate.json): one language per session here. */
export interface V3ProofreadRequest {
  video: V3AssetInput;
  output_languages: string[];
  title: string;
  mode: 'speed' | 'precision';
  /** The SRT the session starts from (a changed approved SRT rendered again). */
  srt?: V3AssetInput;
  speaker_num?: number;
  enable_speech_enhancement?: boolean;
  disable_music_track?: boolean;
  enable_video_stretching?: boolean;
  keep_the_same_format?: boolean;
  brand_glossary_id?: string;
}

/** POST /v3/video-translations/proofreads/{id}/generate (VideoTranslateProofreadsGenerate.json). */
export interface V3ProofreadGenerateRequest {
  captions: boolean;
  translate_audio_only: boolean;
  callback_id: string;
}
