/**
 * Translations (of generated videos and of dubs, reviewed or not) and proofread sessions on the store's
 * one path (remote-item.ts). A translation's record holds its output; with text overlays, also HeyGen's
 * raw translation, so a machine whose text layer differs draws its own over it, paying nothing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { sha256File } from '../../fsx/digest.js';
import { layerDigest } from '../../hash/index.js';
import type { FileRecord, TranslationLock } from '../../model/lock.js';
import { captionsPath } from '../../model/outputs.js';
import type { PlanItem } from '../../model/plan.js';
import type { TranslationSpec, VideoSpec } from '../../model/spec.js';
import { proofreadRender, translationRender } from '../../remote/from-lock.js';
import { extOf } from '../../remote/record.js';
import { placeRoles } from '../../remote/roles.js';
import type { HeygenBuildError } from '../../errors.js';
import type { RunContext } from './context.js';
import { adoptRecorded, claimBeforePay, claimedId, FROM_STORE, fromStore, pushRender, reserveEach, type ClaimTarget, type HeldClaim, type StoreItem } from './remote-item.js';
import { putBackIntents } from './translation-intents.js';
import { layTranslationText, rawTranslation } from './translation-layer.js';

/** One language the plan says needs work. */
export interface LanguageWork {
  t: TranslationSpec;
  item: PlanItem;
}

/** A language as the store sees it (exported for test/remote/roles.test.ts). */
export function translationItem(ctx: RunContext, spec: VideoSpec, w: LanguageWork): StoreItem {
  const lang = w.t.language;
  const key = w.item.key!;
  const want = layerDigest(spec, lang);
  // Set by `place` when HeyGen's raw translation comes down and this machine's text goes on top.
  let layOver: string | undefined;
  return {
    key,
    label: w.item.id,
    kind: 'translation',
    place: (rec) => {
      // HeyGen's translation with the record's text layer serves only a machine with the same layer;
      // its raw translation serves any (as the output when there is no layer, else drawn over).
      const paths = placeRoles(rec, 'translation', {
        ...((rec.layer ?? '') === want ? { video: w.item.output } : {}),
        raw: want === '' ? w.item.output : rawTranslation(key),
        ...(w.t.captions ? { captions: captionsPath(w.item.output) } : {}),
      });
      layOver = paths?.raw !== undefined && want !== '' ? paths.raw : undefined;
      return paths;
    },
    journal: async (rec, files) => {
      const output = layOver ? await layTranslationText(ctx, spec, lang, layOver, w.item.output) : (files.video ?? files.raw!);
      return (l) => {
        const e = l.videos[spec.id]!;
        const prev = e.translations[lang];
        const r: TranslationLock = {
          key,
          language: rec.language ?? prev?.language ?? ctx.languageNames.get(lang) ?? lang,
          status: 'completed',
          attempt: prev?.key === key ? prev.attempt : 1,
          output,
        };
        if (rec.remoteId) r.remoteId = rec.remoteId;
        // A lost output put back (a fresh clone): the entry stays as its render left it.
        if (prev?.key === key && prev.status === 'completed' && prev.idempotencyKey) r.idempotencyKey = prev.idempotencyKey;
        if (files.captions) r.captions = files.captions;
        if (want !== '') r.layer = want;
        if (w.t.review?.state === 'approved' && w.t.review.sha256) r.srt = w.t.review.sha256;
        e.translations[lang] = r;
      };
    },
  };
}

/** A proofread session as the store sees it (exported for test/remote/roles.test.ts). */
export function proofreadItem(ctx: RunContext, spec: VideoSpec, w: LanguageWork): StoreItem {
  const lang = w.t.language;
  return {
    key: w.item.key!,
    label: w.item.id,
    kind: 'proofread',
    place: (rec) => placeRoles(rec, 'proofread', { srt: w.t.review!.srt }),
    journal: (rec, files) => (l) => {
      const e = l.videos[spec.id]!;
      const language = rec.language ?? ctx.languageNames.get(lang) ?? lang;
      e.proofreads = { ...e.proofreads, [lang]: { key: w.item.key!, language, status: 'completed', attempt: 1, ...(rec.remoteId ? { remoteId: rec.remoteId } : {}), output: files.srt! } };
    },
  };
}

/**
 * Languages about to be paid for (a translation, an approved review's render, a proofread) whose key
 * some machine already made, and translations whose lost output the lockfile records: restored from the
 * store and reported done. Returns the ids restored.
 */
