/**
 * Translations of one finished source video. v3 translates into many languages in one call (one job per
 * language); v2 takes one call per language. Same journal discipline as renders: intent, id, file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { layTranslationText, rawTranslation } from './translation-layer.js';
import { layerDigest } from '../../hash/index.js';
import { failedEvent } from '../failure.js';
import type { FileRecord } from '../../model/lock.js';
import type { PlanItem } from '../../model/plan.js';
import { hasOverlays, type TranslationSpec, type VideoSpec } from '../../model/spec.js';
import { captionsPath } from '../../model/outputs.js';
import type { RemoteTranslation } from '../../providers/heygen/index.js';
import type { RunContext } from './context.js';
import { fetchFile } from './download.js';
import { Interrupted } from './video.js';
import { Detached, isDetachOutcome } from './detach.js';
import { awaitJob, takeSlots } from './job-wait.js';
import { runReviewed } from './proofread-run.js';
import { entryFields, entryPlace } from './proofread-session.js';
import { languagesFromStore, pushTranslation, settledByStore, type LanguageWork } from './remote-translations.js';
import { translationSource } from './translation-source.js';
import { submitGroup, type Sent } from './translation-submit.js';

type Work = LanguageWork;

async function finish(ctx: RunContext, spec: VideoSpec, w: Work, remote: RemoteTranslation | undefined): Promise<boolean> {
  const lang = w.t.language;
  const rec = () => ctx.store.lock.videos[spec.id]!.translations[lang]!;
  if (remote && remote.status === 'failed') {
    const error = remote.error ?? { message: 'HeyGen reported the translation as failed without a reason' };
    await ctx.store.update((l) => {
      const r = l.videos[spec.id]!.translations[lang]!;
      r.status = 'failed';
      r.error = error;
    });
    // At the manifest's translation entry, as a failed proofread is: a language's failure names what to look at.
    // HeyGen's failure code goes in the message, as a failed render's does (clips.ts): our codes are a closed set.
    const reason = error.code ? ` (${error.code})` : '';
    ctx.emit({ type: 'failed', id: w.item.id, code: 'E_TRANSLATION_FAILED', message: `${entryPlace(spec, w.t)}translations: ${lang}${reason}: ${error.message}`, ...entryFields(spec, w.t) });
    return false;
  }
  if (remote) {
    await ctx.store.update((l) => {
      const r = l.videos[spec.id]!.translations[lang]!;
      r.status = 'completed';
      delete r.error;
      delete r.output;
      delete r.captions;
    });
  }
  const remoteId = rec().remoteId!;
  const fresh = () => ctx.client.getTranslation(remoteId, ctx.soft);
  const output = await translatedOutput(ctx, spec, w, async () => (await fresh()).videoUrl);
  let captions: FileRecord | undefined;
  if (w.t.captions) {
    captions = await fetchFile(ctx, w.item.id, captionsPath(w.item.output), async () => (await fresh()).captionUrl);
  }
  const layer = layerDigest(spec, lang);
  await ctx.store.update((l) => {
    const r = l.videos[spec.id]!.translations[lang]!;
    r.output = output;
    if (captions) r.captions = captions;
    if (layer !== '') r.layer = layer;
    else delete r.layer;
  });
  if (ctx.remote) await pushTranslation(ctx, spec, lang);
  ctx.emit({ type: 'status', id: w.item.id, state: 'done' });
  return true;
}

/**
 * The language's output: HeyGen's translation as it is, or (with overlays) kept under
 * `.heygen/translations/` and laid over with the language's text layer.
 */
async function translatedOutput(ctx: RunContext, spec: VideoSpec, w: Work, url: () => Promise<string | undefined>): Promise<FileRecord> {
  if (!hasOverlays(spec)) return fetchFile(ctx, w.item.id, w.item.output, url);
  const raw = rawTranslation(w.item.key!);
  if (!existsSync(resolve(ctx.config.root, raw))) await fetchFile(ctx, w.item.id, raw, url, { announce: false });
  ctx.emit({ type: 'status', id: w.item.id, state: 'rendering', detail: 'text layer' });
  const out = await layTranslationText(ctx, spec, w.t.language, raw, w.item.output);
  ctx.emit({ type: 'downloaded', id: w.item.id, path: out.path, size: out.size, sha256: out.sha256 });
  return out;
}

/** Runs every translation of `spec` that the plan says needs work. Returns the number that failed. */
export async function runTranslations(ctx: RunContext, spec: VideoSpec, items: PlanItem[]): Promise<number> {
  const work = await languagesToRun(ctx, spec, items);
  if (work.length === 0) return 0;
  // A changed text layer alone is drawn again over the translation already made: nothing is sent.
  const finishOnly = (w: Work): boolean => w.item.action === 'download' || w.item.recompose === true;
  // A reviewed language goes through its proofread session, one language at a time.
  const reviewed = (w: Work): boolean => w.t.review !== undefined;
  const groups = groupsOf(work.filter((x) => !finishOnly(x) && !reviewed(x)));
  const tally = languageTally(ctx);
  const jobs: Promise<void>[] = [];
  for (const group of groups) jobs.push(runGroup(ctx, spec, group, tally));
  for (const w of work.filter(reviewed)) {
    const deps = { source: () => translationSource(ctx, spec), finish: (remote: RemoteTranslation | undefined) => finish(ctx, spec, w, remote) };
    jobs.push(runReviewed(ctx, spec, w.t, w.item, deps).then(tally.ended, (e: unknown) => tally.fail(w, e)));
  }
  for (const w of work.filter((x) => finishOnly(x) && !reviewed(x))) {
    jobs.push(finish(ctx, spec, w, undefined).then(tally.ended, (e: unknown) => tally.fail(w, e)));
  }
  await Promise.all(jobs);
  return tally.failed();
}

