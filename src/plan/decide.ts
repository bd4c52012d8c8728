/**
 * The planner's decision for one artefact (a video, a translation, a proofread): what to do, given its
 * key and what the lockfile records of it. Shared by plan.ts and the dub and review planners.
 */
import type { LockEntry, TranslationLock } from '../model/lock.js';
import type { Action } from '../model/plan.js';
import type { PlanInput } from './input.js';

/** What to do about one artefact, and why. */
export interface Decision {
  action: Action;
  reasons: string[];
  /** A resumed intent whose POST may never have reached HeyGen: counted at full price, to be safe. */
  mayPay?: boolean;
  /** Only the text layer is drawn again: nothing is paid. */
  recompose?: boolean;
}

/**
 * What an artefact is, in a reason's words ("previous translation failed"): a video rendered whole is a
 * `render` (a template's too); a prompt video, a voiceover, a translation, a dub's language and a proofread
 * are named so.
 */
export type ArtefactNoun = 'render' | 'prompt video' | 'voiceover' | 'translation' | 'dub' | 'proofread';

/** What to do about one artefact (`what`) whose key is `key`, given what the lockfile says. */
export function decide(
  input: PlanInput,
  id: string,
  key: string,
  rec: Pick<LockEntry | TranslationLock, 'key' | 'status' | 'remoteId' | 'output' | 'captions' | 'error' | 'attempt'> | undefined,
  output: string,
  changed: () => string[],
  what: ArtefactNoun,
): Decision {
  const { replace, outputs } = input;
  if (!rec) return { action: 'create', reasons: [input.missingReason ?? 'not in the lockfile'] };
  if (rec.key !== key) {
    const reasons = changed();
    if (rec.status === 'pending' || rec.status === 'submitted') {
      reasons.push(`changed while in flight${rec.remoteId ? ` (remote ${rec.remoteId})` : ''}: submitted again`);
    }
    return { action: 'update', reasons: reasons.length > 0 ? reasons : ['content key changed'] };
  }
  if (replace?.has(id) && (rec.status === 'completed' || rec.status === 'failed')) {
    return { action: 'update', reasons: ['replacement requested (--replace): rendered again as a new attempt'] };
  }
  switch (rec.status) {
    case 'pending':
      return {
        action: 'resume',
        reasons: ['intent recorded, answer not recorded: resent with the same Idempotency-Key'],
        mayPay: true,
      };
    case 'submitted':
      return { action: 'resume', reasons: [`submitted as ${rec.remoteId ?? '?'}, not finished`] };
    case 'failed':
      return {
        action: 'create',
        reasons: [`previous ${what} failed${rec.error ? `: ${rec.error.message}` : ''}; retrying as attempt ${rec.attempt + 1}`],
      };
    case 'completed': {
      const size = outputs.get(output);
      if (size === undefined) return { action: 'download', reasons: [`${output} is missing: restored without a new render`] };
      // No record of the file, or a different one: the file on disk is not known to be this render.
      if (!rec.output || rec.output.path !== output || rec.output.size !== size) {
        return { action: 'download', reasons: [`${output} does not match the recorded render: restored`] };
      }
      if (rec.captions && outputs.get(rec.captions.path) !== rec.captions.size) {
        return { action: 'download', reasons: [`${rec.captions.path} is missing or changed: restored`] };
      }
      return { action: 'unchanged', reasons: [] };
    }
  }
}
