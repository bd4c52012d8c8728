/**
 * The offline draft renderer (`--provider local`): one MP4 per video, made by one ffmpeg process,
 * lasting what the plan estimated, with placeholders for everything only HeyGen can render.
 *
 * Drafts are storyboards, so they are encoded for speed: 12 fps (a still scene costs only the
 * encoder; motion in video backgrounds looks choppy and that is fine), libx264 ultrafast,
 * AAC stereo at 48 kHz, `+faststart` so they play while copying.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HeygenBuildError, isHeygenBuildError } from '../../errors.js';
import type { VideoSpec } from '../../model/spec.js';
import { commitTemp, mkdirp, removeQuietly, tempPathFor } from '../../fsx/atomic.js';
import { fsErrorFromText } from '../../fsx/errors.js';
import { buildCues, formatSrt } from '../../compose/captions.js';
import { captionDecorations, decorateScene, TextFiles } from '../../compose/decorate.js';
import { findFfmpeg, runFfmpeg, type FfmpegTools } from '../../compose/ffmpeg.js';
import { findFont } from '../../compose/fonts.js';
import { buildGraph, SAMPLE_RATE, type GraphCaptions, type GraphScene } from '../../compose/graph.js';
import { findEspeak } from '../../compose/speech.js';
import { buildTimeline } from '../../compose/timeline.js';

/** Frames per second of every draft. */
export const DRAFT_FPS = 12;

export interface RenderDraftOptions {
  /** Absolute project root: asset paths in the spec are relative to it. */
  root: string;
  /** Absolute path of the MP4 to write. */
  outFile: string;
  /** Render as a translation draft, marked with this language. */
  language?: string;
  signal?: AbortSignal;
  /** espeak-ng to speak scripts with; default: `espeak-ng` on PATH if any; `false`: always silent. */
  espeak?: string | false;
  /** ffmpeg to use; default: `findFfmpeg()`. */
  tools?: FfmpegTools;
  /**
   * How `caption: burn` draws captions: `libass` (the subtitles filter, the default, falling back
   * to drawtext when libass fails) or `drawtext` directly.
   */
  burnWith?: 'libass' | 'drawtext';
}

export interface RenderedDraft {
  path: string;
  /** The sidecar `.srt`, when `spec.caption` is not `none`. */
  captions?: string;
  seconds: number;
}

/** `<outFile without .mp4>.srt`. */
export function captionsPathFor(outFile: string): string {
  return outFile.replace(/\.mp4$/i, '') + '.srt';
}

