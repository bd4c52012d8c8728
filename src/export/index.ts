/**
 * `heygen-build export remotion|otio`: the built videos' scene clips, with their timing, for a
 * Remotion project (an asset pack: `clips/`, `heygen.ts`, `heygen.json`) or for an editor (one
 * OpenTimelineIO file per video). Reads what the build recorded; renders nothing, pays nothing.
 */
import { naturalCompare } from '../util/natural.js';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openProject, hasErrors, type Project, type ProjectOptions } from '../api/project.js';
import { invalidManifestsError } from '../api/validate.js';
import { findFfmpeg, probeMedia, type FfmpegTools } from '../compose/index.js';
import { HeygenBuildError } from '../errors.js';
import { mkdirp, writeFileAtomic } from '../fsx/atomic.js';
import { draftCache } from '../providers/local/cache.js';
import { mapLimit } from '../util/limit.js';
import { builtState } from './built.js';
import { collectDraft, collectFinal, type CollectContext } from './collect.js';
import { sceneFrames } from './frames.js';
import { MediaPlacer, type FileCounts } from './media.js';
import type { CollectedVideo, SkippedVideo } from './model.js';
import { otioTimeline } from './otio.js';
import { packJson, packModule, packVideo } from './pack.js';

export type { CollectedVideo, SkippedVideo } from './model.js';
export type { PackData, PackScene, PackVideo } from './pack.js';
export type { FileCounts } from './media.js';

/** The two export formats. */
export type ExportFormat = 'remotion' | 'otio';

/** Options of the exports: the project (or one already open), and an abort signal. */
export interface ExportOptions extends ProjectOptions {
  project?: Project;
  signal?: AbortSignal;
}

/** What an export wrote: the folder, the videos in it, the ones left out and why, and the files placed. */
export interface ExportResult {
  format: ExportFormat;
  /** Absolute path of the export folder. */
  dir: string;
  videos: { id: string; draft: boolean; scenes: number; durationInFrames: number; fps: number }[];
  skipped: SkippedVideo[];
  files: FileCounts;
  /** What may be off in the export (an audio scene timed by a URL copy fetched after its video was composed), each once. */
  warnings: string[];
}

/** ffprobe processes at once while reading the built videos (short and light). */
const PROBES_AT_ONCE = 4;

/** ffmpeg processes at once while cutting scenes (the machine's cores are shared with everything else). */
const CUTS_AT_ONCE = 2;

/** Writes the Remotion asset pack of every built video into `dir`. */
export function exportRemotion(dir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  return runExport('remotion', dir, opts);
}

/** Writes one OpenTimelineIO file (`<id>.otio`) per built video into `dir`, with their clips. */
export function exportOtio(dir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  return runExport('otio', dir, opts);
}

async function runExport(format: ExportFormat, dir: string, opts: ExportOptions): Promise<ExportResult> {
  const project = opts.project ?? (await openProject(opts));
  if (hasErrors(project)) throw invalidManifestsError(project.diagnostics, 'nothing was exported');
  const out = resolve(opts.cwd ?? process.cwd(), dir);
  // A file in the folder's place would fail its mkdir as an internal error (EEXIST), after the collect.
  if ((await stat(out).catch(() => undefined))?.isDirectory() === false) {
    throw new HeygenBuildError('E_PATH_NOT_FOUND', `the export folder ${dir} is a file, not a folder`, {
      hint: 'name a folder to write into (it is created if missing), or move the file away',
    });
  }
  const tools = await findFfmpeg();
  const warnings = new Set<string>();
  const ctx: CollectContext = { root: project.config.root, tools, warn: (m) => warnings.add(m), ...(opts.signal ? { signal: opts.signal } : {}) };
  const { videos, skipped } = await collectVideos(ctx, project);
  if (videos.length === 0) {
    const why = skipped.length > 0 ? `: ${skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}` : '';
    throw new HeygenBuildError('E_EXPORT_EMPTY', `no built video to export${why}`, {
      hint: 'run heygen-build build first (with HeyGen, or drafts with --provider local); an export reads what the build made',
    });
  }
  await mkdirp(out);
  const placer = new MediaPlacer(project.config.root, out, tools, opts.signal);
  const srcs = await placeAll(placer, videos);
  await placer.prune(new Set([...srcs.values()].flatMap((s) => [s.video, ...s.scenes])));
  if (format === 'remotion') {
    const pack = videos.map((v) => packVideo(v, srcs.get(v)!.video, srcs.get(v)!.scenes));
    await writeIfChanged(join(out, 'heygen.json'), packJson(pack), placer.counts);
    await writeIfChanged(join(out, 'heygen.ts'), packModule(pack), placer.counts);
  } else {
    for (const v of videos) {
      const frames = await mediaFrames(tools, v, opts.signal);
      await writeIfChanged(join(out, `${fileId(v.id)}.otio`), otioTimeline(v, srcs.get(v)!.scenes, frames), placer.counts);
    }
  }
  return {
    format,
    dir: out,
    videos: videos.map((v) => ({ id: v.id, draft: v.draft, scenes: v.scenes.length, durationInFrames: v.durationInFrames, fps: v.fps })),
    skipped,
    files: placer.counts,
    // Collected a few videos at once: sorted, they come in manifest and scene order, the same each run
    // (numbers by value: scene 2 before scene 10).
    warnings: [...warnings].sort(naturalCompare),
  };
}