/** The languages among `items` that need work, less those restored from the remote store. */
async function languagesToRun(ctx: RunContext, spec: VideoSpec, items: PlanItem[]): Promise<Work[]> {
  const work: Work[] = [];
  for (const item of items) {
    const t = spec.translations.find((x) => x.language === item.language);
    if (t && item.action !== 'unchanged' && item.action !== 'orphan') work.push({ t, item });
  }
  if (!ctx.remote) return work;
  // Before paying: languages some machine already made come from the remote store.
  const restored = await languagesFromStore(ctx, spec, work);
  return work.filter((w) => !restored.has(w.item.id));
}

/** Languages sent in one call must share their options. */
function groupKey(t: TranslationSpec): string {
  return `${t.mode}|${t.captions}|${t.audioOnly}|${JSON.stringify(t.options ?? {})}`;
}

/** Languages that can go in one call (same groupKey), in the order first met. */
function groupsOf(work: Work[]): Work[][] {
  const groups = new Map<string, Work[]>();
  for (const w of work) {
    const k = groupKey(w.t);
    groups.set(k, [...(groups.get(k) ?? []), w]);
  }
  return [...groups.values()];
}

/** How a build's languages ended: the failures counted, and a language that threw reported. */
interface LanguageTally {
  /** A language ran to its end; `ok` false when it failed (already reported). */
  ended: (ok: boolean) => void;
  /** A language that threw: detached, not sent (the build stopped), or failed. */
  fail: (w: Work, e: unknown) => void;
  failed: () => number;
}

/** A tally for one video's languages, counting from zero. */
function languageTally(ctx: RunContext): LanguageTally {
  let failed = 0;
  const fail = (w: Work, e: unknown): void => {
    if (isDetachOutcome(e)) {
      ctx.emit({ type: 'status', id: w.item.id, state: 'detached', detail: e.message });
      return;
    }
    // Never sent because the build stopped: reported as clips and videos are (skipped, or not sent after a conflict).
    if (e instanceof Interrupted || ctx.soft.aborted) return ctx.unsent(w.item.id);
    failed++;
    // Code, place and hint, as a video's failure says them.
    ctx.emit(failedEvent(w.item.id, e));
  };
  const ended = (ok: boolean): void => {
    if (!ok) failed++;
  };
  return { ended, fail, failed: () => failed };
}

/** Sends a group, then follows each of its languages to its file. */
async function runGroup(ctx: RunContext, spec: VideoSpec, group: Work[], tally: LanguageTally): Promise<void> {
  // Each language is a job on HeyGen's side: hold a slot for each until it finishes.
  const slots = new GroupSlots(ctx);
  try {
    slots.held = await takeSlots(ctx, group.length, group.map((w) => w.item.id).join(', '));
    const sent = await submitGroup(ctx, spec, group);
    await Promise.all(group.map((w) => followLanguage(ctx, spec, w, sent, slots, tally)));
  } catch (e) {
    for (const w of group) tally.fail(w, e);
  } finally {
    slots.releaseRest();
  }
}

/** Waits for one language of a sent group, gives back its slot once HeyGen's job ends, and finishes it. */
async function followLanguage(ctx: RunContext, spec: VideoSpec, w: Work, sent: Sent, slots: GroupSlots, tally: LanguageTally): Promise<void> {
  try {
    if (sent.unsent.has(w.t.language)) throw new Interrupted();
    if (settledByStore(ctx, w.item.id)) {
      slots.releaseOne();
      return;
    }
    const remoteId = ctx.store.lock.videos[spec.id]!.translations[w.t.language]!.remoteId!;
    ctx.emit({ type: 'status', id: w.item.id, state: 'rendering', detail: remoteId });
    const job = { id: w.item.id, kind: 'translation' as const, remoteId, seconds: w.item.estimate.seconds };
    const remote = await awaitJob(ctx, job, (id) => ctx.translations.wait(id), sent.posted);
    if (remote.status === 'failed') ctx.failed();
    slots.releaseOne();
    tally.ended(await finish(ctx, spec, w, remote));
  } catch (e) {
    // A detached language keeps its slot: it still counts against HeyGen's cap.
    if (e instanceof Detached) slots.keepOne();
    tally.fail(w, e);
  }
}

/** The render slots a group holds, one per language, given back one by one as its languages' jobs end. */
class GroupSlots {
  held = 0;
  constructor(private readonly ctx: RunContext) {}

  /** One language's job ended (or was never ours to wait for): its slot goes back. */
  releaseOne(): void {
    if (this.held > 0) {
      this.held--;
      this.ctx.slots.release(1);
    }
  }

  /** One language's job stays at HeyGen: its slot is kept, and no longer the group's to give back. */
  keepOne(): void {
    if (this.held > 0) this.held--;
  }

  /** The group is over: the slots it still holds go back. */
  releaseRest(): void {
    if (this.held > 0) this.ctx.slots.release(this.held);
  }
}
