/**
 * `build --json`: one JSON object per line (NDJSON), one per event, in order. The shapes are documented in
 * the README ("build --json events"); fields are added, never renamed.
 */
import type { BuildEvent } from '../execute/events.js';
import { planToJson } from './plan.js';

/** A build event as a timestamped JSON object, the `--json` event shape documented in the README. */
export function eventToJson(e: BuildEvent): Record<string, unknown> {
  const at = new Date().toISOString();
  if (e.type === 'plan') return { type: 'plan', at, provider: e.provider, plan: planToJson(e.plan), ...(e.shard ? { shard: e.shard } : {}) };
  return { ...e, at };
}

/** A build reporter writing one JSON object per line, for scripts and CI. */
export function jsonReporter(write: (s: string) => void): (e: BuildEvent) => void {
  return (e) => write(JSON.stringify(eventToJson(e)) + '\n');
}