/** Every video of the project that is built and current: HeyGen's render when there is one, else its draft. */
async function collectVideos(ctx: CollectContext, project: Project): Promise<{ videos: CollectedVideo[]; skipped: SkippedVideo[] }> {
  const state = await builtState(project.config, project.specs);
  const cache = draftCache(project.config.root);
  const got: (CollectedVideo | SkippedVideo)[] = [];
  // ffprobe per video: a few at once, each result in its manifest's place (the export's order).
  await mapLimit([...project.specs.entries()], PROBES_AT_ONCE, async ([i, spec]) => {
    ctx.signal?.throwIfAborted();
    const entry = state.lock.videos[spec.id];
    const key = state.drafts.get(spec.id);
    const draft = key !== undefined && !state.finals.has(spec.id) ? await cache.entry(key) : undefined;
    if (spec.dub) got[i] = { id: spec.id, reason: 'a dub has no video of its own (its languages are translations)' };
    else if (state.finals.has(spec.id) && entry) got[i] = await collectFinal(ctx, spec, entry, state.lock);
    else if (draft) got[i] = await collectDraft(ctx, spec, draft);
    else got[i] = { id: spec.id, reason: entry ? 'changed since it was built: build it again' : 'not built yet' };
  });
  const videos = got.filter((g): g is CollectedVideo => 'scenes' in g);
  const skipped = got.filter((g): g is SkippedVideo => !('scenes' in g));
  return { videos, skipped };
}

/** Places every video's file and scene files, cutting at most CUTS_AT_ONCE at a time. */
async function placeAll(placer: MediaPlacer, videos: readonly CollectedVideo[]): Promise<Map<CollectedVideo, { video: string; scenes: string[] }>> {
  const out = new Map<CollectedVideo, { video: string; scenes: string[] }>();
  const jobs = videos.flatMap((v) => {
    const slot = { video: '', scenes: v.scenes.map(() => '') };
    out.set(v, slot);
    return [
      async (): Promise<void> => void (slot.video = await placer.place(v.output)),
      ...v.scenes.map((s, i) => async (): Promise<void> => void (slot.scenes[i] = await placer.place(s.media))),
    ];
  });
  await mapLimit(jobs, CUTS_AT_ONCE, (job) => job());
  return out;
}

/** Each scene's media length in frames: a cut is exactly its scene; a whole clip is probed. */
async function mediaFrames(tools: FfmpegTools, v: CollectedVideo, signal?: AbortSignal): Promise<(number | undefined)[]> {
  return Promise.all(
    v.scenes.map(async (s) => {
      if (s.media.cut) return s.media.cut.frames;
      const info = await probeMedia(s.media.file, tools, signal);
      return info.video ? sceneFrames(info.video.seconds, v.fps) : undefined;
    }),
  );
}

/** A file name for a video id (ids may hold a `/` in row or nested manifests). */
function fileId(id: string): string {
  return id.replace(/[/\\:]/g, '__');
}

/** Writes `text` unless the file already holds exactly it (an unchanged export touches nothing). */
async function writeIfChanged(file: string, text: string, counts: FileCounts): Promise<void> {
  const old = await readFile(file, 'utf8').catch(() => undefined);
  if (old === text) {
    counts.kept++;
    return;
  }
  await writeFileAtomic(file, text);
  counts.written++;
}
