/**
 * The resolved description of one video: what the planner hashes and what providers render.
 * Produced by `src/manifest/resolve.ts` after defaults and aliases are applied.
 * Every path here is project-relative and POSIX-style (forward slashes).
 */
import type { TextOverlaySpec } from './overlay.js';

/** How the avatar is framed: standing, a close-up, or in a circle. */
export type AvatarStyle = 'normal' | 'closeUp' | 'circle';
/** HeyGen's avatar rendering engines (`POST /v3/videos` `engine.type`); a look lists those it supports. */
export type AvatarEngine = 'avatar_iii' | 'avatar_iv' | 'avatar_v';
/** How much a photo avatar moves (`expressiveness`, photo avatars on Avatar IV only). */
export type Expressiveness = 'low' | 'medium' | 'high';
/** The speaking style HeyGen applies to a voice; the names are HeyGen's own. */
export type Emotion = 'Excited' | 'Friendly' | 'Serious' | 'Soothing' | 'Broadcaster';
/** How an image or video background fills the frame when its aspect ratio differs from the video's. */
export type Fit = 'cover' | 'contain' | 'crop' | 'none';
/** What a video background does when its length differs from the scene's. */
export type PlayStyle = 'loop' | 'once' | 'freeze' | 'fit_to_scene';
/** A named frame shape, accepted in manifests as shorthand for a dimension. */
export type Orientation = 'landscape' | 'portrait' | 'square';

