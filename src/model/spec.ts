/**
 * The resolved description of one video: what the planner hashes and what providers render.
 * Produced by `src/manifest/resolve.ts` after defaults and aliases are applied.
 * Every path here is project-relative and POSIX-style (forward slashes).
 */

export type AvatarStyle = 'normal' | 'closeUp' | 'circle';
export type Emotion = 'Excited' | 'Friendly' | 'Serious' | 'Soothing' | 'Broadcaster';
export type Fit = 'cover' | 'contain' | 'crop' | 'none';
export type PlayStyle = 'loop' | 'once' | 'freeze' | 'fit_to_scene';
export type Orientation = 'landscape' | 'portrait' | 'square';

/** A file a video depends on: a local file (hashed by its bytes) or a URL passed through untouched. */
export type AssetRef =
  | { kind: 'local'; path: string; sha256: string; size: number }
  | { kind: 'url'; url: string };

export interface Dimension {
  width: number;
  height: number;
}

/** `none`: no captions; `file`: a sidecar caption file; `burn`: captions burned into the picture (and the sidecar). */
export type CaptionMode = 'none' | 'file' | 'burn';

export interface AvatarSpec {
  id: string;
  /** The alias the manifest used, or the id: shown on drafts, never hashed. */
  label: string;
  style: AvatarStyle;
  scale: number;
  offset: { x: number; y: number };
}

export interface VoiceSpec {
  id: string;
  /** The alias the manifest used, or the id: never hashed. */
  label: string;
  speed: number;
  pitch: number;
  emotion?: Emotion;
  locale?: string;
}

export type BackgroundSpec =
  | { type: 'color'; color: string }
  | { type: 'image'; source: AssetRef; fit: Fit }
  | { type: 'video'; source: AssetRef; play: PlayStyle; fit: Fit };

export type SceneInput =
  | { type: 'script'; text: string }
  | { type: 'audio'; source: AssetRef }
  | { type: 'silence'; seconds: number };

/** A scene; `avatar`, `voice`, `background` left undefined inherit the video's. */
export interface SceneSpec {
  input: SceneInput;
  avatar?: AvatarSpec;
  voice?: VoiceSpec;
  background?: BackgroundSpec;
}

export type TranslationMode = 'speed' | 'precision';

export interface TranslationSpec {
  /** As written in the manifest: a short code (`es`, `fr-FR`) or a HeyGen language name. */
  language: string;
  mode: TranslationMode;
  captions: boolean;
  audioOnly: boolean;
}

export interface VideoSpec {
  id: string;
  /** The manifest file this video came from. */
  source: string;
  /** Metadata: never part of the hash. */
  title?: string;
  description?: string;
  tags: string[];
  /** Where the rendered video goes. Never part of the hash. */
  output: string;
  dimension: Dimension;
  caption: CaptionMode;
  avatar?: AvatarSpec;
  voice?: VoiceSpec;
  background?: BackgroundSpec;
  scenes: SceneSpec[];
  translations: TranslationSpec[];
}

/** What a scene really renders with, after inheriting from its video. */
export interface EffectiveScene {
  input: SceneInput;
  avatar?: AvatarSpec;
  voice?: VoiceSpec;
  background?: BackgroundSpec;
}

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

/** Local assets a video reads, once each, in first-use order. */
export function localAssets(video: VideoSpec): Extract<AssetRef, { kind: 'local' }>[] {
  const seen = new Map<string, Extract<AssetRef, { kind: 'local' }>>();
  const add = (ref: AssetRef | undefined): void => {
    if (ref && ref.kind === 'local' && !seen.has(ref.path)) seen.set(ref.path, ref);
  };
  const bg = (b: BackgroundSpec | undefined): void => {
    if (b && b.type !== 'color') add(b.source);
  };
  bg(video.background);
  for (const s of video.scenes) {
    if (s.input.type === 'audio') add(s.input.source);
    bg(s.background);
  }
  return [...seen.values()];
}
