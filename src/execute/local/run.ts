/**
 * Runs a draft plan: `create` renders with ffmpeg into the cache, then every item that needs work is
 * placed at its `<name>.draft.mp4` from the cache. An unchanged draft is never rendered twice.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { isAudioOutput, isWebmOutput } from '../../model/outputs.js';
import { translationDraftKey } from '../../hash/index.js';
import type { Plan, PlanItem } from '../../model/plan.js';
import type { LocalAsset, VideoSpec } from '../../model/spec.js';
import { renderDraft, type DraftCache } from '../../providers/local/index.js';
import { draftInfo } from '../../providers/local/cache.js';
import { mapLimit } from '../../util/limit.js';
import { emptyCounts } from '../events.js';
import { failedEvent } from '../failure.js';
import type { ExecuteContext, ExecuteResult } from '../provider.js';
import type { TemplateDefinition } from '../../model/template.js';
import { templateDraftSpec } from './template-cards.js';
import { promptDraftSpec, promptPictures } from './prompt-card.js';
import { dubDraftSpec } from '../../providers/local/dub.js';
import { AssetCheck } from '../asset-check.js';
import { laidOutFiles, plannedOf } from '../laid-out.js';

/** What a draft build runs with: the project root, draft cache, plan, specs, context and ffmpeg parallelism. */
export interface DraftRun {
  root: string;
  cache: DraftCache;
  plan: Plan;
  specs: readonly VideoSpec[];
  ctx: ExecuteContext;
  /** Parallel ffmpeg processes. */
  concurrency: number;
  /** Cached template definitions, by template id: a template video is drafted as cards of its scenes. */
  templates?: ReadonlyMap<string, TemplateDefinition>;
  /** Avatar id -> the look's preview image, shown in the avatar's place (see avatar-images.ts). */
  avatarImages?: ReadonlyMap<string, string>;
}

type Outcome = 'rendered' | 'restored' | 'reused';

/** Renders the plan's drafts, each distinct content once, placing cached drafts instead of rendering them again. */
export async function runDrafts(run: DraftRun): Promise<ExecuteResult> {
  const { ctx } = run;
  const renders = new Map<string, Promise<boolean>>();
  const counts = emptyCounts();
  const specs = new Map(run.specs.map((s) => [s.id, s]));
  const work = run.plan.items.filter((i) => i.action !== 'unchanged' && i.action !== 'orphan');
  // One per run: a file shared by many drafts is hashed once while it stays as it is.
  const check = new AssetCheck(run.root);
  counts.unchanged = run.plan.items.length - work.length;
  let stop = false;
  await mapLimit(work, run.concurrency, async (item) => {
    if (stop || ctx.signal.aborted) {
      counts.skipped++;
      ctx.emit({ type: 'status', id: item.id, state: 'skipped' });
      return;
    }
    try {
      const outcome = await draftItem({ ...run, check }, item, specs.get(item.videoId)!, renders);
      counts[outcome]++;
      counts.done++;
    } catch (e) {
      if (ctx.signal.aborted) {
        counts.skipped++;
        ctx.emit({ type: 'status', id: item.id, state: 'skipped', detail: 'interrupted' });
        return;
      }
      counts.failed++;
      // With its place and hint, as a HeyGen build's failed items say it.
      ctx.emit(failedEvent(item.id, e));
      if (ctx.failFast) stop = true;
    }
  });
  return { counts, interrupted: ctx.signal.aborted };
}

/** A run with its asset check. */
type Running = DraftRun & { check: AssetCheck };

async function draftItem(run: Running, item: PlanItem, spec: VideoSpec, renders: Map<string, Promise<boolean>>): Promise<Outcome> {
  const { ctx, cache } = run;
  // A translation's draft is cached with its language's text layer (the plan's key leaves it out).
  const t = item.language !== undefined ? spec.translations.find((x) => x.language === item.language) : undefined;
  const key = t && !spec.template ? translationDraftKey(spec, t) : item.key!;
  // The same content in two items is rendered once: the map is filled before the first await, so the
  // second item always finds the first one's render.
  let render = renders.get(key);
  const mine = render === undefined;
  if (!render) {
    render = (async () => {
      // Another process may have cached this content since the plan was made; `--replace` renders it again,
      // as its plan line says (the new draft takes the cached one's place).
      if (!item.replace && (await cache.get(key))) return false;
      ctx.emit({ type: 'status', id: item.id, state: 'rendering', detail: 'draft' });
      await renderInto(run, key, spec, item.language);
      return true;
    })();
    renders.set(key, render);
  }
  const rendered = (await render) && mine;
  const file = await cache.materialize(key, resolve(run.root, item.output));
  const outcome: Outcome = rendered ? 'rendered' : item.action === 'download' ? 'restored' : 'reused';
  ctx.emit({ type: 'downloaded', id: item.id, path: item.output, size: file.size, sha256: file.sha256, cached: !rendered });
  ctx.emit({ type: 'status', id: item.id, state: 'done', detail: rendered ? 'draft rendered' : 'copied from the draft cache' });
  return outcome;
}

/** Renders `spec` into the cache under `key`, through a temp file of this render's own. */
async function renderInto(run: Running, key: string, spec: VideoSpec, language: string | undefined): Promise<void> {
  // The extension picks the container: a voiceover's draft is audio, a transparent video's a WebM.
  const ext = isAudioOutput(spec.output) || isWebmOutput(spec.output) ? extname(spec.output).toLowerCase() : '.mp4';
  const tmp = join(run.root, '.heygen', 'tmp', `${key}.${process.pid}.${randomBytes(4).toString('hex')}${ext}`);
  await mkdir(dirname(tmp), { recursive: true });
  const prompt = spec.prompt ? await promptDraftSpec(spec, { root: run.root, workDir: dirname(tmp), signal: run.ctx.signal }) : undefined;
  const drafted = spec.template ? templateDraftSpec(spec, run.templates?.get(spec.template.id)) : (prompt?.spec ?? spec);
  try {
    // What the draft read must still be what the plan read: else nothing is cached under `key`.
    const read = draftReads(spec, drafted);
    const verify = (): Promise<void> => run.check.verify(read, `the draft of ${spec.id}`);
    const opts = { root: run.root, outFile: tmp, language, signal: run.ctx.signal, verify };
    const r = await renderDraft(drafted, { ...opts, ...(run.avatarImages ? { avatarImages: run.avatarImages } : {}) });
    await run.cache.put(key, r.path, r.captions, draftInfo(r));
  } finally {
    await prompt?.cleanup();
  }
}

/**
 * The project files drafting `spec` as `drafted` reads, with the digests the plan read: the backgrounds
 * and audio files laid out (a dub's source among them), and the pictures on a prompt video's card.
 */
function draftReads(spec: VideoSpec, drafted: VideoSpec): LocalAsset[] {
  const shown = dubDraftSpec(drafted);
  const laid = laidOutFiles(shown, shown.scenes.map(() => 'placeholder' as const));
  return plannedOf(spec, [...laid, ...promptPictures(spec)]);
}
