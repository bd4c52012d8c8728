/**
 * The resolved description of one video: what the planner hashes and what providers render.
 * Produced by `src/manifest/resolve.ts` after defaults and aliases are applied.
 * Every path here is project-relative and POSIX-style (forward slashes).
 */

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

/** The avatar a video or scene renders with, resolved from an alias or id, with its placement in the frame. */
export interface AvatarSpec {
  readonly id: string;
  /** The alias the manifest used, or the id: shown on drafts, never hashed. */
  readonly label: string;
  readonly style: AvatarStyle;
  readonly scale: number;
  readonly offset: { readonly x: number; readonly y: number };
  /** Absent: HeyGen's default engine (Avatar IV). */
  readonly engine?: AvatarEngine;
  readonly expressiveness?: Expressiveness;
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
  readonly avatar?: AvatarSpec;
  readonly voice?: VoiceSpec;
  readonly background?: BackgroundSpec<A>;
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
  readonly avatar?: AvatarSpec;
  readonly voice?: VoiceSpec;
  readonly background?: BackgroundSpec<A>;
  readonly scenes: readonly SceneSpec<A>[];
  readonly translations: readonly TranslationSpec[];
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
    avatar: scene.avatar ?? video.avatar,
    voice: scene.voice ?? video.voice,
    background: scene.background ?? video.background,
  };
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
  bg(video.background);
  for (const s of video.scenes) {
    if (s.input.type === 'audio') add(s.input.source);
    bg(s.background);
  }
  return [...seen.values()];
}
