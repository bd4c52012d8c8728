/**
 * The manifest as written in YAML (`schema/video.schema.json` is the source of truth).
 * These types mirror the schema; the `*_KEYS` tables below are checked by the compiler to list
 * exactly the keys of each type, and `test/manifest/drift.test.ts` compares them with the
 * schema's property names, so adding a property to one side only fails the build or the tests.
 */

import type { AvatarEngine, AvatarStyle, ElevenLabsSpec, Emotion, Expressiveness, Fit, Orientation, PlayStyle, PromptOrientation, TranslationMode } from '../model/spec.js';

/** A named frame height; with an orientation it gives the video's size. */
export type DimensionPreset = '720p' | '1080p' | '4k';
/** An aspect ratio accepted as `dimension:`, mapped to a standard size. */
export type AspectRatio = '16:9' | '9:16' | '1:1' | '4:5' | '5:4' | '4:3';

/** `dimension:` as a preset plus orientation. */
export interface PresetDimensionInput {
  preset: DimensionPreset;
  orientation?: Orientation;
}
/** `dimension:` as an explicit size in pixels. */
export interface SizeDimensionInput {
  width: number;
  height: number;
}
/** Every form `dimension:` accepts in a manifest. */
export type DimensionInput = DimensionPreset | AspectRatio | PresetDimensionInput | SizeDimensionInput;

/** `caption:` as a map, to choose burnt-in captions. */
export interface CaptionObjectInput {
  burn: boolean;
}
/** Every form `caption:` accepts: true for a sidecar file, false for none, or a map. */
export type CaptionInput = boolean | CaptionObjectInput;

/**
 * `avatar:` as a map: a raw HeyGen id (`id`, never an alias), an alias (`alias`) or a photo to animate (`photo`), with
 * placement overrides; exactly one of the three.
 */
export interface AvatarObjectInput {
  id?: string;
  alias?: string;
  /** A local image or an http(s) URL, animated by HeyGen (`type: image`). */
  photo?: string;
  /** HeyGen's `motion_prompt`. */
  motion?: string;
  style?: AvatarStyle;
  scale?: number;
  offset?: { x: number; y: number };
  engine?: AvatarEngine;
  expressiveness?: Expressiveness;
}
/** Every form `avatar:` accepts: an alias or id, or a map. */
export type AvatarInput = string | AvatarObjectInput;

/** `voice:` as a map: a raw HeyGen id (`id`, never an alias) or an alias (`alias`), with delivery overrides; exactly one of the two. */
export interface VoiceObjectInput {
  id?: string;
  alias?: string;
  speed?: number;
  pitch?: number;
  emotion?: Emotion;
  locale?: string;
  volume?: number;
  elevenlabs?: ElevenLabsInput;
}
/** `voice.elevenlabs:`: HeyGen's ElevenLabs engine settings, under HeyGen's names. */
export type ElevenLabsInput = { -readonly [K in keyof ElevenLabsSpec]: ElevenLabsSpec[K] };
/** Every form `voice:` accepts: an alias or id, or a map. */
export type VoiceInput = string | VoiceObjectInput;

/** `background:` as a solid colour. */
export interface ColorBackgroundInput {
  color: string;
}
/** `background:` as a local or remote image. */
export interface ImageBackgroundInput {
  image: string;
  fit?: Fit;
}
/** `background:` as a local or remote video clip. */
export interface VideoBackgroundInput {
  video: string;
  play?: PlayStyle;
  fit?: Fit;
}
/** Every form `background:` accepts; a bare string is a colour. */
export type BackgroundInput = string | ColorBackgroundInput | ImageBackgroundInput | VideoBackgroundInput;

/** A coordinate of `position: {x, y}`: pixels, or a percentage string like `"10%"`. */
export type TextLengthInput = number | string;
/** `position:` of a text overlay: an anchor name or a point. */
export type TextPositionInput = string | { x: TextLengthInput; y: TextLengthInput };
/** An inline overlay style. */
export interface TextStyleObjectInput {
  font?: string;
  size?: number;
  color?: string;
  background?: string;
  align?: 'left' | 'center' | 'right';
  padding?: number;
}
/** One `text:` item: a title, lower third or call to action. */
export interface TextOverlayInput {
  value: string | Record<string, string>;
  position?: TextPositionInput;
  start?: number;
  end?: number;
  at?: { word: string };
  style?: string | TextStyleObjectInput;
}

/** The schema says "exactly one of script, audio, silence"; the type keeps them optional. */
export interface SceneInputYaml {
  script?: string;
  audio?: string;
  silence?: number;
  avatar?: AvatarInput;
  voice?: VoiceInput;
  background?: BackgroundInput;
  text?: TextOverlayInput[];
  /** Rows manifests only: the rows this scene is for (src/manifest/rows/when.ts reads it). */
  when?: WhenInput;
  /** The engine this scene's avatar renders on. */
  engine?: AvatarEngine;
}

/** A scene's `when:`: a column and one test of its value. */
export interface WhenInput {
  column: string;
  equals?: string | number | boolean;
  in?: (string | number | boolean)[];
  not?: string | number | boolean | (string | number | boolean)[];
}

/** A translation as a map, to choose its mode and caption options. */
export interface TranslationObjectInput {
  language: string;
  mode?: TranslationMode;
  captions?: boolean;
  audio_only?: boolean;
  speaker_num?: number;
  enable_speech_enhancement?: boolean;
  disable_music_track?: boolean;
  enable_video_stretching?: boolean;
  keep_the_same_format?: boolean;
  brand_glossary_id?: string;
  /** `true`: a HeyGen proofread writes the SRT for review and nothing is rendered; `approved`: render the committed SRT. */
  review?: boolean | 'approved';
}
/** Every form a `translations:` item accepts: a language, or a map. */
export type TranslationInput = string | TranslationObjectInput;

