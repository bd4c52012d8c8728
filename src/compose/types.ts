/**
 * The compositor's contract: one clip per scene in, one MP4 (and a sidecar SRT) out.
 *
 * Drafts pass only placeholders; a HeyGen build passes what each scene's v3 clip turned out to be
 * (see `SceneClip` in src/plan/scenes.ts): a finished scene, a transparent avatar, or narration.
 */
import type { FfmpegTools } from './ffmpeg.js';
import type { TimedWord } from './text/words.js';

/** A caption cue, in seconds from the start of its scene. */
export interface ClipCue {
  start: number;
  end: number;
  text: string;
}

interface ClipCommon {
  /** The scene's captions (HeyGen's per-clip SRT, TTS word timings), relative to the scene start. */
  captions?: readonly ClipCue[];
  /** The clip's real length in seconds; probed from the file when absent. */
  seconds?: number;
}

/**
 * What the compositor gets for one scene: a finished HeyGen scene, a transparent avatar clip, or a placeholder for
 * drafts.
 */
export type Clip =
  /** A finished scene (HeyGen composited it): its picture and sound are the scene. */
  | ({ kind: 'scene'; path: string } & ClipCommon)
  /** A transparent VP9 WebM avatar with its speech, laid out over the scene's background. */
  | ({ kind: 'alpha'; path: string } & ClipCommon)
  /** Narration over the scene's background, no avatar; without a path, silence. */
  | ({ kind: 'audio'; path?: string } & ClipCommon)
  /** What drafts show: the labelled avatar placeholder, espeak speech or silence, audio files played. */
  | ({ kind: 'placeholder' } & ClipCommon);

/** The kind of a scene's clip. */
export type ClipKind = Clip['kind'];

/** How to compose a video: where the project is, where to write, and optional language, tools and abort signal. */
export interface ComposeOptions {
  /** Absolute project root: asset paths in the spec are relative to it. */
  root: string;
  /** Absolute path of the MP4 to write. */
  outFile: string;
  /** Mark every scene with a translation banner in this language (translation drafts); overlays are drawn in it. */
  language?: string;
  /** Draw the text overlay layer (default true); false gives the composition a translation is made from. */
  overlays?: boolean;
  /** The language of the overlays' text, without a banner (a translated final); default: `language`. */
  textLanguage?: string;
  signal?: AbortSignal;
  /** Output frame rate; default: the first video clip's own, else 25. Drafts use 12. */
  fps?: number;
  /** espeak-ng for placeholder speech; default: `espeak-ng` on PATH if any; `false`: always silent. */
  espeak?: string | false;
  /** ffmpeg to use; default: `findFfmpeg()`. */
  tools?: FfmpegTools;
  /** How `caption: burn` draws captions: libass (default, falls back to drawtext) or drawtext. */
  burnWith?: 'libass' | 'drawtext';
  /**
   * Local copies of URL backgrounds (URL -> absolute path), for scenes composited locally. Drafts
   * do without (they show a placeholder and a note); other clips need them.
   */
  assets?: ReadonlyMap<string, string>;
  /** Drafts: avatar id -> the look's preview image (absolute path), shown instead of the labelled placeholder. */
  avatarImages?: ReadonlyMap<string, string>;
  /**
   * Called once ffmpeg has read every input, before the output (and its sidecar) is placed: a throw
   * leaves nothing at `outFile`. The callers check there that the project files read still hold the
   * bytes the plan read (src/execute/asset-check.ts).
   */
  verify?: () => Promise<void>;
}

/** Where one scene landed in the composed video. */
export interface ComposedScene {
  /** Seconds from the start of the video (a whole number of frames). */
  start: number;
  seconds: number;
  frames: number;
}

/** A composed video: its path, its sidecar captions if any, and where each scene landed. */
export interface ComposeResult {
  path: string;
  /** The sidecar `.srt`, when `spec.caption` is not `none`. */
  captions?: string;
  seconds: number;
  fps: number;
  scenes: ComposedScene[];
  /** False when the clips were joined by stream copy (no decode, no encode). */
  reencoded: boolean;
  /** For a video with overlays: the timing its text layers are placed by (see src/compose/text/layer.ts). */
  layer?: LayerFacts;
}

/**
 * What placing overlays needs from a composition: its frame rate, and each scene's length in frames
 * and words with their times. Kept with a translation's source composition, so that a language's
 * text layer can be laid over the translated video with the source's timing.
 */
export interface LayerFacts {
  fps: number;
  scenes: { frames: number; words: TimedWord[] }[];
}
