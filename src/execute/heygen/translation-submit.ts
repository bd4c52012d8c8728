/**
 * Sending a group of languages that share their options: one call on v3 (one job per language), one call
 * per language on v2. Same journal discipline as renders: the intent before the POST, each id after it.
 */
import { createHash } from 'node:crypto';
import { idempotencyKey } from '../../hash/index.js';
import type { TranslationLock } from '../../model/lock.js';
import type { VideoSpec } from '../../model/spec.js';
import type { TranslationSource } from '../../providers/heygen/index.js';
import type { RunContext } from './context.js';
import { claimedLanguages, claimLanguages, type LanguageWork } from './remote-translations.js';
import { putBackIntents } from './translation-intents.js';
import { translationSource } from './translation-source.js';
import { Interrupted, mayBeBilledTwice, sendsIdempotencyKey } from './video.js';

/** What sending a group did: whether a POST went out (a detached build then knows those jobs cannot be done yet), and the languages a stop kept from being sent (v2 only). */
export interface Sent {
  posted: boolean;
  unsent: ReadonlySet<string>;
}

const NOTHING_SENT: Sent = { posted: false, unsent: new Set() };

/** The POST about to go out for a group. */
interface Outgoing {
  idem: string;
  /** Manifest language -> HeyGen name, in the order sent. */
  send: [string, string][];
  /** The group's languages this build sends, sorted, that have no id yet. */
  open: LanguageWork[];
  /** Each language's record before this build journaled its intent (a new intent only: a resumed one stays). */
  before?: Map<string, TranslationLock | undefined>;
}

function groupIdempotencyKey(keys: string[], attempt: number): string {
  const digest = createHash('sha256').update([...keys].sort().join('\n')).digest('hex');
  return idempotencyKey(digest, attempt);
}

const byLanguage = (x: LanguageWork, y: LanguageWork): number => (x.t.language < y.t.language ? -1 : x.t.language > y.t.language ? 1 : 0);

/** The language's record in the lockfile, if it has one. */
function recordOf(ctx: RunContext, spec: VideoSpec, w: LanguageWork): TranslationLock | undefined {
  return ctx.store.lock.videos[spec.id]!.translations[w.t.language];
}

/**
 * Submits (or resumes) a group of languages and records their ids.
 *
 * A group is always sent sorted by language, and a recorded intent is resent exactly as it was
 * first sent (every language recorded under its Idempotency-Key, in that order): HeyGen replays
 * the first answer to a key, one id per language of the *first* request, whatever we send now.
 */
export async function submitGroup(ctx: RunContext, spec: VideoSpec, group: LanguageWork[]): Promise<Sent> {
  const open = group.filter((w) => !submitted(ctx, spec, w)).sort(byLanguage);
  if (open.length === 0) return NOTHING_SENT;
  if (ctx.stopped()) throw new Interrupted();
  // The source first (a dub's upload, a composition's base render): it may take a while, and a stop that
  // comes meanwhile must still keep the POST from going out.
  const url = await translationSource(ctx, spec);
  // The last moment to stop: once the intent is recorded, the POST follows.
  if (ctx.stopped()) throw new Interrupted();
  const resumed = resumedSend(ctx, spec, open);
  // Intents a killed build recorded without an answer: HeyGen may already have them.
  const unanswered = open.filter((w) => recordOf(ctx, spec, w)?.status === 'pending' && recordOf(ctx, spec, w)?.key === w.item.key);
  const replayed = resumed !== undefined && sendsIdempotencyKey(ctx);
  const out = resumed ?? (await newIntent(ctx, spec, open));
  if (!out) return NOTHING_SENT;
  const openByLang = new Map(out.open.map((w) => [w.t.language, w]));
  announce(ctx, out.open, unanswered, replayed);
  const ids = await postGroup(ctx, spec, url, out, openByLang);
  return recordAnswers(ctx, spec, out, ids, openByLang, replayed);
}

/** True when the language's id for this very content is already journaled. */
function submitted(ctx: RunContext, spec: VideoSpec, w: LanguageWork): boolean {
  const r = recordOf(ctx, spec, w);
  return Boolean(r && r.key === w.item.key && r.status === 'submitted' && r.remoteId);
}

/**
 * The POST that resumes an intent a killed build recorded (every open language pending for its content,
 * under one Idempotency-Key), or undefined when there is none to resume. Journals nothing.
 */
function resumedSend(ctx: RunContext, spec: VideoSpec, open: LanguageWork[]): Outgoing | undefined {
  const rec = (w: LanguageWork): TranslationLock | undefined => recordOf(ctx, spec, w);
  const pendingKeys = new Set(open.map((w) => rec(w)).filter((r) => r?.status === 'pending').map((r) => r!.idempotencyKey));
  const resumable = open.every((w) => rec(w)?.status === 'pending' && rec(w)?.key === w.item.key) && pendingKeys.size === 1;
  if (!resumable) return undefined;
  const idem = [...pendingKeys][0]!;
  if (ctx.client.api === 'v2') {
    // No replay in v2: resend only what has no id yet (one POST per language).
    return { idem, open, send: open.map((w) => [w.t.language, rec(w)!.language]) };
  }
  // Everything first sent under this key, whether still in the plan or not.
  const send = Object.entries(ctx.store.lock.videos[spec.id]!.translations)
    .filter(([, r]) => r.idempotencyKey === idem)
    .map(([lang, r]): [string, string] => [lang, r.language])
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return { idem, open, send };
}

