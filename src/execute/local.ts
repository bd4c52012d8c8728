/**
 * Builds offline drafts. Drafts live in a content-addressed cache under `.heygen/drafts/` and are copied to
 * `<id>.draft.mp4`; an unchanged draft is never rendered twice and nothing is written to the lockfile.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { contentKey, translationKey } from '../hash/index.js';
import type { ResolvedConfig } from '../model/config.js';
import type { VideoSpec } from '../model/spec.js';
import { draftCache, renderDraft, type DraftCache } from '../providers/local/index.js';
import type { Plan, PlanItem } from '../model/plan.js';
import { planTotals } from '../plan/plan.js';
import { estimateVideoSeconds } from '../plan/estimate.js';
import { captionsPath, draftOutput, translationOutput } from '../model/outputs.js';
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
    const key = contentKey(spec);
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
  plan: Plan;
  rendered: string[];
  cached: string[];
  failed: string[];
  interrupted: boolean;
}

/**
 * The draft plan: a draft whose content key is in the cache is `unchanged` (or `download`: copied from
 * the cache when its file is missing or differs); anything else is `create`. Drafts cost nothing.
 */
export async function planDrafts(root: string, jobs: DraftJob[], cache: DraftCache): Promise<Plan> {
  const items: PlanItem[] = await Promise.all(
    jobs.map(async (job): Promise<PlanItem> => {
      const hit = await cache.entry(job.key);
      let action: PlanItem['action'] = 'create';
      let reasons = ['no draft of this content yet'];
      if (hit) {
        const size = await stat(resolve(root, job.output)).then((s) => s.size, () => undefined);
        const srtOk = !hit.captions || (await stat(resolve(root, captionsPath(job.output))).then((s) => s.isFile(), () => false));
        action = size === hit.size && srtOk ? 'unchanged' : 'download';
        reasons = action === 'unchanged' ? [] : ['copied from the draft cache'];
      }
      return {
        kind: job.language === undefined ? 'video' : 'translation',
        id: job.id,
        videoId: job.spec.id,
        ...(job.language === undefined ? {} : { language: job.language }),
        action,
        key: job.key,
        reasons,
        source: job.spec.source,
        output: job.output,
        estimate: { seconds: estimateVideoSeconds(job.spec), credits: 0 },
      };
    }),
  );
  return { items, totals: planTotals(items) };
}

export async function buildLocal(opts: LocalBuildOptions): Promise<LocalBuildResult> {
  const { config, emit } = opts;
  const cache = draftCache(config.root);
  const jobs = draftJobs(opts.specs);
  const plan = await planDrafts(config.root, jobs, cache);
  emit({ type: 'plan', provider: 'local', plan });
  const limit = pLimit(opts.concurrency ?? 2);
  const result: LocalBuildResult = { plan, rendered: [], cached: [], failed: [], interrupted: false };
  let stop = false;
  const byId = new Map(plan.items.map((i) => [i.id, i]));
  await Promise.all(
    jobs.map((job) =>
      limit(async () => {
        if (byId.get(job.id)?.action === 'unchanged') {
          result.cached.push(job.id);
          return;
        }
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
            await cache.put(job.key, r.path, r.captions, { seconds: r.seconds });
          }
          const file = await cache.materialize(job.key, outAbs);
          (hit ? result.cached : result.rendered).push(job.id);
          emit({ type: 'downloaded', id: job.id, path: job.output, size: file.size, sha256: file.sha256, cached: Boolean(hit) });
          emit({ type: 'status', id: job.id, state: 'done', detail: hit ? 'copied from the draft cache' : 'draft rendered' });
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
