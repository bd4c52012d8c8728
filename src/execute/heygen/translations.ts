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
import { awaitJob, Detached, isDetachOutcome, takeSlots } from './detach.js';
import { runReviewed } from './proofread-run.js';
import { entryPlace } from './proofread-session.js';
import { languagesFromStore, pushTranslation, settledByStore, type LanguageWork } from './remote-translations.js';
import { translationSource } from './translation-source.js';
import { submitGroup } from './translation-submit.js';

type Work = LanguageWork;

/** Languages sent in one call must share their options. */
function groupKey(t: TranslationSpec): string {
  return `${t.mode}|${t.captions}|${t.audioOnly}|${JSON.stringify(t.options ?? {})}`;
}

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
    ctx.emit({ type: 'failed', id: w.item.id, code: error.code ?? 'E_TRANSLATION_FAILED', message: `${entryPlace(spec, w.t)}translations: ${lang}: ${error.message}` });
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
  const work: Work[] = [];
  for (const item of items) {
    const t = spec.translations.find((x) => x.language === item.language);
    if (t && item.action !== 'unchanged' && item.action !== 'orphan') work.push({ t, item });
  }
  // Before paying: languages some machine already made come from the remote store.
  if (ctx.remote) {
    const restored = await languagesFromStore(ctx, spec, work);
    work.splice(0, work.length, ...work.filter((w) => !restored.has(w.item.id)));
  }
  if (work.length === 0) return 0;
  const groups = new Map<string, Work[]>();
  // A changed text layer alone is drawn again over the translation already made: nothing is sent.
  const finishOnly = (w: Work): boolean => w.item.action === 'download' || w.item.recompose === true;
  // A reviewed language goes through its proofread session, one language at a time.
  const reviewed = (w: Work): boolean => w.t.review !== undefined;
  for (const w of work.filter((x) => !finishOnly(x) && !reviewed(x))) {
    const k = groupKey(w.t);
    groups.set(k, [...(groups.get(k) ?? []), w]);
  }
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
  const jobs: Promise<void>[] = [];
  for (const group of groups.values()) {
    jobs.push(
      (async () => {
        // Each language is a job on HeyGen's side: hold a slot for each until it finishes.
        let held = 0;
        try {
          held = await takeSlots(ctx, group.length, group.map((w) => w.item.id).join(', '));
          const sent = await submitGroup(ctx, spec, group);
          await Promise.all(
            group.map(async (w) => {
              try {
                if (sent.unsent.has(w.t.language)) throw new Interrupted();
                if (settledByStore(ctx, w.item.id)) {
                  if (held > 0) {
                    held--;
                    ctx.slots.release(1);
                  }
                  return;
                }
                const remoteId = ctx.store.lock.videos[spec.id]!.translations[w.t.language]!.remoteId!;
                ctx.emit({ type: 'status', id: w.item.id, state: 'rendering', detail: remoteId });
                const job = { id: w.item.id, kind: 'translation' as const, remoteId, seconds: w.item.estimate.seconds };
                const remote = await awaitJob(ctx, job, (id) => ctx.translations.wait(id), sent.posted);
                if (remote.status === 'failed') ctx.failed();
                if (held > 0) {
                  held--;
                  ctx.slots.release(1);
                }
                if (!(await finish(ctx, spec, w, remote))) failed++;
              } catch (e) {
                // A detached language keeps its slot: it still counts against HeyGen's cap.
                if (e instanceof Detached && held > 0) held--;
                fail(w, e);
              }
            }),
          );
        } catch (e) {
          for (const w of group) fail(w, e);
        } finally {
          if (held > 0) ctx.slots.release(held);
        }
      })(),
    );
  }
  for (const w of work.filter(reviewed)) {
    const deps = { source: () => translationSource(ctx, spec), finish: (remote: RemoteTranslation | undefined) => finish(ctx, spec, w, remote) };
    jobs.push(
      runReviewed(ctx, spec, w.t, w.item, deps).then(
        (ok) => {
          if (!ok) failed++;
        },
        (e: unknown) => fail(w, e),
      ),
    );
  }
  for (const w of work.filter((x) => finishOnly(x) && !reviewed(x))) {
    jobs.push(
      finish(ctx, spec, w, undefined).then(
        (ok) => {
          if (!ok) failed++;
        },
        (e: unknown) => fail(w, e),
      ),
    );
  }
  await Promise.all(jobs);
  return failed;
}
