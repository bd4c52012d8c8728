/**
 * Translations of one finished source video. v3 translates into many languages in one call (one job per
 * language); v2 takes one call per language. Same journal discipline as renders: intent, id, file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { uploadOnce } from './assets.js';
import { dubSource } from './dub.js';
import { baseComposition, layTranslationText, rawTranslation } from './translation-layer.js';
import type { TranslationSource } from '../../providers/heygen/index.js';
import { createHash } from 'node:crypto';
import { idempotencyKey, layerDigest } from '../../hash/index.js';
import { HeygenBuildError } from '../../errors.js';
import { failedEvent } from '../failure.js';
import type { FileRecord, TranslationLock } from '../../model/lock.js';
import type { PlanItem } from '../../model/plan.js';
import { hasOverlays, type TranslationSpec, type VideoSpec } from '../../model/spec.js';
import { captionsPath } from '../../model/outputs.js';
import type { RemoteTranslation } from '../../providers/heygen/index.js';
import type { RunContext } from './context.js';
import { fetchFile } from './download.js';
import { Interrupted, mayBeBilledTwice, sendsIdempotencyKey } from './video.js';
import { awaitJob, Detached, isDetachOutcome, takeSlots } from './detach.js';
import { runReviewed } from './proofread-run.js';
import { entryPlace } from './proofread-session.js';
import { putBackIntents } from './translation-intents.js';
import { claimedLanguages, claimLanguages, languagesFromStore, pushTranslation, settledByStore } from './remote-translations.js';

interface Work {
  t: TranslationSpec;
  item: PlanItem;
}

/** Languages sent in one call must share their options. */
function groupKey(t: TranslationSpec): string {
  return `${t.mode}|${t.captions}|${t.audioOnly}|${JSON.stringify(t.options ?? {})}`;
}

function groupIdempotencyKey(keys: string[], attempt: number): string {
  const digest = createHash('sha256').update([...keys].sort().join('\n')).digest('hex');
  return idempotencyKey(digest, attempt);
}

/**
 * What HeyGen translates: its own render by URL, or a video composed here, uploaded as an asset (once
 * per content: the asset table dedupes by the output's sha256).
 */
async function translationSource(ctx: RunContext, spec: VideoSpec): Promise<string | TranslationSource> {
  if (spec.dub) return dubSource(ctx, spec);
  const entry = ctx.store.lock.videos[spec.id];
  if (entry?.composed && hasOverlays(spec)) {
    // The composition without its text: each language gets its own layer afterwards.
    const base = await baseComposition(ctx, spec);
    return { assetId: await uploadOnce(ctx, base.file, spec.id, ctx.soft) };
  }
  if (entry?.composed && entry.output) {
    return { assetId: await uploadOnce(ctx, entry.output, spec.id, ctx.soft) };
  }
  return sourceUrl(ctx, spec);
}

async function sourceUrl(ctx: RunContext, spec: VideoSpec): Promise<string> {
  const remoteId = ctx.store.lock.videos[spec.id]?.remoteId;
  if (!remoteId) throw new HeygenBuildError('E_LOCK_NO_REMOTE', `${spec.id}: no finished source video to translate`);
  const v = await ctx.client.getVideo(remoteId, ctx.soft);
  if (!v.videoUrl) throw new HeygenBuildError('E_HEYGEN_NO_URL', `${spec.id}: HeyGen gives no URL for the source video`);
  return v.videoUrl;
}

const byLanguage = (x: Work, y: Work): number => (x.t.language < y.t.language ? -1 : x.t.language > y.t.language ? 1 : 0);

/**
 * Submits (or resumes) a group of languages and records their ids.
 *
 * A group is always sent sorted by language, and a recorded intent is resent exactly as it was
 * first sent (every language recorded under its Idempotency-Key, in that order): HeyGen replays
 * the first answer to a key, one id per language of the *first* request, whatever we send now.
 */
