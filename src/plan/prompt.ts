/**
 * Planning a prompt video: priced at Video Agent's rate for the length the prompt states (or the default,
 * src/plan/prompt-seconds.ts), and said plainly to be unrepeatable, with the real length of the last
 * render next to the estimate once there is one.
 */
import type { LockEntry } from '../model/lock.js';
import { PAID_ACTIONS, type Action, type PromptEstimate } from '../model/plan.js';
import type { PromptSpec } from '../model/spec.js';
import { round2, VIDEO_AGENT_CREDITS_PER_SECOND, type Engine } from './estimate.js';

/** Said on every render of a prompt video, so nobody expects the same video twice. */
export const NOT_REPRODUCIBLE =
  'a prompt video is not reproducible: Video Agent writes a different video each time, so it is rendered only when its prompt or inputs change (or with --replace)';

/** Credits for `seconds` of Video Agent output at this engine's prices (a draft: none). */
export function promptCredits(seconds: number, engine: Engine): number {
  return engine === 'draft' ? 0 : round2(seconds * VIDEO_AGENT_CREDITS_PER_SECOND);
}

/** The estimate's basis and, after a render, the real length (from the lockfile). */
export function promptEstimate(p: PromptSpec, entry: LockEntry | undefined): PromptEstimate {
  const actual = entry?.status === 'completed' ? entry.durationSeconds : undefined;
  return { assumedSeconds: p.seconds, ...(p.statedAs !== undefined ? { statedAs: p.statedAs } : {}), ...(actual !== undefined ? { actualSeconds: actual } : {}) };
}

/** The lines a prompt video adds to its plan reasons. */
export function promptReasons(e: PromptEstimate, action: Action, rendersHere: boolean): string[] {
  const basis = e.statedAs !== undefined ? `"${e.statedAs}" in the prompt` : 'no length in the prompt: the default';
  const assumed = `length assumed ${e.assumedSeconds} s (${basis})`;
  const actual = e.actualSeconds !== undefined ? `; the last render was ${round2(e.actualSeconds)} s` : '';
  if (PAID_ACTIONS.has(action)) return [...(rendersHere ? [NOT_REPRODUCIBLE] : []), `${assumed}${actual}`];
  return e.actualSeconds !== undefined ? [`rendered ${round2(e.actualSeconds)} s (estimated ${e.assumedSeconds} s, ${basis})`] : [];
}
