/**
 * `heygen-build status`: what HeyGen says of each job the lockfile records in flight. Reads the
 * lockfile and asks HeyGen's bulk status lists; spends nothing, downloads nothing, takes no lock.
 * (A `--remote` store view can be added here beside the local one.)
 */
import { status, type JobStatus, type StatusReport } from '../api/status.js';
import { makeStyle, useColor, type Style } from '../reporters/style.js';
import { EXIT } from './exit.js';
import { withJsonErrors } from './json-error.js';
import type { GlobalOptions } from './options.js';
import { JSON_FORMAT_VERSION } from '../reporters/json-format.js';

/** The options `heygen-build status` accepts. */
export interface StatusFlags extends GlobalOptions {
  json?: boolean;
  /** `--timeout`: how long each request may go unanswered, in ms (default: the library's, 15 s). */
  timeout?: number;
}

/**
 * Runs `heygen-build status`; resolves to the exit code: 0 whatever the jobs' states, 3 (EXIT.STALE) when
 * HeyGen could not be reached and the lockfile's states are printed instead.
 */
export async function runStatus(flags: StatusFlags): Promise<number> {
  const report = await withJsonErrors(flags.json, () =>
    status({ cwd: flags.cwd, configFile: flags.config, ...(flags.timeout !== undefined ? { requestTimeoutMs: flags.timeout } : {}) }),
  );
  if (flags.json) process.stdout.write(JSON.stringify(statusJson(report), null, 2) + '\n');
  else {
    const u = report.unreachable;
    if (u) process.stderr.write(`warning: ${u.message}\n  hint: ${u.hint}\n`);
    process.stdout.write(formatStatus(report, makeStyle(useColor(process.stdout))));
  }
  return report.unreachable ? EXIT.STALE : EXIT.OK;
}

/** `status --json` (README "status"): fields are added, never renamed. */
export function statusJson(r: StatusReport): Record<string, unknown> {
  const count = (f: (j: JobStatus) => boolean): number => r.jobs.filter(f).length;
  return {
    format_version: JSON_FORMAT_VERSION,
    checkedAt: r.checkedAt,
    requests: r.requests,
    summary: {
      inFlight: r.jobs.length,
      finished: count((j) => j.remote === 'completed'),
      failed: count((j) => j.remote === 'failed'),
      rendering: count((j) => j.remote === 'queued' || j.remote === 'running'),
      unknown: count((j) => j.remote === 'unknown'),
    },
    /** W_STATUS_STALE when HeyGen could not be reached; often []. */
    warnings: r.unreachable ? [r.unreachable] : [],
    jobs: r.jobs,
  };
}

const WORDS: Record<JobStatus['remote'], string> = {
  queued: 'queued',
  running: 'rendering',
  completed: 'finished: build collects it',
  failed: 'failed',
  not_found: 'not found at HeyGen',
  unsent: 'intent recorded, no answer kept: build resends it with the same Idempotency-Key',
  unknown: 'submitted (last known: HeyGen could not be asked)',
};

function paint(style: Style, j: JobStatus): (s: string) => string {
  if (j.remote === 'completed') return style.green;
  if (j.remote === 'failed' || j.remote === 'not_found') return style.red;
  if (j.remote === 'unknown') return style.yellow;
  return style.cyan;
}

/** The human view: one line per job, then what to do next. */
export function formatStatus(r: StatusReport, style: Style): string {
  if (r.jobs.length === 0) return 'Nothing in flight: the lockfile records no unfinished HeyGen job.\n';
  const width = Math.max(...r.jobs.map((j) => j.id.length));
  const lines = r.jobs.map((j) => {
    const why = j.error ? `: ${j.error.message}` : '';
    return `  ${j.id.padEnd(width)}  ${j.kind.padEnd(11)}  ${(j.remoteId ?? '-').padEnd(32)}  ${paint(style, j)(WORDS[j.remote])}${why}`;
  });
  const finished = r.jobs.filter((j) => j.remote === 'completed' || j.remote === 'failed').length;
  const unknown = r.jobs.filter((j) => j.remote === 'unknown').length;
  const asked = unknown > 0 ? `HeyGen could not be reached: ${unknown} state${unknown === 1 ? '' : 's'} from the lockfile, maybe stale` : `asked HeyGen in ${r.requests} request${r.requests === 1 ? '' : 's'}`;
  const head = `${r.jobs.length} job${r.jobs.length === 1 ? '' : 's'} in flight (${asked}; nothing spent):`;
  const next = finished > 0 ? `${finished} finished: run \`heygen-build build\` to collect ${finished === 1 ? 'it' : 'them'} (no render is paid again).` : unknown > 0 ? 'None known to be finished: run `heygen-build status` again later.' : 'None finished yet.';
  return `${style.bold(head)}\n${lines.join('\n')}\n${next}\n`;
}