export async function languagesFromStore(ctx: RunContext, spec: VideoSpec, work: readonly LanguageWork[]): Promise<Set<string>> {
  const restored = new Set<string>();
  if (!ctx.remote) return restored;
  const paid = work.filter((w) => (w.item.action === 'create' || w.item.action === 'update') && w.item.key && w.item.review !== 'awaiting' && w.item.recompose !== true && !w.item.replace);
  // A lost output the lockfile records (a fresh clone) comes from the store too, by the lockfile's digests,
  // before HeyGen: as a video's does (videoFromRemote).
  const lost = work.flatMap((w) => {
    const e = ctx.store.lock.videos[spec.id];
    const t = e?.translations[w.t.language];
    const known = w.item.action === 'download' && w.item.review !== 'proofread' && w.item.review !== 'awaiting' && t && t.key === w.item.key ? translationRender(spec.id, w.t.language, t, e?.api ?? 'v3')?.record : undefined;
    return known ? [{ w, known }] : [];
  });
  await Promise.all(
    [...paid.map((w) => ({ w, known: undefined })), ...lost].map(async ({ w, known }) => {
      const proofread = w.item.review === 'proofread';
      const files = await fromStore(ctx, proofread ? proofreadItem(ctx, spec, w) : translationItem(ctx, spec, w), known);
      if (!files) return;
      restored.add(w.item.id);
      if (proofread) {
        const id = ctx.store.lock.videos[spec.id]?.proofreads?.[w.t.language]?.remoteId ?? '';
        ctx.emit({ type: 'awaiting-review', id: w.item.id, language: w.t.language, file: w.t.review!.srt, proofreadId: id });
        return;
      }
      const out = ctx.store.lock.videos[spec.id]!.translations[w.t.language]!.output!;
      ctx.emit({ type: 'downloaded', id: w.item.id, path: out.path, size: out.size, sha256: out.sha256 });
      ctx.emit({ type: 'status', id: w.item.id, state: 'done', detail: FROM_STORE });
    }),
  );
  return restored;
}

/**
 * What claiming a group's languages left the group runner, by item id: a language settled by the store
 * (restored, or withdrawn for its holder), or refused over --max-credits (its E_BUDGET).
 */
type Settled = { done: boolean; detail: string; held?: HeldClaim } | { refused: HeygenBuildError };
const settled = new WeakMap<RunContext, Map<string, Settled>>();

/**
 * Claims each language of a group about to be sent, its intent journaled (`before`: each language's
 * record before that). Languages another machine holds are adopted (its id journaled as submitted, then
 * polled like ours), restored (its record appeared), or withdrawn from this build (its holder recorded
 * no id yet: the holder, or a later build, finishes it). A language the budget does not cover is
 * withdrawn before anything is claimed or sent. A withdrawn language's intent is put back as it was, so
 * the next plan sees what it saw before: never a resume of a POST that was not sent. Returns the
 * languages this build still sends.
 */
export async function claimLanguages(ctx: RunContext, spec: VideoSpec, group: readonly LanguageWork[], idempotencyKey: string, attempt: number, before: ReadonlyMap<string, TranslationLock | undefined>): Promise<Set<string>> {
  const send = new Set<string>();
  const marks = settled.get(ctx) ?? new Map<string, Settled>();
  settled.set(ctx, marks);
  const putBack = (langs: readonly string[]): Promise<void> => putBackIntents(ctx, spec, langs, before);
  const targets = group.map((w) => {
    const lang = w.t.language;
    const t: ClaimTarget = {
      ...translationItem(ctx, spec, w),
      idempotencyKey,
      attempt,
      own: false,
      resend: false,
      fresh: w.item.replace === true,
      budgeted: true,
      adopt: async (job) => {
        if (!job.remoteId) return;
        await ctx.store.update((l) => {
          const x = l.videos[spec.id]!.translations[lang]!;
          x.status = 'submitted';
          x.remoteId = job.remoteId;
          x.idempotencyKey = job.idempotencyKey;
          x.attempt = job.attempt;
        });
      },
    };
    return { w, t };
  });
  // Languages whose record names a render HeyGen still has are adopted, free; of the rest, what goes
  // over --max-credits is refused before any of the group is claimed (reserveEach), its intent withdrawn
  // in one save: nothing was sent for it under this intent, so nothing it stood for is lost.
  const early = await Promise.all(targets.map(({ t }) => adoptRecorded(ctx, t)));
  const budget = reserveEach(
    ctx,
    targets.filter((_, i) => !early[i]).map(({ t }) => t),
  );
  const refused = targets.filter(({ t }, i) => !early[i] && budget.refused.has(t.key));
  if (refused.length > 0) {
    await putBack(refused.map(({ w }) => w.t.language));
    for (const { w, t } of refused) marks.set(w.item.id, { refused: budget.refused.get(t.key)! });
  }
  await Promise.all(
    targets.map(async ({ w, t }, i) => {
      if (!early[i] && budget.refused.has(t.key)) return;
      const lang = w.t.language;
      const r = early[i] ?? (await claimBeforePay(ctx, t));
      if (r && !('idempotencyKey' in r)) budget.taken.get(w.item.key!)?.();
      if (!r) send.add(lang);
      else if ('restored' in r) marks.set(w.item.id, { done: true, detail: FROM_STORE });
      else if ('withdrawn' in r) {
        await putBack([lang]);
        marks.set(w.item.id, { done: false, detail: r.withdrawn, held: r.held });
      }
    }),
  );
  return send;
}

/**
 * For the group runner: a language claiming settled (restored, or withdrawn) is reported here and needs
 * no polling. True when it was; throws the E_BUDGET of a language refused over --max-credits.
 */
