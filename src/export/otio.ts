/**
 * An OpenTimelineIO timeline (`.otio`, OTIO's JSON) of one video: a stack of a video track and an
 * audio track, each holding the scene clips in order, every time a RationalTime at the video's frame
 * rate. Media are ExternalReferences to the clips, by paths relative to the `.otio` file.
 * Schema names and fields as OTIO writes them: Timeline.1, Stack.1, Track.1, Clip.2 (media under
 * `media_references`, the active one named by `active_media_reference_key`), ExternalReference.1,
 * TimeRange.1, RationalTime.1.
 */
import type { CollectedVideo } from './model.js';

/** The OTIO RationalTime: `value` frames at `rate` frames per second. */
interface RationalTime {
  OTIO_SCHEMA: 'RationalTime.1';
  rate: number;
  value: number;
}

interface TimeRange {
  OTIO_SCHEMA: 'TimeRange.1';
  start_time: RationalTime;
  duration: RationalTime;
}

const DEFAULT_MEDIA = 'DEFAULT_MEDIA';

function time(value: number, rate: number): RationalTime {
  return { OTIO_SCHEMA: 'RationalTime.1', rate, value };
}

function range(start: number, duration: number, rate: number): TimeRange {
  return { OTIO_SCHEMA: 'TimeRange.1', start_time: time(start, rate), duration: time(duration, rate) };
}

/** What every OTIO item carries besides its own fields. */
function item(name: string, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, metadata, effects: [], markers: [], enabled: true };
}

/** One scene as a clip of `kind`'s track, its media the scene's file (`src`, relative to the .otio). */
function clip(v: CollectedVideo, i: number, src: string, mediaFrames: number | undefined): Record<string, unknown> {
  const s = v.scenes[i]!;
  return {
    OTIO_SCHEMA: 'Clip.2',
    ...item(`${v.id} #${i + 1}`, { heygen: { scene: i + 1, transparent: s.media.transparent } }),
    source_range: range(0, s.durationInFrames, v.fps),
    media_references: {
      [DEFAULT_MEDIA]: {
        OTIO_SCHEMA: 'ExternalReference.1',
        name: src.split('/').pop(),
        metadata: {},
        available_range: mediaFrames === undefined ? null : range(0, mediaFrames, v.fps),
        available_image_bounds: null,
        target_url: src,
      },
    },
    active_media_reference_key: DEFAULT_MEDIA,
  };
}

function track(kind: 'Video' | 'Audio', name: string, children: unknown[]): Record<string, unknown> {
  return { OTIO_SCHEMA: 'Track.1', ...item(name), source_range: null, children, kind };
}

/**
 * The `.otio` text of `v`. `srcs[i]` is scene i's file relative to the .otio file; `mediaFrames[i]`
 * its length in frames when known (a cut is exactly the scene; a clip as HeyGen rendered it may be a
 * frame longer or shorter than the scene it fills).
 */
export function otioTimeline(v: CollectedVideo, srcs: readonly string[], mediaFrames: readonly (number | undefined)[]): string {
  const clips = (): unknown[] => v.scenes.map((_, i) => clip(v, i, srcs[i]!, mediaFrames[i]));
  const meta = { heygen: { id: v.id, draft: v.draft, width: v.width, height: v.height, fps: v.fps, durationInFrames: v.durationInFrames } };
  // A Timeline has a name and metadata, but no effects, markers or enabled flag of its own.
  const timeline = {
    OTIO_SCHEMA: 'Timeline.1',
    name: v.title ?? v.id,
    metadata: meta,
    global_start_time: time(0, v.fps),
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      ...item('tracks'),
      source_range: null,
      children: [track('Video', 'V1', clips()), track('Audio', 'A1', clips())],
    },
  };
  return JSON.stringify(timeline, null, 4) + '\n';
}
