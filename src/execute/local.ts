/**
 * Builds offline drafts. Drafts live in a content-addressed cache under `.heygen/drafts/` and are copied to
 * `<id>.draft.mp4`; an unchanged draft is never rendered twice and nothing is written to the lockfile.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { translationKey, videoKey } from '../hash/index.js';
import type { ResolvedConfig } from '../model/config.js';
import type { VideoSpec } from '../model/spec.js';
import { draftCache, renderDraft } from '../providers/local/index.js';
import { draftOutput, translationOutput } from '../plan/outputs.js';
import type { EventSink } from './events.js';
import { errorInfo } from './failure.js';

export interface LocalBuildOptions {
  config: ResolvedConfig;
  specs: VideoSpec[];
  emit: EventSink;
  signal?: AbortSignal;
  /** Parallel ffmpeg processes (each uses several threads). Default 2. */
  concurrency?: number;
  failFast?: boolean;
}

export interface DraftJob {
  id: string;
  key: string;
  spec: VideoSpec;
  language?: string;
  /** Project-relative draft path. */
  output: string;
}

export function draftJobs(specs: VideoSpec[]): DraftJob[] {
  const jobs: DraftJob[] = [];
  for (const spec of specs) {
    const { key } = videoKey(spec);
    jobs.push({ id: spec.id, key, spec, output: draftOutput(spec.output) });
    for (const t of spec.translations) {
      jobs.push({
        id: `${spec.id}@${t.language}`,
        key: translationKey(key, t),
        spec,
        language: t.language,
        output: draftOutput(translationOutput(spec.output, t.language)),
      });
    }
  }
  return jobs;
}

export interface LocalBuildResult {
  rendered: string[];
  cached: string[];
  failed: string[];
  interrupted: boolean;
}

export async function buildLocal(opts: LocalBuildOptions): Promise<LocalBuildResult> {
  const { config, emit } = opts;
  const cache = draftCache(config.root);
  const limit = pLimit(opts.concurrency ?? 2);
  const result: LocalBuildResult = { rendered: [], cached: [], failed: [], interrupted: false };
  let stop = false;
  await Promise.all(
    draftJobs(opts.specs).map((job) =>
      limit(async () => {
        if (stop || opts.signal?.aborted) {
          emit({ type: 'status', id: job.id, state: 'skipped' });
          return;
        }
        const outAbs = resolve(config.root, job.output);
        try {
          const hit = await cache.get(job.key);
          if (!hit) {
            emit({ type: 'status', id: job.id, state: 'rendering', detail: 'draft' });
            const tmp = join(config.root, '.heygen', 'tmp', `${job.key}.mp4`);
            await mkdir(dirname(tmp), { recursive: true });
            const r = await renderDraft(job.spec, { root: config.root, outFile: tmp, language: job.language, signal: opts.signal });
            await cache.put(job.key, r.path, r.captions);
          }
          const file = await cache.materialize(job.key, outAbs);
          (hit ? result.cached : result.rendered).push(job.id);
          emit({ type: 'downloaded', id: job.id, path: job.output, size: file.size, sha256: file.sha256, cached: Boolean(hit) });
          emit({ type: 'status', id: job.id, state: 'done', detail: hit ? 'unchanged draft' : 'draft rendered' });
        } catch (e) {
          if (opts.signal?.aborted) {
            emit({ type: 'status', id: job.id, state: 'skipped', detail: 'interrupted' });
            return;
          }
          const info = errorInfo(e);
          result.failed.push(job.id);
          emit({ type: 'failed', id: job.id, code: info.code, message: info.message });
          if (opts.failFast) stop = true;
        }
      }),
    ),
  );
  result.interrupted = Boolean(opts.signal?.aborted);
  return result;
}
