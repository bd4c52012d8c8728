/** Durations on the command line: `gc --older-than`, `status --timeout` and `webhooks register|list|delete --timeout`. A number with a unit, as milliseconds. */
import { InvalidArgumentError } from 'commander';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m` as 1,800,000; undefined when `v` is not a number with a unit (or `0`, which needs none). */
function milliseconds(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m || (m[2] === undefined && Number(m[1]) !== 0)) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? 'ms']!;
}

/** `gc --older-than`: `0`, or a number with a unit (`90s`, `30m`, `12h`, `7d`), as milliseconds. */
export function parseAgeFlag(v: string): number {
  const ms = milliseconds(v);
  if (ms === undefined) throw new InvalidArgumentError('must be 0 or a number with a unit: ms, s, m, h or d (e.g. 30m, 7d)');
  return ms;
}

/** The longest request timeout taken: a day (Node's timers stop at about 24.8 days, and fire at once beyond). */
const MAX_TIMEOUT_MS = 86_400_000;

/** `--timeout` (`status`, `webhooks register|list|delete`): a number with a unit (`500ms`, `30s`, `2m`), more than 0 and at most a day, as whole milliseconds. */
export function parseTimeoutFlag(v: string): number {
  const ms = milliseconds(v);
  if (ms === undefined || ms < 1 || ms > MAX_TIMEOUT_MS) throw new InvalidArgumentError('must be a number with a unit: ms, s, m or h (e.g. 500ms, 30s, 2m), from 1ms to 24h');
  return Math.round(ms);
}