/** A local file a video depends on, hashed by its bytes. */
export interface LocalAsset {
  readonly kind: 'local';
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** A URL passed through untouched. */
export interface UrlAsset {
  readonly kind: 'url';
  readonly url: string;
}

/** A file a video depends on: a local file (hashed by its bytes) or a URL. */
export type AssetRef = LocalAsset | UrlAsset;

/**
 * A local file named by a manifest whose digest is not known yet. Only the loader sees these:
 * a spec's types take the asset type as a parameter so that an unfinished spec
 * (`VideoSpec<PendingRef>`) cannot be passed where a finished one is needed.
 */
export type PendingRef = { readonly kind: 'local'; readonly path: string } | UrlAsset;

/** A video frame size in pixels, part of the content hash because it changes the render. */
export interface Dimension {
  readonly width: number;
  readonly height: number;
}

/** `none`: no captions; `file`: a sidecar caption file; `burn`: captions burned into the picture (and the sidecar). */
export type CaptionMode = 'none' | 'file' | 'burn';

/**
 * The avatar a video or scene renders with, resolved from an alias or id (or a photo), with its placement in the
 * frame (generic over how the photo is referenced).
 */
export interface AvatarSpec<A = AssetRef> {
  /** A HeyGen look id; for a photo avatar, the photo as the manifest wrote it (never sent, never hashed). */
  readonly id: string;
  /** The alias the manifest used, or the id: shown on drafts, never hashed. */
  readonly label: string;
  readonly style: AvatarStyle;
  readonly scale: number;
  readonly offset: { readonly x: number; readonly y: number };
  /** Absent: HeyGen's default engine (Avatar IV). */
  readonly engine?: AvatarEngine;
  readonly expressiveness?: Expressiveness;
  /** `avatar: {photo}`: HeyGen animates this image (`POST /v3/videos` `type: image`) instead of a look. */
  readonly photo?: A;
  /** HeyGen's `motion_prompt`: how the avatar moves (photos on Avatar IV, any avatar on Avatar V). */
  readonly motion?: string;
}

/** HeyGen's ElevenLabs tuning for an ElevenLabs-backed voice (`voice_settings.engine_settings`, under HeyGen's names). */
export interface ElevenLabsSpec {
  readonly model?: 'eleven_multilingual_v2' | 'eleven_turbo_v2_5' | 'eleven_flash_v2_5' | 'eleven_v3';
  readonly stability?: number;
  readonly similarity_boost?: number;
  readonly style?: number;
}

/** The voice a script scene speaks with, resolved from an alias or id, with the delivery settings that are hashed. */
export interface VoiceSpec {
  readonly id: string;
  /** The alias the manifest used, or the id: never hashed. */
  readonly label: string;
  readonly speed: number;
  readonly pitch: number;
  readonly emotion?: Emotion;
  readonly locale?: string;
  /** 0 (silent) to 1 (full), HeyGen's `voice_settings.volume`; absent: HeyGen's default (1). */
  readonly volume?: number;
  readonly elevenlabs?: ElevenLabsSpec;
}

/**
 * A scene or video background: a solid colour, a still image or a video clip (generic over how assets are referenced).
 */
export type BackgroundSpec<A = AssetRef> =
  | { readonly type: 'color'; readonly color: string }
  | { readonly type: 'image'; readonly source: A; readonly fit: Fit }
  | { readonly type: 'video'; readonly source: A; readonly play: PlayStyle; readonly fit: Fit };

/** What a scene says: a script for the voice to speak, a recorded audio file, or a stretch of silence. */
export type SceneInput<A = AssetRef> =
  | { readonly type: 'script'; readonly text: string }
  | { readonly type: 'audio'; readonly source: A }
  | { readonly type: 'silence'; readonly seconds: number };

/** A scene; `avatar`, `voice`, `background` left undefined inherit the video's. */
export interface SceneSpec<A = AssetRef> {
  readonly input: SceneInput<A>;
  readonly avatar?: AvatarSpec<A>;
  /** The scene's own `engine:` (over the video's and its avatar's). */
  readonly engine?: AvatarEngine;
  readonly voice?: VoiceSpec;
  readonly background?: BackgroundSpec<A>;
  /** Text laid over the scene, timed from the scene's start (absent when none). */
  readonly text?: TextOverlaySpec[];
}

/** HeyGen's translation tier: `speed` costs 0.05 credit/s, `precision` 0.1 credit/s for a closer translation. */
export type TranslationMode = 'speed' | 'precision';

/** One requested translation of a video, as resolved from the manifest; each becomes its own plan item and output. */
export interface TranslationSpec {
  /** As written in the manifest: a short code (`es`, `fr-FR`) or a HeyGen language name. */
  readonly language: string;
  readonly mode: TranslationMode;
  readonly captions: boolean;
  readonly audioOnly: boolean;
  /** HeyGen's own options (VideoTranslateCreate), present only when the manifest sets them, so older keys stay. */
  readonly options?: TranslationOptionsSpec;
  /** `review:` set: the language goes through a HeyGen proofread reviewed in git (src/execute/heygen/proofread*.ts). */
  readonly review?: ReviewSpec;
  /** Where the manifest writes this entry: failures of its proofread are reported there. Never hashed. */
  readonly at?: SpecPosition;
}

/**
 * A translation reviewed as an SRT file in the repo. `review`: a proofread makes the SRT and the language waits;
 * `approved`: the committed SRT is rendered, and its digest (`sha256`, filled once the file is read) is in the key.
 */
export interface ReviewSpec {
  readonly state: 'review' | 'approved';
  /** Project-relative path of the SRT (config `review.srt`, default `translations/{id}.{language}.srt`). */
  readonly srt: string;
  readonly sha256?: string;
  readonly size?: number;
}

/** The optional knobs of `POST /v3/video-translations`, under HeyGen's names (each changes the render). */
export interface TranslationOptionsSpec {
  readonly speaker_num?: number;
  readonly enable_speech_enhancement?: boolean;
  readonly disable_music_track?: boolean;
  readonly enable_video_stretching?: boolean;
  readonly keep_the_same_format?: boolean;
  readonly brand_glossary_id?: string;
}

/** A video that already exists (`source:`), dubbed into the translations instead of rendered from scenes. */
export interface DubSpec<A = AssetRef> {
  readonly video: A;
  /** Where the manifest writes `source:` (its value): a source HeyGen would not take is reported there. Never hashed. */
  readonly at?: SpecPosition;
}

/** A 1-based line and column in the manifest a spec came from (its `source`). */
export interface SpecPosition {
  readonly line: number;
  readonly column: number;
  /** Set when the value came from config defaults: the config file (line and column: its `defaults:`). */
  readonly file?: string;
}

/** Frame rates a HeyGen template render accepts. */
export type TemplateFps = 25 | 30 | 60;

/**
 * A video rendered from a HeyGen template (`POST /v3/templates/{id}`) instead of scenes: the
 * template's own definition (fetched at plan time) decides the scenes, so the spec holds only what
 * the manifest writes. See src/execute/heygen/template*.ts.
 */
export interface TemplateSpec {
  readonly id: string;
  /** Variable name -> value as written (text, a URL, an asset or avatar/voice id, by the variable's type). */
  readonly variables: Readonly<Record<string, string>>;
  /**
   * Variables whose value is a local file (an image, video or audio path): uploaded once as an asset and
   * sent by asset id. Their bytes' digest (filled once read) is part of the key. Absent when none.
   */
  readonly files?: Readonly<Record<string, TemplateFile>>;
  /** `scene_ids`: which of the template's scenes, in order (repeats allowed); all when absent. */
  readonly sceneIds?: readonly string[];
  readonly fps?: TemplateFps;
  /** Set when the manifest itself sets `dimension:`; otherwise the template renders at its own size. */
  readonly dimension?: Dimension;
  /** Where the manifest writes the template, each variable and each scene id: for plan-time checks, never hashed. */
  readonly at: {
    readonly template: SpecPosition;
    /** The template's `id` value, where an unknown template is reported (absent in specs made before it was kept). */
    readonly id?: SpecPosition;
    /** The `variables:` key: where a missing variable is reported. */
    readonly variableList: SpecPosition;
    readonly variables: Readonly<Record<string, SpecPosition>>;
    readonly scenes: readonly SpecPosition[];
  };
}

/** The frame Video Agent renders a prompt video in (its own choice when absent). */
export type PromptOrientation = 'landscape' | 'portrait';

/**
 * A video Video Agent writes from a prompt (`POST /v3/video-agents`, mode generate) instead of scenes:
 * the agent picks the script, scenes and (unless given) the avatar and voice, so the same inputs give a
 * different video each time. See src/execute/heygen/prompt-video.ts.
 */
export interface PromptSpec<A = AssetRef> {
  readonly text: string;
  /** A Video Agent style id (`GET /v3/video-agents/styles`). */
  readonly style?: string;
  readonly orientation?: PromptOrientation;
  readonly brandKit?: string;
  /** Attachments, in manifest order: local files are uploaded once as assets, URLs passed through. */
  readonly files: readonly A[];
  /** The length the estimate assumes (src/plan/prompt.ts): stated in the prompt, or the default. */
  readonly seconds: number;
  /** Where `seconds` came from: the words of the prompt that state it, or undefined for the default. */
  readonly statedAs?: string;
}

/** A template variable's local file: project-relative path, and its digest once read. */
export interface TemplateFile {
  readonly path: string;
  readonly sha256?: string;
  readonly size?: number;
}

/**
 * Where a video made from a row of a `rows:` manifest came from. Never part of the content key:
 * the key hashes the filled video itself.
 */
export interface RowRef {
  /** The id with each placeholder as `*` (`welcome/*`): how plans group rows. */
  readonly group: string;
  /** The data file (or the manifest, for inline rows), project-relative. */
  readonly file: string;
  /** The line the row starts on. */
  readonly line: number;
  /** A short digest of the cells the template uses: the lockfile keeps it to tell a row edit from a template edit. */
  readonly digest: string;
}

/** A finished video (`A` = AssetRef: every local asset has its digest), built once by the loader. */
export interface VideoSpec<A = AssetRef> {
  readonly id: string;
  /** The manifest file this video came from. */
  readonly source: string;
  /** Metadata: never part of the hash. */
  readonly title?: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** Where the rendered video goes. Never part of the hash. */
  readonly output: string;
  readonly dimension: Dimension;
  readonly caption: CaptionMode;
  readonly avatar?: AvatarSpec<A>;
  /** The video's `engine:`, for every avatar scene that does not name its own. */
  readonly engine?: AvatarEngine;
  /** `transparent: true`: a WebM with an alpha channel (no background; `output` is a `.webm`). */
  readonly transparent?: boolean;
  readonly voice?: VoiceSpec;
  readonly background?: BackgroundSpec<A>;
  /** Empty for a template video. */
  readonly scenes: readonly SceneSpec<A>[];
  readonly translations: readonly TranslationSpec[];
  /** Rendered from a HeyGen template instead of `scenes`. */
  readonly template?: TemplateSpec;
  /** Set for a dub: no scenes, the translations are made from this video. */
  readonly dub?: DubSpec<A>;
  /** Written by Video Agent from a prompt instead of `scenes`. */
  readonly prompt?: PromptSpec<A>;
  /** Text laid over the video, timed from its start (absent when none). */
  readonly text?: TextOverlaySpec[];
  /** Set when the video is one row of a `rows:` manifest. */
  readonly row?: RowRef;
}

/** A video whose local assets are not digested yet. */
export type UnresolvedSpec = VideoSpec<PendingRef>;

/** What a scene really renders with, after inheriting from its video. */
export interface EffectiveScene {
  input: SceneInput;
  avatar?: AvatarSpec;
  voice?: VoiceSpec;
  background?: BackgroundSpec;
}

/**
 * Resolves what a scene renders with, filling avatar, voice and background from its video; throws RangeError for a
 * missing scene.
 */
export function effectiveScene(video: VideoSpec, index: number): EffectiveScene {
  const scene = video.scenes[index];
  if (!scene) throw new RangeError(`video ${video.id} has no scene ${index}`);
  return {
    input: scene.input,
    avatar: sceneAvatar(video, scene),
    voice: scene.voice ?? video.voice,
    background: scene.background ?? video.background,
  };
}

/**
 * The scene's avatar with the engine it renders on: the scene's `engine:`, else its own avatar's, else the
 * video's `engine:`, else the video avatar's (when the scene keeps that avatar).
 */
function sceneAvatar(video: VideoSpec, scene: SceneSpec): AvatarSpec | undefined {
  const avatar = scene.avatar ?? video.avatar;
  if (!avatar) return undefined;
  const engine = scene.engine ?? scene.avatar?.engine ?? video.engine ?? avatar.engine;
  return engine === avatar.engine ? avatar : { ...avatar, engine };
}

/** Local assets a video reads, once each, in first-use order (finished or not). */
export function localAssets<A extends AssetRef | PendingRef>(video: VideoSpec<A>): Extract<A, { kind: 'local' }>[] {
  const seen = new Map<string, Extract<A, { kind: 'local' }>>();
  const add = (ref: A | undefined): void => {
    if (ref && ref.kind === 'local' && !seen.has(ref.path)) seen.set(ref.path, ref as Extract<A, { kind: 'local' }>);
  };
  const bg = (b: BackgroundSpec<A> | undefined): void => {
    if (b && b.type !== 'color') add(b.source);
  };
  if (video.dub) add(video.dub.video);
  for (const f of video.prompt?.files ?? []) add(f);
  add(video.avatar?.photo);
  bg(video.background);
  for (const s of video.scenes) {
    if (s.input.type === 'audio') add(s.input.source);
    add(s.avatar?.photo);
    bg(s.background);
  }
  return [...seen.values()];
}

/** Whether a video has any overlay at all (a video without one never pays for the layer). */
export function hasOverlays(spec: VideoSpec): boolean {
  return (spec.text?.length ?? 0) > 0 || spec.scenes.some((s) => (s.text?.length ?? 0) > 0);
}
