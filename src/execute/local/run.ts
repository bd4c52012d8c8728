/**
 * Runs a draft plan: `create` renders with ffmpeg into the cache, then every item that needs work is
 * placed at its `<name>.draft.mp4` from the cache. An unchanged draft is never rendered twice.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Plan, PlanItem } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import { renderDraft, type DraftCache } from '../../providers/local/index.js';
import { mapLimit } from '../../util/limit.js';
import { emptyCounts } from '../events.js';
import { errorInfo } from '../failure.js';
import type { ExecuteContext, ExecuteResult } from '../provider.js';

export interface DraftRun {
  root: string;
  cache: DraftCache;
  plan: Plan;
  specs: readonly VideoSpec[];
  ctx: ExecuteContext;
  /** Parallel ffmpeg processes. */
  concurrency: number;
}

type Outcome = 'rendered' | 'restored' | 'reused';

export async function runDrafts(run: DraftRun): Promise<ExecuteResult> {
  const { ctx } = run;
  const counts = emptyCounts();
  const specs = new Map(run.specs.map((s) => [s.id, s]));
  const work = run.plan.items.filter((i) => i.action !== 'unchanged' && i.action !== 'orphan');
  counts.unchanged = run.plan.items.length - work.length;
  let stop = false;
  await mapLimit(work, run.concurrency, async (item) => {
    if (stop || ctx.signal.aborted) {
      counts.skipped++;
      ctx.emit({ type: 'status', id: item.id, state: 'skipped' });
      return;
    }
    try {
      const outcome = await draftItem(run, item, specs.get(item.videoId)!);
      counts[outcome]++;
      counts.done++;
    } catch (e) {
      if (ctx.signal.aborted) {
        counts.skipped++;
        ctx.emit({ type: 'status', id: item.id, state: 'skipped', detail: 'interrupted' });
        return;
      }
      const info = errorInfo(e);
      counts.failed++;
      ctx.emit({ type: 'failed', id: item.id, code: info.code, message: info.message });
      if (ctx.failFast) stop = true;
    }
  });
  return { counts, interrupted: ctx.signal.aborted };
}

async function draftItem(run: DraftRun, item: PlanItem, spec: VideoSpec): Promise<Outcome> {
  const { ctx, cache, root } = run;
  const key = item.key!;
  // Another item (or another process) may have cached this content since the plan was made.
  const hit = await cache.get(key);
  if (!hit) {
    ctx.emit({ type: 'status', id: item.id, state: 'rendering', detail: 'draft' });
    const tmp = join(root, '.heygen', 'tmp', `${key}.mp4`);
    await mkdir(dirname(tmp), { recursive: true });
    const r = await renderDraft(spec, { root, outFile: tmp, language: item.language, signal: ctx.signal });
    await cache.put(key, r.path, r.captions, { seconds: r.seconds });
  }
  const file = await cache.materialize(key, resolve(root, item.output));
  const outcome: Outcome = !hit ? 'rendered' : item.action === 'download' ? 'restored' : 'reused';
  ctx.emit({ type: 'downloaded', id: item.id, path: item.output, size: file.size, sha256: file.sha256, cached: Boolean(hit) });
  ctx.emit({ type: 'status', id: item.id, state: 'done', detail: hit ? 'copied from the draft cache' : 'draft rendered' });
  return outcome;
}
