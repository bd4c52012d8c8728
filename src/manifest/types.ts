/**
 * The manifest as written in YAML (`schema/video.schema.json` is the source of truth).
 * These types mirror the schema; the `*_KEYS` tables below are checked by the compiler to list
 * exactly the keys of each type, and `test/manifest/drift.test.ts` compares them with the
 * schema's property names, so adding a property to one side only fails the build or the tests.
 */

import type { AvatarStyle, Emotion, Fit, Orientation, PlayStyle, TranslationMode } from '../model/spec.js';

export type DimensionPreset = '720p' | '1080p';
export type AspectRatio = '16:9' | '9:16' | '1:1' | '4:5' | '5:4' | '4:3';

export interface PresetDimensionInput {
  preset: DimensionPreset;
  orientation?: Orientation;
}
export interface SizeDimensionInput {
  width: number;
  height: number;
}
export type DimensionInput = DimensionPreset | AspectRatio | PresetDimensionInput | SizeDimensionInput;

export interface CaptionObjectInput {
  burn: boolean;
}
export type CaptionInput = boolean | CaptionObjectInput;

export interface AvatarObjectInput {
  id: string;
  style?: AvatarStyle;
  scale?: number;
  offset?: { x: number; y: number };
}
export type AvatarInput = string | AvatarObjectInput;

export interface VoiceObjectInput {
  id: string;
  speed?: number;
  pitch?: number;
  emotion?: Emotion;
  locale?: string;
}
export type VoiceInput = string | VoiceObjectInput;

export interface ColorBackgroundInput {
  color: string;
}
export interface ImageBackgroundInput {
  image: string;
  fit?: Fit;
}
export interface VideoBackgroundInput {
  video: string;
  play?: PlayStyle;
  fit?: Fit;
}
export type BackgroundInput = string | ColorBackgroundInput | ImageBackgroundInput | VideoBackgroundInput;

/** The schema says "exactly one of script, audio, silence"; the type keeps them optional. */
export interface SceneInputYaml {
  script?: string;
  audio?: string;
  silence?: number;
  avatar?: AvatarInput;
  voice?: VoiceInput;
  background?: BackgroundInput;
}

export interface TranslationObjectInput {
  language: string;
  mode?: TranslationMode;
  captions?: boolean;
  audio_only?: boolean;
}
export type TranslationInput = string | TranslationObjectInput;

export interface ManifestInput {
  id?: string;
  title?: string;
  description?: string;
  tags?: string[];
  dimension?: DimensionInput;
  caption?: CaptionInput;
  avatar?: AvatarInput;
  voice?: VoiceInput;
  background?: BackgroundInput;
  scenes: SceneInputYaml[];
  translations?: TranslationInput[];
  output?: string;
}

/** `satisfies Record<keyof T, true>` fails to compile when a key is missing or extra. */
type Keys<T> = Record<keyof T, true>;

export const MANIFEST_KEYS = {
  id: true,
  title: true,
  description: true,
  tags: true,
  dimension: true,
  caption: true,
  avatar: true,
  voice: true,
  background: true,
  scenes: true,
  translations: true,
  output: true,
} as const satisfies Keys<ManifestInput>;

export const SCENE_KEYS = {
  script: true,
  audio: true,
  silence: true,
  avatar: true,
  voice: true,
  background: true,
} as const satisfies Keys<SceneInputYaml>;

export const AVATAR_OBJECT_KEYS = { id: true, style: true, scale: true, offset: true } as const satisfies Keys<AvatarObjectInput>;
export const VOICE_OBJECT_KEYS = {
  id: true,
  speed: true,
  pitch: true,
  emotion: true,
  locale: true,
} as const satisfies Keys<VoiceObjectInput>;
export const PRESET_DIMENSION_KEYS = { preset: true, orientation: true } as const satisfies Keys<PresetDimensionInput>;
export const SIZE_DIMENSION_KEYS = { width: true, height: true } as const satisfies Keys<SizeDimensionInput>;
export const CAPTION_OBJECT_KEYS = { burn: true } as const satisfies Keys<CaptionObjectInput>;
export const COLOR_BACKGROUND_KEYS = { color: true } as const satisfies Keys<ColorBackgroundInput>;
export const IMAGE_BACKGROUND_KEYS = { image: true, fit: true } as const satisfies Keys<ImageBackgroundInput>;
export const VIDEO_BACKGROUND_KEYS = { video: true, play: true, fit: true } as const satisfies Keys<VideoBackgroundInput>;
export const TRANSLATION_OBJECT_KEYS = {
  language: true,
  mode: true,
  captions: true,
  audio_only: true,
} as const satisfies Keys<TranslationObjectInput>;
