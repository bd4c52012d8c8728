/**
 * A build settles what a merge left open: for every video and translation it plans, the record whose
 * key the manifest has becomes the entry, and the other alternates go, as an older render's record goes
 * when a video is rebuilt. The executor then reads one record per id, as it always has.
 */
import { pickRecord, type LockEntry, type Lockfile, type TranslationLock } from '../model/lock.js';
import type { Plan, PlanItem } from '../model/plan.js';

/** Whether any planned item has alternates to settle (so a build without any saves nothing). */
export function hasAlternates(lock: Readonly<Lockfile>, plan: Plan): boolean {
  return plan.items.some((i) => {
    const e = lock.videos[i.videoId];
    return e !== undefined && (e.alternates !== undefined || Object.values(e.translations).some((t) => t.alternates !== undefined));
  });
}

/** Settles the plan's items in `lock` (mutates it: run inside LockStore.update). */
export function settleAlternates(lock: Lockfile, plan: Plan): void {
  const byVideo = new Map<string, PlanItem[]>();
  for (const i of plan.items) if (i.key !== undefined) byVideo.set(i.videoId, [...(byVideo.get(i.videoId) ?? []), i]);
  for (const [id, items] of byVideo) {
    const entry = lock.videos[id];
    if (!entry) continue;
    if (entry.alternates) lock.videos[id] = withoutAlternates(chooseEntry(entry, items));
    const chosen = lock.videos[id]!;
    for (const t of items) {
      const rec = t.language === undefined ? undefined : chosen.translations[t.language];
      if (rec?.alternates) chosen.translations[t.language!] = withoutAlternates(pickRecord(rec, t.key!)!);
    }
  }
}

/**
 * The video's record of the planned key; for a dub, which plans languages only, the record whose
 * languages have the most of the planned keys (the source is the same for all of them).
 */
function chooseEntry(entry: LockEntry, items: readonly PlanItem[]): LockEntry {
  const video = items.find((i) => i.kind === 'video');
  if (video) return pickRecord(entry, video.key!)!;
  const candidates = [entry, ...Object.values(entry.alternates ?? {})];
  const score = (e: LockEntry): number => items.filter((i) => i.language !== undefined && e.translations[i.language]?.key === i.key).length;
  return candidates.reduce((best, e) => (score(e) > score(best) ? e : best));
}

function withoutAlternates<R extends LockEntry | TranslationLock>(r: R): R {
  const { alternates: _dropped, ...rest } = r;
  return rest as R;
}
