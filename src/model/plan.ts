/** A plan: data with a contract (see README "plan --json"). */

export type Action = 'create' | 'update' | 'unchanged' | 'orphan' | 'resume' | 'download';

/** Every plan action in display order, so reports and totals list them consistently. */
export const ACTIONS: readonly Action[] = ['create', 'update', 'unchanged', 'orphan', 'resume', 'download'];

/** The actions that start a new paid render. */
export const PAID_ACTIONS: ReadonlySet<Action> = new Set<Action>(['create', 'update']);

/** The predicted length and HeyGen credit cost of a render, shown in plans before anything is paid for. */
export interface Estimate {
  seconds: number;
  credits: number;
  /**
   * Priced free (`credits` 0) because the remote store has a record of the key: what rendering it costs
   * when a build cannot restore it after all. The build holds that against --max-credits before paying.
   */
  ifNotRestored?: number;
}

/**
 * What a scene of a rendered video needs: a new paid clip (`create`), one in flight (`resume`), a clip
 * already rendered for this content (`reuse`: free), or nothing from HeyGen (`local`: audio or silence).
 */
export type SceneAction = 'create' | 'resume' | 'reuse' | 'local';

/** The plan for one scene of a composed video: whether its clip must be rendered or can be reused. */
export interface ScenePlanItem {
  index: number;
  /** The clip's content key (absent for `local`). */
  key?: string;
  action: SceneAction;
  reasons: string[];
  estimate: Estimate;
}

/** A prompt video's length: what the estimate assumes, and why; the real length once rendered. */
export interface PromptEstimate {
  assumedSeconds: number;
  /** The words of the prompt that state the length; absent when the default was assumed. */
  statedAs?: string;
  /** The length of the render recorded in the lockfile. */
  actualSeconds?: number;
}

/** One line of a plan: what will happen to a video or translation and why, with its estimated cost. */
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
  /** `audio`: a voiceover, rendered as audio only (absent for videos). */
  media?: 'audio';
  /** Per scene, for a video rendered scene by scene (HeyGen v3): what each scene costs. */
  scenes?: ScenePlanItem[];
  /** A finished translation whose text layer alone is drawn again: nothing is sent to HeyGen. */
  recompose?: true;
  /**
   * Free although new here, so plans show it as `↓ restore`: `remote`, the remote store has a record of
   * this key (a build restores its files, or HeyGen's render the record names); `claim`, another
   * machine's claim of the key holds HeyGen's id (a build adopts that job). `action` stays what the
   * lockfile makes it (`create`/`update`): the build finds the record or the claim on that path.
   */
  restore?: 'remote' | 'claim';
  /**
   * `--replace` named it: rendered with HeyGen again, as promised, even when the remote store has its
   * key (priced, never a `restore`). Absent from `plan --json`.
   */
  replace?: true;
  /**
   * A reviewed translation (`review:` on its entry): `proofread` makes the SRT to review (output: the SRT),
   * `awaiting` waits for `review: approved` (nothing to do), `approved` renders the committed SRT.
   */
  review?: 'proofread' | 'awaiting' | 'approved';
  /** For a reviewed translation: the key of what it is made from (src/hash/proofread.ts keys its sessions on it). */
  sourceKey?: string;
  estimate: Estimate;
  /** For a row of a `rows:` manifest: its group (`welcome/*`), so plans can show rows together. */
  group?: string;
  /** A prompt video's length, assumed and (once rendered) actual. */
  prompt?: PromptEstimate;
}

/** The result of diffing manifests against the lockfile: every item plus the action counts and cost totals. */
export interface Plan {
  items: PlanItem[];
  /** `actions.restore`: the items marked `restore`, counted there instead of under their action (only when there are some). */
  totals: { actions: Record<Action, number> & { restore?: number }; seconds: number; credits: number };
}

/** One of N static shards of a build (`build --shard <index>/<count>`, index from 0). */
export interface Shard {
  index: number;
  count: number;
}
