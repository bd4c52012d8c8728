/**
 * `status` as a library call: the remote state of every job the lockfile records in flight, from
 * HeyGen's bulk status lists (100 ids a request; never a per-job GET). Reads only: no lock, no
 * download, nothing spent. `build` collects what it finds finished. A HeyGen outage (5xx, timeouts,
 * 429s outlasting the retries) is no failure: the lockfile's states are reported, said to be stale.
 */
import { loadConfig, type LoadConfigOptions } from '../config/index.js';
import type { HeygenBuildError } from '../errors.js';
import { isTransientPollError, outageReason } from '../execute/heygen/outage.js';
import { askAgainHint, outageCause, outageHeadline } from '../providers/heygen/outage-cause.js';
import { lockfilePath } from '../execute/heygen/provider.js';
import { readLockfileWithJournal } from '../lockfile/store.js';
import type { VideoSpec } from '../model/spec.js';
import { inFlight, type JobKind } from '../webhooks/journal.js';
import type { BulkStatus, RemoteApiOptions } from '../webhooks/remote.js';
import { openProject } from './project.js';

/**
 * Options of `status()`: where the project is, and how long to wait for HeyGen (default: each request
 * may be silent 15 s, and is made twice: webhooks/remote.ts REMOTE_TIMEOUT_MS, REMOTE_ATTEMPTS).
 */
export type StatusOptions = LoadConfigOptions & RemoteApiOptions;

/** One job in flight and what HeyGen says of it. */
export interface JobStatus {
  /** The build's label: `video`, `video#2` (a scene clip), `video@es` (a translation). */
  id: string;
  kind: JobKind;
  remoteId?: string;
  /** The lockfile's word: `submitted`, or `pending` (the intent is recorded, the POST's answer was not). */
  local: 'pending' | 'submitted';
  /**
   * HeyGen's word, normalized; `unsent` when the lockfile has no remote id to ask about; `unknown` when
   * HeyGen could not be reached (`StatusReport.unreachable`): `local` is then its last known state.
   */
  remote: BulkStatus['status'] | 'unsent' | 'unknown';
  error?: { code?: string; message: string };
}

/** What `status()` found: each job in flight, and how many HTTP requests it took. */
export interface StatusReport {
  jobs: JobStatus[];
  requests: number;
  checkedAt: string;
  /** HeyGen could not be reached for some jobs (`remote: unknown`): why, and what to do (W_STATUS_STALE). */
  unreachable?: { code: 'W_STATUS_STALE'; message: string; hint: string };
}

/** The remote state of every job in flight, in as few requests as HeyGen's bulk lists allow. */
export async function status(opts: StatusOptions = {}): Promise<StatusReport> {
  const config = await loadConfig(opts);
  const lock = await readLockfileWithJournal(lockfilePath(config), { displayPath: config.lockfile });
  const jobs = inFlight(lock, await specsForLabels(opts, config));
  const checkedAt = new Date().toISOString();
  const asked = jobs.filter((j) => j.remoteId !== undefined);
  if (asked.length === 0) return { jobs: jobs.map((j) => toStatus(j, undefined)), requests: 0, checkedAt };
  // The HTTP layer loads only when there is something to ask: `import 'heygen-build'` stays light.
  const { RemoteApi } = await import('../webhooks/remote.js');
  const api = new RemoteApi(config, opts);
  try {
    const videoIds = asked.filter((j) => j.kind !== 'translation').map((j) => j.remoteId!);
    const translationIds = asked.filter((j) => j.kind === 'translation').map((j) => j.remoteId!);
    const videos = await askList(videoIds, (ids) => api.videoStatuses(ids));
    const translations = await askList(translationIds, (ids) => api.translationStatuses(ids));
    const found = (kind: JobKind, id: string): BulkStatus | 'unknown' => {
      const list = kind === 'translation' ? translations : videos;
      return list instanceof Map ? (list.get(id) ?? { status: 'not_found' }) : 'unknown';
    };
    const outage = [videos, translations].find((x): x is HeygenBuildError => !(x instanceof Map));
    return {
      jobs: jobs.map((j) => toStatus(j, j.remoteId !== undefined ? found(j.kind, j.remoteId) : undefined)),
      requests: api.requests,
      checkedAt,
      ...(outage ? { unreachable: staleWarning(outage) } : {}),
    };
  } finally {
    await api.close();
  }
}

/** One bulk list's answers; HeyGen down or overloaded is returned, not thrown (any other error is thrown). */
async function askList(ids: string[], list: (ids: string[]) => Promise<Map<string, BulkStatus>>): Promise<Map<string, BulkStatus> | HeygenBuildError> {
  if (ids.length === 0) return new Map();
  try {
    return await list(ids);
  } catch (e) {
    if (isTransientPollError(e)) return e;
    throw e;
  }
}

/**
 * W_STATUS_STALE, saying what happened: `HeyGen could not be reached at <address>: connection refused`
 * (what to check), `… no answer in time` (`--timeout`), `HeyGen answered with 5xx errors` (ask later).
 */
function staleWarning(e: HeygenBuildError): NonNullable<StatusReport['unreachable']> {
  // `GET /v3/videos/statuses: HTTP 502`, without the request's hundred ids or the client's retry count.
  const reason = outageReason(e).replace(/\?[^:\s]*/, '');
  const cause = outageCause(e);
  const again = askAgainHint(cause, 'heygen-build status');
  return {
    code: 'W_STATUS_STALE',
    message: `${outageHeadline(cause)} (${reason}): the states shown are the lockfile's, and may be stale`,
    hint: cause.kind === 'unreachable' ? again : `${again}; a \`build\` polls these jobs itself and waits out an outage`,
  };
}

function toStatus(j: ReturnType<typeof inFlight>[number], remote: BulkStatus | 'unknown' | undefined): JobStatus {
  const answer = remote === 'unknown' ? undefined : remote;
  return {
    id: j.label,
    kind: j.kind,
    ...(j.remoteId !== undefined ? { remoteId: j.remoteId } : {}),
    local: j.local === 'pending' ? 'pending' : 'submitted',
    remote: remote === 'unknown' ? 'unknown' : (answer?.status ?? 'unsent'),
    ...(answer?.error ? { error: answer.error } : {}),
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
