/**
 * A scene clip's job and what it yields: a ClipJob asks for the clip of a content key; a ReadyClip is
 * its file on disk under CLIP_DIR, as the compositor takes it. Shared by the clip's paths (clips.ts,
 * the remote store's restore in remote.ts) and the run's context, so none of them imports another for it.
 */
import { join } from 'node:path';
import type { SceneClip } from '../../model/clip.js';
import type { Cue } from './cues.js';

/** A clip on disk, ready for the compositor. */
export interface ReadyClip {
  key: string;
  /** `scene`: the finished scene (HeyGen composited it); `alpha`: a transparent avatar; `audio`: narration. */
  kind: 'scene' | 'alpha' | 'audio';
  /** Absolute path. */
  path: string;
  captions?: Cue[];
  seconds?: number;
}

/** One scene's clip to ensure: its content key, what to ask HeyGen for, and who asked. */
export interface ClipJob {
  key: string;
  clip: SceneClip;
  /** Who asked, for progress lines and errors: `<video>#<scene>`. */
  label: string;
  /** Render again as a new attempt even if a completed clip is recorded (`--replace`). */
  fresh?: boolean;
  /** Estimated seconds of the scene (a detached build's expected end). */
  seconds?: number;
}

/** Where clips are kept, relative to the project root (content-addressed: `<clip key>.<ext>`). */
export const CLIP_DIR = join('.heygen', 'clips');

/** `name` in the clip folder, as a project-relative POSIX path (how the lockfile records files). */
export function clipPath(name: string): string {
  return `${CLIP_DIR.split('\\').join('/')}/${name}`;
}

/** A clip file as the compositor takes it. */
export function readyClip(job: ClipJob, path: string, captions: Cue[] | undefined, seconds: number | undefined): ReadyClip {
  const kind = job.clip.kind === 'speech' ? 'audio' : job.clip.layout === 'local' ? 'alpha' : 'scene';
  return { key: job.key, kind, path, ...(captions ? { captions } : {}), ...(seconds !== undefined ? { seconds } : {}) };
}