/** `template:`: render a HeyGen template instead of scenes. */
export interface TemplateInput {
  id: string;
  variables: Record<string, string | number>;
  /** Scene ids of the template. */
  scenes?: string[];
  fps?: 25 | 30 | 60;
}

/** A whole manifest as written in YAML, after merging config defaults. */
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
  /** The schema requires exactly one of `scenes`, `template`, `source` and `prompt`. */
  scenes?: SceneInputYaml[];
  template?: TemplateInput;
  /** A video that already exists, to dub into `translations` (instead of `scenes`). */
  source?: string;
  /** Video Agent writes the video from this prompt (instead of `scenes`); the next four keys go with it. */
  prompt?: string;
  style?: string;
  orientation?: PromptOrientation;
  brand_kit?: string;
  files?: string[];
  text?: TextOverlayInput[];
  translations?: TranslationInput[];
  output?: string;
  /** Makes the manifest a template: a data file or inline rows (src/manifest/rows/ expands it). */
  rows?: string | Record<string, unknown>[];
  /** The engine every avatar scene renders on, unless the scene or its avatar names one. */
  engine?: AvatarEngine;
  /** A WebM with an alpha channel: needs a video-level avatar and no background. */
  transparent?: boolean;
}

/** `satisfies Record<keyof T, true>` fails to compile when a key is missing or extra. */
type Keys<T> = Record<keyof T, true>;

/** The keys of ManifestInput, compiler-checked; compared with the schema by the drift test. */
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
  template: true,
  source: true,
  prompt: true,
  style: true,
  orientation: true,
  brand_kit: true,
  files: true,
  text: true,
  translations: true,
  output: true,
  rows: true,
  engine: true,
  transparent: true,
} as const satisfies Keys<ManifestInput>;

/** The keys of TemplateInput, compiler-checked; compared with the schema by the drift test. */
export const TEMPLATE_KEYS = { id: true, variables: true, scenes: true, fps: true } as const satisfies Keys<TemplateInput>;

/** The keys of SceneInputYaml, compiler-checked; compared with the schema by the drift test. */
export const SCENE_KEYS = {
  script: true,
  audio: true,
  silence: true,
  avatar: true,
  voice: true,
  background: true,
  text: true,
  when: true,
  engine: true,
} as const satisfies Keys<SceneInputYaml>;

/** The keys of AvatarObjectInput, compiler-checked; compared with the schema by the drift test. */
export const AVATAR_OBJECT_KEYS = {
  id: true,
  alias: true,
  style: true,
  scale: true,
  offset: true,
  engine: true,
  expressiveness: true,
  photo: true,
  motion: true,
} as const satisfies Keys<AvatarObjectInput>;
/** The keys of VoiceObjectInput, compiler-checked; compared with the schema by the drift test. */
export const VOICE_OBJECT_KEYS = {
  id: true,
  alias: true,
  speed: true,
  pitch: true,
  emotion: true,
  locale: true,
  volume: true,
  elevenlabs: true,
} as const satisfies Keys<VoiceObjectInput>;
/** The keys of ElevenLabsInput, compiler-checked; compared with the schema by the drift test. */
export const ELEVENLABS_KEYS = { model: true, stability: true, similarity_boost: true, style: true } as const satisfies Keys<ElevenLabsInput>;
/** The keys of PresetDimensionInput, compiler-checked; compared with the schema by the drift test. */
export const PRESET_DIMENSION_KEYS = { preset: true, orientation: true } as const satisfies Keys<PresetDimensionInput>;
/** The keys of SizeDimensionInput, compiler-checked; compared with the schema by the drift test. */
export const SIZE_DIMENSION_KEYS = { width: true, height: true } as const satisfies Keys<SizeDimensionInput>;
/** The keys of CaptionObjectInput, compiler-checked; compared with the schema by the drift test. */
export const CAPTION_OBJECT_KEYS = { burn: true } as const satisfies Keys<CaptionObjectInput>;
/** The keys of ColorBackgroundInput, compiler-checked; compared with the schema by the drift test. */
export const COLOR_BACKGROUND_KEYS = { color: true } as const satisfies Keys<ColorBackgroundInput>;
/** The keys of ImageBackgroundInput, compiler-checked; compared with the schema by the drift test. */
export const IMAGE_BACKGROUND_KEYS = { image: true, fit: true } as const satisfies Keys<ImageBackgroundInput>;
/** The keys of VideoBackgroundInput, compiler-checked; compared with the schema by the drift test. */
export const VIDEO_BACKGROUND_KEYS = { video: true, play: true, fit: true } as const satisfies Keys<VideoBackgroundInput>;
/** The keys of TranslationObjectInput, compiler-checked; compared with the schema by the drift test. */
export const TRANSLATION_OBJECT_KEYS = {
  language: true,
  mode: true,
  captions: true,
  audio_only: true,
  speaker_num: true,
  enable_speech_enhancement: true,
  disable_music_track: true,
  enable_video_stretching: true,
  keep_the_same_format: true,
  brand_glossary_id: true,
  review: true,
} as const satisfies Keys<TranslationObjectInput>;
/** The keys of TextOverlayInput, compiler-checked; compared with the schema by the drift test. */
export const TEXT_OVERLAY_KEYS = { value: true, position: true, start: true, end: true, at: true, style: true } as const satisfies Keys<TextOverlayInput>;
/** The keys of TextStyleObjectInput, compiler-checked; compared with the schema by the drift test. */
export const TEXT_STYLE_KEYS = {
  font: true,
  size: true,
  color: true,
  background: true,
  align: true,
  padding: true,
} as const satisfies Keys<TextStyleObjectInput>;
