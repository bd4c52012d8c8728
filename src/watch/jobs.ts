/**
 * What a run has to do: every video and translation with its content key, and whether this watch has
 * already produced exactly that content at its output. Keys are the build's own (`draftJobs`), so a
 * watch re-renders exactly what `build` would.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { draftJobs } from '../execute/local.js';
import type { VideoSpec } from '../model/spec.js';
import { translationOutput } from '../model/outputs.js';
import type { PlannedItem, PlannedVideo } from './state.js';

/** What this watch last did for an item: the key it rendered (or tried to) and whether it worked. */
export interface Attempt {
  key: string;
  ok: boolean;
}

export interface WatchJob extends PlannedItem {
  spec: VideoSpec;
  /** Already in place from before this watch started: recorded as done without any work. */
  adopted?: boolean;
}

async function statFile(abs: string): Promise<NonNullable<PlannedItem['existing']> | undefined> {
  try {
    const s = await stat(abs);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** A complete draft in the cache: its size and digest. */
export type CachedLookup = (key: string) => Promise<{ size: number; sha256: string } | undefined>;

/**
 * Jobs for the specs. An item needs work when its key differs from the last attempt, or when its last
 * output was deleted since. A failed attempt is not retried until its content changes: saving another
 * file must not start the same failing render again. With `cached` (drafts), an output already in place
 * from an earlier session (the cached draft of this very key, same size) is adopted, not redone.
 */
export async function planJobs(
  root: string,
  specs: VideoSpec[],
  provider: 'local' | 'heygen',
  attempts: ReadonlyMap<string, Attempt>,
  cached?: CachedLookup,
): Promise<WatchJob[]> {
  const jobs = draftJobs(specs).map((j): WatchJob => {
    // HeyGen writes the real outputs; drafts take `<id>.draft.mp4`.
    const output = provider === 'local' ? j.output : j.language === undefined ? j.spec.output : translationOutput(j.spec.output, j.language);
    return { id: j.id, key: j.key, output, spec: j.spec, needsWork: true, ...(j.language !== undefined ? { language: j.language } : {}) };
  });
  await Promise.all(
    jobs.map(async (job) => {
      const existing = await statFile(resolve(root, job.output));
      if (existing) job.existing = existing;
      const last = attempts.get(job.id);
      if (last && last.key === job.key) {
        job.needsWork = last.ok && !existing;
        return;
      }
      const hit = existing && cached ? await cached(job.key) : undefined;
      if (existing && hit && hit.size === existing.size) {
        job.needsWork = false;
        job.adopted = true;
        existing.sha256 = hit.sha256;
        return;
      }
      job.needsWork = true;
    }),
  );
  return jobs;
}

/** Jobs grouped per video, for the state model. */
export function plannedVideos(jobs: WatchJob[]): PlannedVideo[] {
  const byId = new Map<string, PlannedVideo>();
  for (const { spec, adopted: _adopted, ...item } of jobs) {
    let v = byId.get(spec.id);
    if (!v) {
      v = { id: spec.id, source: spec.source, items: [], ...(spec.title !== undefined ? { title: spec.title } : {}) };
      byId.set(spec.id, v);
    }
    v.items.push(item);
  }
  return [...byId.values()];
}

/** The distinct specs that have at least one job needing work, in plan order. */
export function specsWithWork(jobs: WatchJob[]): VideoSpec[] {
  const seen = new Set<string>();
  const out: VideoSpec[] = [];
  for (const j of jobs) {
    if (!j.needsWork || seen.has(j.spec.id)) continue;
    seen.add(j.spec.id);
    out.push(j.spec);
  }
  return out;
}
