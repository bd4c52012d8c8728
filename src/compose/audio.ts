/**
 * The compositor of voiceovers (an output ending in .mp3, .wav or .m4a): the same timeline as a video,
 * heard and not seen. Each scene is its speech clip (HeyGen builds), espeak or silence (drafts), its
 * audio file, or silence, padded or cut to the scene's length, joined in order and encoded once.
 * The sidecar SRT comes from the scenes' word timings. Written atomically, like videos.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HeygenBuildError } from '../errors.js';
import { mkdirp, removeQuietly, withTempFile, writeFileAtomic } from '../fsx/atomic.js';
import { captionsPathFor } from './compose.js';
import type { VideoSpec } from '../model/spec.js';
import { formatSrt, mergeCues } from './captions.js';
import { findFfmpeg, runFfmpeg } from './ffmpeg.js';
import { probeMedia, type MediaInfo } from './media.js';
import { findEspeak } from './speech.js';
import { buildTimeline, type TimelineScene } from './timeline.js';
import type { Clip, ComposeOptions } from './types.js';

/** Scene lengths are rounded to 10 ms: the timeline's "frames" for sound. */
const AUDIO_TICKS_PER_SECOND = 100;
const SAMPLE_RATE = 48_000;

/** Encoder arguments per output extension. */
const ENCODERS: Record<string, readonly string[]> = {
  '.mp3': ['-c:a', 'libmp3lame', '-b:a', '128k'],
  '.wav': ['-c:a', 'pcm_s16le'],
  '.m4a': ['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart'],
};

/** A composed voiceover: the audio file, its sidecar when captions are on, and its length. */
export interface ComposedAudio {
  path: string;
  captions?: string;
  seconds: number;
}

/** Composes the scenes of a voiceover into `opts.outFile` (its extension picks the codec), atomically. */
export async function composeAudio(
  spec: VideoSpec,
  clips: readonly Clip[],
  opts: Pick<ComposeOptions, 'root' | 'outFile' | 'signal' | 'espeak' | 'tools' | 'verify'>,
): Promise<ComposedAudio> {
  const { signal } = opts;
  const ext = path.extname(opts.outFile).toLowerCase();
  const encoder = ENCODERS[ext];
  if (!encoder) throw new Error(`bug: composeAudio asked for ${opts.outFile}`);
  if (spec.scenes.length === 0 || clips.length !== spec.scenes.length) {
    throw new HeygenBuildError('E_COMPOSE_CLIPS', `cannot compose voiceover ${spec.id}: ${clips.length} clips for ${spec.scenes.length} scenes`, {
      hint: 'this is a bug in heygen-build: please report it',
    });
  }
  const tools = opts.tools ?? (await findFfmpeg());
  const placeholders = clips.some((c) => c.kind === 'placeholder');
  const espeak = !placeholders || opts.espeak === false ? undefined : (opts.espeak ?? (await findEspeak()));
  const outFile = path.resolve(opts.outFile);
  const srtFile = captionsPathFor(outFile);
  await mkdirp(path.dirname(outFile));
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'heygen-audio-'));
  try {
    const media = new Map<number, MediaInfo>();
    await Promise.all(
      clips.map(async (c, i) => {
        if (c.kind !== 'placeholder' && c.path !== undefined) media.set(i, await probeMedia(c.path, tools, signal));
      }),
    );
    const timeline = await buildTimeline(spec, clips, {
      root: opts.root,
      fps: AUDIO_TICKS_PER_SECOND,
      tools,
      ...(espeak ? { espeak } : {}),
      workDir,
      media,
      ...(signal ? { signal } : {}),
    });
    const srt = formatSrt(spec.caption === 'none' ? [] : mergeCues(timeline));
    await withTempFile(
      outFile,
      async (tmp) => {
        await runFfmpeg([...audioGraph(timeline), ...encoder, '-metadata', `comment=heygen-build ${spec.id}`, '-f', formatOf(ext), '-y', tmp], {
          ffmpeg: tools.ffmpeg,
          ...(signal ? { signal } : {}),
        });
        signal?.throwIfAborted();
        await opts.verify?.();
        // The sidecar first, then the audio: a finished voiceover always has its captions next to it.
        if (spec.caption !== 'none') await writeFileAtomic(srtFile, srt);
        else await removeQuietly(srtFile);
      },
      'part',
    );
    const last = timeline[timeline.length - 1]!;
    return { path: outFile, ...(spec.caption !== 'none' ? { captions: srtFile } : {}), seconds: Math.round((last.start + last.seconds) * 1000) / 1000 };
  } finally {
    await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function formatOf(ext: string): string {
  return ext === '.m4a' ? 'ipod' : ext.slice(1);
}

/** ffmpeg inputs and the filter that pads or cuts each scene to its length and joins them. */
export function audioGraph(timeline: readonly TimelineScene[]): string[] {
  const inputs: string[] = [];
  const chains: string[] = [];
  let n = 0;
  for (const [i, scene] of timeline.entries()) {
    const secs = scene.seconds.toFixed(3);
    if (scene.audio.kind === 'file') {
      inputs.push('-i', scene.audio.file);
      chains.push(`[${n++}:a]aresample=${SAMPLE_RATE},aformat=sample_fmts=s16:channel_layouts=stereo,apad,atrim=0:${secs},asetpts=N/SR/TB[a${i}]`);
    } else {
      chains.push(`anullsrc=r=${SAMPLE_RATE}:cl=stereo,aformat=sample_fmts=s16,atrim=0:${secs},asetpts=N/SR/TB[a${i}]`);
    }
  }
  const joined = timeline.map((_, i) => `[a${i}]`).join('');
  chains.push(`${joined}concat=n=${timeline.length}:v=0:a=1[out]`);
  return [...inputs, '-filter_complex', chains.join(';'), '-map', '[out]', '-vn'];
}