async function submitGroup(ctx: RunContext, spec: VideoSpec, group: Work[]): Promise<Sent> {
  const rec = (w: Work): TranslationLock | undefined => ctx.store.lock.videos[spec.id]!.translations[w.t.language];
  const submitted = (w: Work): boolean => {
    const r = rec(w);
    return Boolean(r && r.key === w.item.key && r.status === 'submitted' && r.remoteId);
  };
  let open = group.filter((w) => !submitted(w)).sort(byLanguage);
  if (open.length === 0) return NOTHING_SENT;
  if (ctx.stopped()) throw new Interrupted();
  // The source first (a dub's upload, a composition's base render): it may take a while, and a stop that
  // comes meanwhile must still keep the POST from going out.
  const url = await translationSource(ctx, spec);
  // The last moment to stop: once the intent is recorded, the POST follows.
  if (ctx.stopped()) throw new Interrupted();
  const pendingKeys = new Set(open.map((w) => rec(w)).filter((r) => r?.status === 'pending').map((r) => r!.idempotencyKey));
  const resumable = open.every((w) => rec(w)?.status === 'pending' && rec(w)?.key === w.item.key) && pendingKeys.size === 1;
  // Intents a killed build recorded without an answer: HeyGen may already have them.
  const unanswered = open.filter((w) => rec(w)?.status === 'pending' && rec(w)?.key === w.item.key);
  const replayed = resumable && sendsIdempotencyKey(ctx);
  let idem: string;
  /** Manifest language -> HeyGen name, in the order sent. */
  let send: [string, string][];
  /** Each language's record before this build journaled its intent (a new intent only: a resumed one stays). */
  let before: Map<string, TranslationLock | undefined> | undefined;
  if (resumable && ctx.client.api === 'v2') {
    // No replay in v2: resend only what has no id yet (one POST per language).
    idem = [...pendingKeys][0]!;
    send = open.map((w) => [w.t.language, rec(w)!.language]);
  } else if (resumable) {
    idem = [...pendingKeys][0]!;
    // Everything first sent under this key, whether still in the plan or not.
    send = Object.entries(ctx.store.lock.videos[spec.id]!.translations)
      .filter(([, r]) => r.idempotencyKey === idem)
      .map(([lang, r]): [string, string] => [lang, r.language])
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  } else {
    const attempt = Math.max(1, ...open.map((w) => (rec(w)?.key === w.item.key ? rec(w)!.attempt + 1 : 1)));
    idem = groupIdempotencyKey(
      open.map((w) => w.item.key!),
      attempt,
    );
    // A language the plan resumes has no name resolved for this build: reuse the one its intent recorded.
    const heygenName = (w: Work): string => ctx.languageNames.get(w.t.language) ?? rec(w)?.language ?? w.t.language;
    send = open.map((w) => [w.t.language, heygenName(w)]);
    before = new Map(open.map((w) => [w.t.language, rec(w)]));
    await ctx.store.update((l) => {
      const e = l.videos[spec.id]!;
      for (const w of open) {
        e.translations[w.t.language] = { key: w.item.key!, language: heygenName(w), status: 'pending', idempotencyKey: idem, attempt };
      }
    });
    if (ctx.remote) {
      // Languages another machine is paying for are adopted or left to it (src/execute/heygen/remote-translations.ts).
      const mine = await claimLanguages(ctx, spec, open, idem, attempt, before);
      open = open.filter((w) => mine.has(w.t.language));
      send = send.filter(([lang]) => mine.has(lang));
      if (open.length === 0) return NOTHING_SENT;
    }
  }
  const names = send.map(([, name]) => name);
  const first = open[0]!.t;
  for (const w of open) ctx.emit({ type: 'status', id: w.item.id, state: 'submitting' });
  if (!replayed) {
    // v2 has no key at all; on v3 the group changed since, so the key did too.
    const reason = sendsIdempotencyKey(ctx) ? 'its group changed, so it goes with a new Idempotency-Key' : 'API v2 has no Idempotency-Key';
    for (const w of unanswered) ctx.emit({ type: 'warning', message: mayBeBilledTwice(w.item.id, reason) });
  }
  const openByLang = new Map(open.map((w) => [w.t.language, w]));
  /** Journals ids for the open languages among `pairs` (manifest language, remote id), in one save. */
  const record = async (pairs: [string, string][]): Promise<void> => {
    const mine = pairs.filter(([lang]) => openByLang.has(lang));
    if (mine.length === 0) return;
    await ctx.store.update((l) => {
      const e = l.videos[spec.id]!;
      for (const [lang, remoteId] of mine) {
        const r = e.translations[lang]!;
        r.status = 'submitted';
        r.remoteId = remoteId;
      }
    });
  };
  const ids = await ctx.client.createTranslations(url, names, {
    idempotencyKey: idem,
    callbackId: idem,
    mode: first.mode,
    captions: first.captions,
    audioOnly: first.audioOnly,
    ...(first.options ? { options: first.options } : {}),
    // v2 makes one paid POST per language: journal each id as it arrives. v3 answers all at once,
    // and all of them are journaled together below (never half a group).
    ...(ctx.client.api === 'v2'
      ? {
          onCreated: async (name: string, remoteId: string) => {
            const pair = send[names.indexOf(name)];
            if (pair) await record([[pair[0], remoteId]]);
          },
          // A stop between two of its POSTs keeps the rest of the group from going out, as for clips.
          stopped: () => ctx.stopped(),
        }
      : {}),
  });
  // v2 stopped part-way: the languages after the last id were never sent.
  const pairs = send.slice(0, ids.length).map(([lang], i): [string, string] => [lang, ids[i]!]);
  const unsent = send.slice(ids.length).map(([lang]) => lang);
  await record(pairs);
  if (unsent.length > 0 && before) await putBackIntents(ctx, spec, unsent, before);
  if (ctx.remote) await claimedLanguages(ctx, spec, pairs);
  for (const [lang, remoteId] of pairs) {
    const w = openByLang.get(lang);
    if (w) ctx.emit({ type: 'submitted', id: w.item.id, remoteId, replayed });
  }
  return { posted: pairs.length > 0, unsent: new Set(unsent) };
}

/** What sending a group did: whether a POST went out (a detached build then knows those jobs cannot be done yet), and the languages a stop kept from being sent (v2 only). */
interface Sent {
  posted: boolean;
  unsent: ReadonlySet<string>;
}

const NOTHING_SENT: Sent = { posted: false, unsent: new Set() };

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
