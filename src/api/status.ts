/**
 * `status` as a library call: the remote state of every job the lockfile records in flight, from
 * HeyGen's bulk status lists (100 ids a request; never a per-job GET). Reads only: no lock, no
 * download, nothing spent. `build` collects what it finds finished.
 */
import { loadConfig, type LoadConfigOptions } from '../config/index.js';
import { lockfilePath } from '../execute/heygen/provider.js';
import { readLockfileWithJournal } from '../lockfile/store.js';
import type { VideoSpec } from '../model/spec.js';
import { inFlight, type JobKind } from '../webhooks/journal.js';
import type { BulkStatus } from '../webhooks/remote.js';
import { openProject } from './project.js';

/** Options of `status()`: where the project is. */
export type StatusOptions = LoadConfigOptions;

/** One job in flight and what HeyGen says of it. */
export interface JobStatus {
  /** The build's label: `video`, `video#2` (a scene clip), `video@es` (a translation). */
  id: string;
  kind: JobKind;
  remoteId?: string;
  /** The lockfile's word: `submitted`, or `pending` (the intent is recorded, the POST's answer was not). */
  local: 'pending' | 'submitted';
  /** HeyGen's word, normalized; `unsent` when the lockfile has no remote id to ask about. */
  remote: BulkStatus['status'] | 'unsent';
  error?: { code?: string; message: string };
}

/** What `status()` found: each job in flight, and how many HTTP requests it took. */
export interface StatusReport {
  jobs: JobStatus[];
  requests: number;
  checkedAt: string;
}

/** The remote state of every job in flight, in as few requests as HeyGen's bulk lists allow. */
export async function status(opts: StatusOptions = {}): Promise<StatusReport> {
  const config = await loadConfig(opts);
  const lock = await readLockfileWithJournal(lockfilePath(config), { displayPath: config.lockfile });
  const jobs = inFlight(lock, await specsForLabels(opts, config));
  const checkedAt = new Date().toISOString();
  const asked = jobs.filter((j) => j.remoteId !== undefined);
  if (asked.length === 0) return { jobs: jobs.map((j) => toStatus(j, undefined)), requests: 0, checkedAt };
  // The HTTP layer (undici) loads only when there is something to ask: `import 'heygen-build'` stays light.
  const { RemoteApi } = await import('../webhooks/remote.js');
  const api = new RemoteApi(config);
  try {
    const videoIds = asked.filter((j) => j.kind !== 'translation').map((j) => j.remoteId!);
    const translationIds = asked.filter((j) => j.kind === 'translation').map((j) => j.remoteId!);
    const videos = videoIds.length > 0 ? await api.videoStatuses(videoIds) : new Map<string, BulkStatus>();
    const translations = translationIds.length > 0 ? await api.translationStatuses(translationIds) : new Map<string, BulkStatus>();
    const found = (kind: JobKind, id: string): BulkStatus => (kind === 'translation' ? translations : videos).get(id) ?? { status: 'not_found' };
    return {
      jobs: jobs.map((j) => toStatus(j, j.remoteId !== undefined ? found(j.kind, j.remoteId) : undefined)),
      requests: api.requests,
      checkedAt,
    };
  } finally {
    await api.close();
  }
}

function toStatus(j: ReturnType<typeof inFlight>[number], remote: BulkStatus | undefined): JobStatus {
  return {
    id: j.label,
    kind: j.kind,
    ...(j.remoteId !== undefined ? { remoteId: j.remoteId } : {}),
    local: j.local === 'pending' ? 'pending' : 'submitted',
    remote: remote?.status ?? 'unsent',
    ...(remote?.error ? { error: remote.error } : {}),
  };
}

/** The manifests, only to name scene clips `<video>#<n>`: a project that does not load still gets its status. */
async function specsForLabels(opts: StatusOptions, config: Awaited<ReturnType<typeof loadConfig>>): Promise<readonly VideoSpec[]> {
  try {
    return (await openProject(opts, config)).specs;
  } catch {
    return [];
  }
}