export async function renderDraft(spec: VideoSpec, opts: RenderDraftOptions): Promise<RenderedDraft> {
  const { signal } = opts;
  signal?.throwIfAborted();
  checkSpec(spec);
  const tools = opts.tools ?? (await findFfmpeg());
  const espeak = opts.espeak === false ? undefined : (opts.espeak ?? (await findEspeak()));
  const outFile = path.resolve(opts.outFile);
  const srtFile = captionsPathFor(outFile);
  await mkdirp(path.dirname(outFile));

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'heygen-draft-'));
  const tmpMp4 = tempPathFor(outFile, 'part');
  const tmpSrt = spec.caption === 'none' ? undefined : tempPathFor(srtFile, 'part');
  try {
    const fps = DRAFT_FPS;
    const timeline = await buildTimeline(spec, { root: opts.root, fps, tools, espeak, workDir, signal });
    const font = await findFont();
    const texts = new TextFiles(workDir);
    const scenes: GraphScene[] = [];
    for (const [index, t] of timeline.entries()) {
      const decor = await decorateScene(t, {
        dim: spec.dimension,
        videoId: spec.id,
        index,
        count: timeline.length,
        texts,
        ...(opts.language !== undefined ? { language: opts.language } : {}),
      });
      scenes.push({ frames: t.frames, background: t.background, audio: t.audio, ...decor });
    }

    const cues = spec.caption === 'none' ? [] : buildCues(timeline);
    let captions: GraphCaptions | undefined;
    if (tmpSrt) {
      const srt = formatSrt(cues);
      await writeFile(tmpSrt, srt, 'utf8');
      if (spec.caption === 'burn' && cues.length > 0 && opts.burnWith === 'drawtext') {
        captions = { kind: 'drawtext', decorations: await captionDecorations(cues, spec.dimension, texts) };
      } else if (spec.caption === 'burn' && cues.length > 0) {
        const burnSrt = path.join(workDir, 'captions.srt');
        await writeFile(burnSrt, srt, 'utf8');
        captions = { kind: 'subtitles', srt: burnSrt, ...(font ? { fontsDir: path.dirname(font) } : {}) };
      }
    }

    const encode = async (caps: GraphCaptions | undefined): Promise<void> => {
      const { inputs, graph, maps } = buildGraph({ dim: spec.dimension, fps, scenes, font, captions: caps });
      const graphFile = path.join(workDir, 'graph.txt');
      await writeFile(graphFile, graph, 'utf8');
      await runFfmpeg(['-y', ...inputs, '-filter_complex_script', graphFile, ...maps, ...encoderArgs(spec, fps), tmpMp4], {
        ffmpeg: tools.ffmpeg,
        signal,
      });
    };
    try {
      await encode(captions);
    } catch (e) {
      // libass needs fonts through fontconfig, which some ffmpeg builds cannot load: burn the
      // cues with drawtext instead.
      if (captions?.kind !== 'subtitles' || signal?.aborted || !isLibassFailure(e)) throw e;
      await encode({ kind: 'drawtext', decorations: await captionDecorations(cues, spec.dimension, texts) });
    }

    signal?.throwIfAborted();
    // The sidecar first, then the video: a finished video always has its captions next to it.
    if (tmpSrt) await commitTemp(tmpSrt, srtFile);
    else await removeQuietly(srtFile); // a stale sidecar from when captions were on
    await commitTemp(tmpMp4, outFile);
    const frames = timeline.reduce((n, t) => n + t.frames, 0);
    return { path: outFile, ...(tmpSrt ? { captions: srtFile } : {}), seconds: Math.round((frames / fps) * 1000) / 1000 };
  } catch (e) {
    await removeQuietly(tmpMp4);
    await removeQuietly(tmpSrt);
    // ffmpeg reports a full disk only in its stderr: say it like any other write would.
    throw (isHeygenBuildError(e) && e.code === 'E_FFMPEG' && fsErrorFromText(e.message, outFile)) || e;
  } finally {
    await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function encoderArgs(spec: VideoSpec, fps: number): string[] {
  return [
    // No `-tune stillimage`: on top of ultrafast it only adds psy-rd, which made 720p drafts with
    // a detailed background image 3-4x slower to encode (measured) for no visible gain here.
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-r', String(fps),
    '-c:a', 'aac', '-b:a', '96k', '-ar', String(SAMPLE_RATE), '-ac', '2',
    '-metadata', `comment=heygen-build draft of ${spec.id}`,
    '-movflags', '+faststart', '-f', 'mp4',
  ];
}

function isLibassFailure(e: unknown): boolean {
  return isHeygenBuildError(e) && e.code === 'E_FFMPEG' && /subtitles|libass|\bass\b|fontconfig|fontselect/i.test(e.message);
}

function checkSpec(spec: VideoSpec): void {
  const { width, height } = spec.dimension;
  const ok = (n: number): boolean => Number.isInteger(n) && n >= 16 && n <= 8192 && n % 2 === 0;
  if (!ok(width) || !ok(height)) {
    throw new HeygenBuildError(
      'E_DRAFT_DIMENSION',
      `video ${spec.id}: cannot draft ${width}x${height}: width and height must be even whole numbers between 16 and 8192`,
      { hint: 'use an even dimension such as 1280x720 or 720x1280' },
    );
  }
  if (spec.scenes.length === 0) {
    throw new HeygenBuildError('E_DRAFT_EMPTY', `video ${spec.id} has no scenes to draft`, {
      hint: 'add at least one scene to the manifest',
    });
  }
}
