/** A plan: data with a contract (see README "plan --json"). */

export type Action = 'create' | 'update' | 'unchanged' | 'orphan' | 'resume' | 'download';

export const ACTIONS: readonly Action[] = ['create', 'update', 'unchanged', 'orphan', 'resume', 'download'];

/** The actions that start a new paid render. */
export const PAID_ACTIONS: ReadonlySet<Action> = new Set<Action>(['create', 'update']);

export interface Estimate {
  seconds: number;
  credits: number;
}

export interface PlanItem {
  kind: 'video' | 'translation';
  /** `<videoId>` for videos, `<videoId>@<language>` for translations. */
  id: string;
  videoId: string;
  language?: string;
  action: Action;
  /** The content key now (absent for orphans). */
  key?: string;
  /** The key recorded in the lockfile, when there is one. */
  previousKey?: string;
  /** Why this action: changed parts for updates, remote state for resume/download. */
  reasons: string[];
  /** The manifest file (absent for orphans). */
  source?: string;
  output: string;
  estimate: Estimate;
}

export interface Plan {
  items: PlanItem[];
  totals: { actions: Record<Action, number>; seconds: number; credits: number };
}
