/**
 * The jobs a lockfile says are in flight at HeyGen (renders, scene clips, translations), each with the
 * label a build uses for it, and the lookup of a journal entry by the `callback_id` HeyGen echoes.
 *
 * Every paid request's `callback_id` is its Idempotency-Key (`hb-<key>-<attempt>`), recorded in the
 * lockfile before the POST: it names one video, one clip, or one group of translations.
 */
import type { LockStatus, Lockfile } from '../model/lock.js';
import type { VideoSpec } from '../model/spec.js';
import { sceneLabel, scenePlans } from '../plan/scenes.js';

/** What kind of HeyGen job a journal entry is. */
export type JobKind = 'video' | 'clip' | 'translation';

/** One job the lockfile records as sent (or about to be) and not finished. */
export interface JournalJob {
  /** `video`, `video#2` (a scene clip), `video@es` (a translation), or `clip <key>` for a clip no manifest uses. */
  label: string;
  kind: JobKind;
  local: LockStatus;
  remoteId?: string;
  callbackId?: string;
  /** The videos a finished job lets a build complete (a clip can serve several). */
  videos: string[];
}

/** Clip key -> the `<video>#<scene>` labels and video ids that use it. */
export function clipUsers(specs: readonly VideoSpec[]): Map<string, { labels: string[]; videos: string[] }> {
  const out = new Map<string, { labels: string[]; videos: string[] }>();
  for (const spec of specs) {
    if (spec.template || spec.dub) continue;
    for (const p of scenePlans(spec)) {
      if (!p.key) continue;
      const u = out.get(p.key) ?? { labels: [], videos: [] };
      u.labels.push(sceneLabel(spec.id, p.index));
      if (!u.videos.includes(spec.id)) u.videos.push(spec.id);
      out.set(p.key, u);
    }
  }
  return out;
}

/** Every journal entry in flight (`pending` or `submitted`), videos first, in lockfile order. */
export function inFlight(lock: Readonly<Lockfile>, specs: readonly VideoSpec[]): JournalJob[] {
  return allJobs(lock, specs).filter((j) => j.local === 'pending' || j.local === 'submitted');
}

/** Every journal entry with a remote job (any status): what a `callback_id` may name. */
export function allJobs(lock: Readonly<Lockfile>, specs: readonly VideoSpec[]): JournalJob[] {
  const jobs: JournalJob[] = [];
  const opt = (remoteId: string | undefined, callbackId: string | undefined): Partial<JournalJob> => ({
    ...(remoteId !== undefined ? { remoteId } : {}),
    ...(callbackId !== undefined ? { callbackId } : {}),
  });
  for (const [id, e] of Object.entries(lock.videos)) {
    // A composed video's own entry is no HeyGen job: its clips are.
    if (!e.composed) jobs.push({ label: id, kind: 'video', local: e.status, videos: [id], ...opt(e.remoteId, e.idempotencyKey) });
    for (const [lang, t] of Object.entries(e.translations)) {
      jobs.push({ label: `${id}@${lang}`, kind: 'translation', local: t.status, videos: [id], ...opt(t.remoteId, t.idempotencyKey) });
    }
  }
  const users = clipUsers(specs);
  for (const [key, c] of Object.entries(lock.clips ?? {})) {
    if (c.kind !== 'avatar') continue; // speech is answered at once: never in flight
    const u = users.get(key);
    jobs.push({ label: u?.labels.join(', ') ?? `clip ${key.slice(0, 12)}`, kind: 'clip', local: c.status, videos: u?.videos ?? [], ...opt(c.remoteId, c.idempotencyKey) });
  }
  return jobs;
}

/**
 * The journal entries a webhook event names: by `callback_id`, narrowed to the remote id when given
 * (a translation group shares one callback_id across its languages).
 */
export function jobsFor(lock: Readonly<Lockfile>, specs: readonly VideoSpec[], callbackId: string, remoteId?: string): JournalJob[] {
  const named = allJobs(lock, specs).filter((j) => j.callbackId === callbackId);
  if (remoteId === undefined) return named;
  const exact = named.filter((j) => j.remoteId === remoteId);
  // An intent recorded without its id yet (killed between POST and journal): the callback_id alone names it.
  return exact.length > 0 ? exact : named.filter((j) => j.remoteId === undefined);
}