/**
 * Journals a new intent for the open languages: one Idempotency-Key for the group, its attempt one past
 * the last for this content. With a remote store, only the languages this machine claims go on; undefined
 * when none does.
 */
async function newIntent(ctx: RunContext, spec: VideoSpec, open: LanguageWork[]): Promise<Outgoing | undefined> {
  const rec = (w: LanguageWork): TranslationLock | undefined => recordOf(ctx, spec, w);
  const attempt = Math.max(1, ...open.map((w) => (rec(w)?.key === w.item.key ? rec(w)!.attempt + 1 : 1)));
  const idem = groupIdempotencyKey(
    open.map((w) => w.item.key!),
    attempt,
  );
  // A language the plan resumes has no name resolved for this build: reuse the one its intent recorded.
  const heygenName = (w: LanguageWork): string => ctx.languageNames.get(w.t.language) ?? rec(w)?.language ?? w.t.language;
  const send = open.map((w): [string, string] => [w.t.language, heygenName(w)]);
  const before = new Map(open.map((w) => [w.t.language, rec(w)]));
  await ctx.store.update((l) => {
    const e = l.videos[spec.id]!;
    for (const w of open) {
      e.translations[w.t.language] = { key: w.item.key!, language: heygenName(w), status: 'pending', idempotencyKey: idem, attempt };
    }
  });
  if (!ctx.remote) return { idem, send, open, before };
  // Languages another machine is paying for are adopted or left to it (src/execute/heygen/remote-translations.ts).
  const mine = await claimLanguages(ctx, spec, open, idem, attempt, before);
  const kept = open.filter((w) => mine.has(w.t.language));
  if (kept.length === 0) return undefined;
  return { idem, send: send.filter(([lang]) => mine.has(lang)), open: kept, before };
}

/** Says the languages are being sent, and warns for each unanswered intent that is not replayed under its key. */
function announce(ctx: RunContext, open: LanguageWork[], unanswered: LanguageWork[], replayed: boolean): void {
  for (const w of open) ctx.emit({ type: 'status', id: w.item.id, state: 'submitting' });
  if (replayed) return;
  // v2 has no key at all; on v3 the group changed since, so the key did too.
  const reason = sendsIdempotencyKey(ctx) ? 'its group changed, so it goes with a new Idempotency-Key' : 'API v2 has no Idempotency-Key';
  for (const w of unanswered) ctx.emit({ type: 'warning', message: mayBeBilledTwice(w.item.id, reason) });
}

/** Sends the group's paid POST (v2: one per language). Returns HeyGen's ids in the order sent: on v2 after a stop, fewer. */
async function postGroup(ctx: RunContext, spec: VideoSpec, url: string | TranslationSource, out: Outgoing, openByLang: ReadonlyMap<string, LanguageWork>): Promise<string[]> {
  const names = out.send.map(([, name]) => name);
  const first = out.open[0]!.t;
  return ctx.client.createTranslations(url, names, {
    idempotencyKey: out.idem,
    callbackId: out.idem,
    mode: first.mode,
    captions: first.captions,
    audioOnly: first.audioOnly,
    ...(first.options ? { options: first.options } : {}),
    // v2 makes one paid POST per language: journal each id as it arrives. v3 answers all at once,
    // and all of them are journaled together after it (recordAnswers: never half a group).
    ...(ctx.client.api === 'v2'
      ? {
          onCreated: async (name: string, remoteId: string) => {
            const pair = out.send[names.indexOf(name)];
            if (pair) await recordIds(ctx, spec, openByLang, [[pair[0], remoteId]]);
          },
          // A stop between two of its POSTs keeps the rest of the group from going out, as for clips.
          stopped: () => ctx.stopped(),
        }
      : {}),
  });
}

/**
 * After HeyGen's answer: journals its ids, puts back the intents of languages a stop kept from being sent,
 * tells the remote store the ids, and announces each language submitted.
 */
async function recordAnswers(ctx: RunContext, spec: VideoSpec, out: Outgoing, ids: string[], openByLang: ReadonlyMap<string, LanguageWork>, replayed: boolean): Promise<Sent> {
  // v2 stopped part-way: the languages after the last id were never sent.
  const pairs = out.send.slice(0, ids.length).map(([lang], i): [string, string] => [lang, ids[i]!]);
  const unsent = out.send.slice(ids.length).map(([lang]) => lang);
  await recordIds(ctx, spec, openByLang, pairs);
  if (unsent.length > 0 && out.before) await putBackIntents(ctx, spec, unsent, out.before);
  if (ctx.remote) await claimedLanguages(ctx, spec, pairs);
  for (const [lang, remoteId] of pairs) {
    const w = openByLang.get(lang);
    if (w) ctx.emit({ type: 'submitted', id: w.item.id, remoteId, replayed });
  }
  return { posted: pairs.length > 0, unsent: new Set(unsent) };
}

/** Journals ids for the open languages among `pairs` (manifest language, remote id), in one save. */
async function recordIds(ctx: RunContext, spec: VideoSpec, openByLang: ReadonlyMap<string, LanguageWork>, pairs: [string, string][]): Promise<void> {
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
}
