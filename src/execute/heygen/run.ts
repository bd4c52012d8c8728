/**
 * Runs a plan against HeyGen: every video and translation that needs work, under one concurrency limit,
 * saving the lockfile after every state change.
 */
import { videoParts } from '../../hash/index.js';
import type { LockStore } from '../../lockfile/store.js';
import type { ResolvedConfig } from '../../model/config.js';
import type { Plan, PlanItem } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { HeygenClient } from '../../providers/heygen/index.js';
import { HeygenBuildError } from '../../errors.js';
import { emptyCounts, type BuildCounts, type EventSink } from '../events.js';
import { failedEvent, placedFailure } from '../failure.js';
import type { PlaceVideo } from '../provider.js';
import type { RunContext } from './context.js';
import { Poller } from './poller.js';
import { POLL_READ, PollOutage } from './outage.js';
import { availableParallelism } from 'node:os';
import { Semaphore } from '../../util/limit.js';
import { runTranslations } from './translations.js';
import { Interrupted, runVideo } from './video.js';
import { isComposed, runComposedVideo } from './composed.js';
import { UrlCopies } from '../url-copies.js';
import { AssetCheck } from '../asset-check.js';
import { runTemplateVideo } from './template-video.js';
import type { TemplateDefinition } from '../../model/template.js';
import type { AssetRecord } from '../../manifest/assets.js';
import { runDub } from './dub.js';
import { isDetachOutcome, type DetachMode } from './detach.js';
import { runPromptVideo } from './prompt-video.js';
import type { RemoteSession } from '../../remote/session.js';
import { OthersPaid } from '../../reporters/paid.js';

/** What a HeyGen build runs with: the config, specs, plan, journal, event sink and abort signals. */
export interface HeygenRunOptions {
  config: ResolvedConfig;
  specs: readonly VideoSpec[];
  plan: Plan;
  store: LockStore;
  client: HeygenClient;
  emit: EventSink;
  languageNames: ReadonlyMap<string, string>;
  /** Aborted on the first Ctrl-C. */
  signal: AbortSignal;
  failFast?: boolean;
  /** Template definitions, by template id (template videos only). */
  templates?: ReadonlyMap<string, TemplateDefinition>;
  /** Do not wait for renders (src/execute/heygen/detach.ts). */
  detach?: DetachMode;
  /** Take over stale remote-store claims (`build --take-over-stale`). */
  takeOverStale?: boolean;
  /** Where a video or scene is declared, to place a render HeyGen failed. */
  place?: PlaceVideo;
  /** What the plan's load learnt of each local file (ExecuteContext.assets). */
  assets?: ReadonlyMap<string, AssetRecord>;
}

/** How a HeyGen build ended: its counts and whether it was interrupted. */
export interface HeygenRunResult {
  counts: BuildCounts;
  interrupted: boolean;
}

const WORK = new Set(['create', 'update', 'resume', 'download']);

/**
 * Runs the plan's HeyGen items (upload, submit, poll, download, translate), recording each step so a rerun resumes
 * instead of paying again.
 */
export async function runHeygen(opts: HeygenRunOptions): Promise<HeygenRunResult> {
  const { emit, counts } = countingSink(opts.emit, opts.plan);
  const out = outcomes(opts, emit);
  const ctx = runContext(opts, emit, out);
  const remote = opts.config.remote ? await openRemote(opts) : undefined;
  if (remote) ctx.remote = remote;
  const byVideo = new Map<string, PlanItem[]>();
  for (const it of opts.plan.items) byVideo.set(it.videoId, [...(byVideo.get(it.videoId) ?? []), it]);
  // allSettled: build() must not return (and free the build lock) while any job still runs.
  await Promise.allSettled(opts.specs.map((spec) => runSpec(ctx, opts, out, spec, byVideo.get(spec.id) ?? [])));
  if (remote) await remote.finish();
  return { counts: counts(), interrupted: opts.signal.aborted };
}

/** How items that do not finish are reported, and the build's stops (`--fail-fast`, a conflicted lockfile). */
interface Outcomes {
  /** Not sent: interrupted, or (the lockfile conflicted) failed to build again. */
  skip: (id: string) => void;
  detached: (id: string, e: unknown) => void;
  fail: (id: string, e: unknown) => void;
  /** Something failed: under `--fail-fast`, nothing new is sent from now on. */
  tripped: () => void;
  stopped: () => boolean;
}

