/**
 * What the exports know about a built video: where its scenes fall in whole frames, and which file
 * each scene's picture and sound come from. Collected once (collect.ts), then written as a Remotion
 * asset pack (remotion.ts) or OpenTimelineIO files (otio.ts).
 */
import type { Cue } from '../compose/index.js';

/** The file a scene comes from: a clip as rendered, or a stretch of frames cut from the composed video. */
export interface SceneMedia {
  /** Absolute path. */
  file: string;
  /** The recorded digest and size of `file`, when known (they spare hashing it again). */
  sha256?: string;
  size?: number;
  /** Frames to cut from `file` (a scene inside a composed video); absent: the whole file is the scene. */
  cut?: { from: number; frames: number; fps: number };
  /** A VP9 WebM with an alpha channel (the avatar alone). */
  transparent: boolean;
}

/** One scene on the video's timeline. */
export interface CollectedScene {
  /** First frame, counted from the start of the video. */
  from: number;
  durationInFrames: number;
  media: SceneMedia;
}

/** A built video, ready to be exported. */
export interface CollectedVideo {
  id: string;
  title?: string;
  /** An offline draft (placeholders), not HeyGen's render. */
  draft: boolean;
  width: number;
  height: number;
  fps: number;
  /** The sum of the scenes' frames. */
  durationInFrames: number;
  /** The composed video itself. */
  output: Omit<SceneMedia, 'cut'>;
  scenes: CollectedScene[];
  /** Caption cues in seconds from the start of the video (empty without captions). */
  cues: Cue[];
}

/** A video the export left out, and why. */
export interface SkippedVideo {
  id: string;
  reason: string;
}
