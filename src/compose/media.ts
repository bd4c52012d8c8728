/**
 * What a clip file holds, from ffprobe: enough to size and time it, and to tell whether it can be
 * joined by stream copy. Without ffprobe only the duration is known (and nothing is stream-copied).
 */
import { HeygenBuildError } from '../errors.js';
import type { FfmpegTools } from './ffmpeg.js';
import { probeSeconds } from './probe.js';
import { lastLines, runProcess } from './process.js';

/** What the compositor needs to know about a media file: its length and its video and audio streams. */
export interface MediaInfo {
  /** The container's duration (what the concat demuxer advances by). */
  seconds: number;
  video?: {
    codec: string;
    width: number;
    height: number;
    pixFmt: string;
    /** Frames per second (r_frame_rate). */
    fps: number;
    /** The picture's own duration (the container's may include longer sound). */
    seconds: number;
    profile?: string;
    level?: number;
    /** The codec's parameter sets (H.264 SPS/PPS), hashed: equal hashes can share one MP4 track. */
    extradata?: string;
  };
  audio?: { codec: string; sampleRate: number; channels: number };
  /** False when only `ffmpeg -i` could be read: codec details are unknown. */
  detailed: boolean;
}

interface ProbeJson {
  format?: { duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    pix_fmt?: string;
    r_frame_rate?: string;
    duration?: string;
    profile?: string;
    level?: number;
    extradata_hash?: string;
    sample_rate?: string;
    channels?: number;
  }[];
}

/** Probes a media file with ffprobe, or with `ffmpeg -i` when only ffmpeg is available. */
export async function probeMedia(file: string, tools: FfmpegTools, signal?: AbortSignal): Promise<MediaInfo> {
  if (!tools.ffprobe) {
    const seconds = await probeSeconds(file, tools, signal);
    const r = await runProcess(tools.ffmpeg, ['-hide_banner', '-nostdin', '-i', file], { signal });
    const hasAudio = /Stream #\S+.*: Audio:/.test(r.stderr);
    // `Stream #0:0: Video: vp9 (Profile 0), yuv420p(tv), 1280x720, 25 fps`: enough to pick a decoder
    // and a frame rate; `detailed: false` keeps the stream-copy path closed.
    const v = /Stream #\S+.*: Video: (\w+).*?(\d{2,5})x(\d{2,5})(?:.*?([\d.]+) fps)?/.exec(r.stderr);
    return {
      seconds,
      ...(v
        ? { video: { codec: v[1]!, width: Number(v[2]), height: Number(v[3]), pixFmt: '?', fps: Number(v[4] ?? 0), seconds } }
        : {}),
      ...(hasAudio ? { audio: { codec: '?', sampleRate: 0, channels: 0 } } : {}),
      detailed: false,
    };
  }
  const r = await runProcess(tools.ffprobe, ['-v', 'error', '-show_data_hash', 'md5', '-show_format', '-show_streams', '-of', 'json', file], { signal });
  let j: ProbeJson | undefined;
  try {
    j = r.code === 0 ? (JSON.parse(r.stdout) as ProbeJson) : undefined;
  } catch {
    j = undefined;
  }
  const seconds = Number.parseFloat(j?.format?.duration ?? '');
  if (!j || !Number.isFinite(seconds) || seconds <= 0) {
    const detail = lastLines(r.stderr, 3);
    throw new HeygenBuildError('E_COMPOSE_CLIP', `cannot read the clip ${file}${detail ? `: ${detail}` : ''}`, {
      hint: 'the clip is damaged or incomplete: remove it so that it is fetched again',
    });
  }
  const v = j.streams?.find((s) => s.codec_type === 'video');
  const a = j.streams?.find((s) => s.codec_type === 'audio');
  return {
    seconds,
    ...(v
      ? {
          video: {
            codec: v.codec_name ?? '?',
            width: v.width ?? 0,
            height: v.height ?? 0,
            pixFmt: v.pix_fmt ?? '?',
            fps: rational(v.r_frame_rate),
            seconds: positive(Number.parseFloat(v.duration ?? '')) ?? seconds,
            ...(v.profile !== undefined ? { profile: v.profile } : {}),
            ...(v.level !== undefined ? { level: v.level } : {}),
            ...(v.extradata_hash !== undefined ? { extradata: v.extradata_hash } : {}),
          },
        }
      : {}),
    ...(a ? { audio: { codec: a.codec_name ?? '?', sampleRate: Number(a.sample_rate ?? 0), channels: a.channels ?? 0 } } : {}),
    detailed: true,
  };
}

function positive(n: number): number | undefined {
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function rational(s: string | undefined): number {
  const m = /^(\d+)\/(\d+)$/.exec(s ?? '');
  if (!m || Number(m[2]) === 0) return 0;
  return Number(m[1]) / Number(m[2]);
}