function outcomes(opts: HeygenRunOptions, emit: EventSink): Outcomes {
  let failFastTripped = false;
  const conflict = conflictStop(opts.store, emit);
  const tripped = (): void => {
    if (opts.failFast) failFastTripped = true;
  };
  const detached = (id: string, e: unknown): void => {
    emit({ type: 'status', id, state: 'detached', detail: e instanceof Error ? e.message : String(e) });
  };
  const fail = (id: string, e: unknown): void => {
    if (isDetachOutcome(e)) return detached(id, e);
    emit(failedEvent(id, e));
    tripped();
  };
  const skip = (id: string): void => {
    // Not sent because the lockfile became conflicted: a failure to build again, not an interruption.
    if (!opts.signal.aborted && conflict.found()) fail(id, conflict.notSent());
    else emit({ type: 'status', id, state: 'skipped', detail: 'interrupted' });
  };
  // A collect run (the webhook receiver) never submits: it only finishes what is in flight.
  const stopped = (): boolean => opts.signal.aborted || failFastTripped || conflict.found() || opts.detach === 'collect';
  return { skip, detached, fail, tripped, stopped };
}

/** The state every job of the build shares: slots, pollers, caches, the journal and the stops. */
function runContext(opts: HeygenRunOptions, emit: EventSink, out: Outcomes): RunContext {
  const poll = opts.config.heygen.poll;
  const pollOutage = new PollOutage((message) => emit({ type: 'warning', message }), poll.timeoutMs);
  const once = opts.detach !== undefined;
  const slots = new Semaphore(opts.config.heygen.concurrency);
  const v3 = opts.client.api === 'v3';
  return {
    config: opts.config,
    client: opts.client,
    store: opts.store,
    emit,
    slots,
    ahead: new Semaphore(opts.config.heygen.concurrency),
    videos: new Poller((ids, s) => opts.client.getVideos(ids, s, POLL_READ), {
      ...poll,
      batch: v3 ? 100 : 1,
      piggyback: v3,
      // Nothing waits for a slot (the last renders of a build, or a small one): learning early that one
      // is free gains nothing, and a job asked alone is answered with its URL, a round trip sooner.
      ...(v3 ? { oneByOne: () => slots.waiting === 0 } : {}),
      signal: opts.signal,
      once,
      outage: pollOutage,
    }),
    translations: new Poller((ids, s) => Promise.all(ids.map((id) => opts.client.getTranslation(id, s, POLL_READ))), {
      ...poll,
      batch: 20,
      signal: opts.signal,
      once,
      outage: pollOutage,
    }),
    pollOutage,
    soft: opts.signal,
    stopped: out.stopped,
    failed: out.tripped,
    unsent: out.skip,
    languageNames: opts.languageNames,
    uploads: new Map(),
    clips: new Map(),
    composeSlots: new Semaphore(Math.max(1, availableParallelism())),
    probeSlots: new Semaphore(Math.max(opts.config.heygen.concurrency, availableParallelism())),
    assetCheck: new AssetCheck(opts.config.root),
    urlCopies: new UrlCopies(opts.config.root, { warn: (message) => emit({ type: 'warning', message }) }),
    ...(opts.templates ? { templates: opts.templates } : {}),
    ...(opts.detach ? { detach: opts.detach } : {}),
    ...(opts.place ? { place: opts.place } : {}),
    ...(opts.assets ? { assets: opts.assets } : {}),
  };
}

/** One manifest's work: its video (unless a dub, which has none), then its translations. */
async function runSpec(ctx: RunContext, opts: HeygenRunOptions, out: Outcomes, spec: VideoSpec, items: readonly PlanItem[]): Promise<void> {
  const video = items.find((i) => i.kind === 'video');
  const translations = items.filter((i) => i.kind === 'translation' && WORK.has(i.action));
  // A dub has no video to render: its languages are the whole job.
  if (spec.dub) return languages(opts, out, translations, () => runDub(ctx, spec, translations));
  if (!video || (!WORK.has(video.action) && translations.length === 0)) return;
  if (WORK.has(video.action) && !(await runOneVideo(ctx, opts, out, spec, video, translations))) return;
  return languages(opts, out, translations, () => runTranslations(ctx, spec, translations));
}