export function settledByStore(ctx: RunContext, itemId: string): boolean {
  const m = settled.get(ctx)?.get(itemId);
  if (!m) return false;
  if ('refused' in m) throw m.refused;
  ctx.emit({ type: 'status', id: itemId, state: m.done ? 'done' : 'skipped', detail: m.detail, ...(m.held ? { held: m.held } : {}) });
  return true;
}

/** Adds HeyGen's ids to our claims of the languages just sent (manifest language -> id). */
export async function claimedLanguages(ctx: RunContext, spec: VideoSpec, ids: readonly [string, string][]): Promise<void> {
  if (!ctx.remote) return;
  const e = ctx.store.lock.videos[spec.id]!;
  await Promise.all(ids.filter(([lang]) => e.translations[lang]).map(([lang, id]) => claimedId(ctx, e.translations[lang]!.key, id)));
}

/** Pushes a completed translation; with overlays, HeyGen's raw translation goes too when it is on disk. */
export async function pushTranslation(ctx: RunContext, spec: VideoSpec, lang: string): Promise<void> {
  const e = ctx.store.lock.videos[spec.id];
  const t = e?.translations[lang];
  if (!ctx.remote || !t) return;
  const r = translationRender(spec.id, lang, t, e.api ?? 'v3');
  if (!r) return;
  const raw = rawTranslation(t.key);
  if (t.layer && existsSync(resolve(ctx.config.root, raw))) {
    const d = await sha256File(resolve(ctx.config.root, raw));
    r.record.files.raw = { sha256: d.sha256, size: d.size, ext: extOf(raw) };
    r.files.raw = raw;
    r.locals.raw = { path: raw, sha256: d.sha256, size: d.size } satisfies FileRecord;
  }
  await pushRender(ctx, r);
}

/** Pushes a proofread session's record and SRT. */
export async function pushProofread(ctx: RunContext, spec: VideoSpec, lang: string): Promise<void> {
  const p = ctx.store.lock.videos[spec.id]?.proofreads?.[lang];
  if (p) await pushRender(ctx, proofreadRender(spec.id, lang, p));
}

/**
 * Before a proofread session's paid POST: claims its key. True when another machine's session was
 * adopted (its id journaled as submitted) or restored from its record: the caller sends nothing.
 * An adopted Idempotency-Key (the holder died before HeyGen answered) is journaled for the caller to send.
 */
export async function claimProofread(ctx: RunContext, spec: VideoSpec, t: TranslationSpec, itemId: string, own: boolean): Promise<boolean> {
  const p = ctx.store.lock.videos[spec.id]!.proofreads![t.language]!;
  const w: LanguageWork = { t, item: { kind: 'translation', id: itemId, videoId: spec.id, action: 'create', key: p.key, reasons: [], output: t.review?.srt ?? '', estimate: { seconds: 0, credits: 0 } } };
  const r = await claimBeforePay(ctx, {
    ...proofreadItem(ctx, spec, w),
    idempotencyKey: p.idempotencyKey!,
    attempt: p.attempt,
    own,
    resend: true,
    adopt: (job) =>
      ctx.store.update((l) => {
        const x = l.videos[spec.id]!.proofreads![t.language]!;
        x.idempotencyKey = job.idempotencyKey;
        x.attempt = job.attempt;
        if (job.remoteId) {
          x.status = 'submitted';
          x.remoteId = job.remoteId;
        }
      }),
  });
  return r !== undefined && ('restored' in r || 'remoteId' in r);
}

/**
 * Before an approved review's render (`generate` on its proofread session): claims the translation's
 * key like any paid item. `adopted`: another machine's render id is journaled as submitted (the caller
 * polls it); `restored`: its record appeared and the language is done; undefined: the caller sends,
 * with the intent as journaled now (the holder's Idempotency-Key when a stale claim was taken over).
 */
export async function claimApproved(ctx: RunContext, spec: VideoSpec, t: TranslationSpec, item: PlanItem, own: boolean): Promise<'adopted' | 'restored' | undefined> {
  const lang = t.language;
  const x = ctx.store.lock.videos[spec.id]!.translations[lang]!;
  const r = await claimBeforePay(ctx, {
    ...translationItem(ctx, spec, { t, item }),
    idempotencyKey: x.idempotencyKey!,
    attempt: x.attempt,
    own,
    resend: true,
    fresh: item.replace === true,
    adopt: (job) =>
      ctx.store.update((l) => {
        const y = l.videos[spec.id]!.translations[lang]!;
        y.idempotencyKey = job.idempotencyKey;
        y.attempt = job.attempt;
        if (job.remoteId) {
          y.status = 'submitted';
          y.remoteId = job.remoteId;
        }
      }),
  });
  if (!r) return undefined;
  if ('restored' in r) {
    const out = ctx.store.lock.videos[spec.id]!.translations[lang]!.output!;
    ctx.emit({ type: 'downloaded', id: item.id, path: out.path, size: out.size, sha256: out.sha256 });
    ctx.emit({ type: 'status', id: item.id, state: 'done', detail: FROM_STORE });
    return 'restored';
  }
  return 'remoteId' in r ? 'adopted' : undefined;
}