/** Renders a video; false when its translations cannot follow (each already reported so). */
async function runOneVideo(ctx: RunContext, opts: HeygenRunOptions, out: Outcomes, spec: VideoSpec, video: PlanItem, translations: readonly PlanItem[]): Promise<boolean> {
  ctx.emit({ type: 'status', id: spec.id, state: 'queued', detail: video.action });
  try {
    const ok = spec.template
      ? await runTemplateVideo(ctx, spec, video, ctx.templates?.get(spec.template.id))
      : spec.prompt
        ? await runPromptVideo(ctx, spec, video)
        : isComposed(ctx, video)
          ? await runComposedVideo(ctx, spec, video, () => videoParts(spec))
          : await runVideo(ctx, spec, video, videoParts(spec));
    if (ok) return true;
    out.tripped();
    for (const t of translations) out.skip(t.id);
    return false;
  } catch (e) {
    if (isDetachOutcome(e)) {
      out.detached(spec.id, e);
      for (const t of translations) out.detached(t.id, 'waits for its video, still rendering at HeyGen');
      return false;
    }
    if (e instanceof Interrupted || opts.signal.aborted) out.skip(spec.id);
    else out.fail(spec.id, placedFailure(e, () => ctx.place?.(spec)));
    for (const t of translations) out.skip(t.id);
    return false;
  }
}

/** Runs a video's (or a dub's) languages; `run` resolves to how many failed. */
async function languages(opts: HeygenRunOptions, out: Outcomes, translations: readonly PlanItem[], run: () => Promise<number>): Promise<void> {
  if (translations.length === 0) return;
  try {
    if ((await run()) > 0) out.tripped();
  } catch (e) {
    if (opts.signal.aborted) for (const t of translations) out.skip(t.id);
    else for (const t of translations) out.fail(t.id, e);
  }
}

/**
 * The lockfile found with merge-conflict markers at a save (store.ts): warned about once, and from then on
 * nothing new is submitted (`found`), since the plan was read from the lockfile before the change. What is
 * in flight finishes and is recorded in the store's journal; what was never sent fails with `notSent`.
 */
function conflictStop(store: LockStore, emit: EventSink): { found: () => boolean; notSent: () => HeygenBuildError } {
  let found = false;
  store.onHold((warning) => {
    found = true;
    emit({ type: 'warning', message: warning });
  });
  const notSent = (): HeygenBuildError =>
    new HeygenBuildError('E_LOCKFILE_CONFLICT', `not sent: ${store.display} has merge-conflict markers (see the warning above); the next build sends it once the conflict is resolved`);
  return { found: () => found, notSent };
}

/** The remote store, when configured and the plan has work (nothing to look up or push otherwise). */
async function openRemote(opts: HeygenRunOptions): Promise<RemoteSession | undefined> {
  if (!opts.config.remote || !opts.plan.items.some((i) => WORK.has(i.action))) return undefined;
  // Imported only then: a dozen modules a build without a remote store never runs.
  const { RemoteSession } = await import('../../remote/session.js');
  // The plan: what it priced free because of the store is held against --max-credits before paying.
  return RemoteSession.open(opts.config, opts.emit, { takeOverStale: opts.takeOverStale === true }, opts.plan);
}

/**
 * Counts what happened to each item from the events themselves (the last terminal event of an id wins):
 * `done` is rendered, or restored when the plan only downloads it; `failed`; `skipped` (interrupted, or
 * never sent after --fail-fast tripped).
 */
function countingSink(next: EventSink, plan: Plan): { emit: EventSink; counts: () => BuildCounts } {
  const outcome = new Map<string, 'done' | 'failed' | 'skipped' | 'detached'>();
  // Outputs taken from the remote store (a restore, even where the plan expected to render and pay), and
  // jobs adopted from another machine's claim (that machine paid): counted as such, not as rendered.
  const others = new OthersPaid();
  const emit: EventSink = (e) => {
    others.see(e);
    if (e.type === 'failed') outcome.set(e.id, 'failed');
    else if (e.type === 'status' && (e.state === 'done' || e.state === 'skipped' || e.state === 'detached')) outcome.set(e.id, e.state);
    next(e);
  };
  const counts = (): BuildCounts => {
    const c = emptyCounts();
    const items = new Map(plan.items.map((i) => [i.id, i]));
    for (const [id, o] of outcome) {
      if (o === 'failed') c.failed++;
      else if (o === 'skipped') c.skipped++;
      else if (o === 'detached') c.detached++;
      else {
        c.done++;
        const item = items.get(id);
        const unpaid = item ? others.unpaid(item) : undefined;
        if (item?.action === 'download' || unpaid === 'restored') c.restored++;
        else if (unpaid === 'adopted') c.adopted++;
        else c.rendered++;
      }
    }
    c.unchanged = plan.items.filter((i) => i.action === 'unchanged').length;
    return c;
  };
  return { emit, counts };
}
