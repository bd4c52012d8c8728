/**
 * The one interface a build goes through. HeyGen and offline drafts each implement it; `plan`, `build`
 * and `watch` drive it the same way:
 *
 *   readState (I/O, once) -> plan() (pure) -> facts (I/O the checks need) -> check (pure) -> execute
 *
 * `plan` stops after `check`; `build` executes exactly the plan it checked.
 */
import type { Lockfile } from '../model/lock.js';
import type { Plan } from '../model/plan.js';
import type { ProviderName } from '../model/config.js';
import type { VideoSpec } from '../model/spec.js';
import type { TemplateDefinition } from '../model/template.js';
import type { Diagnostic, DiagnosticCode, SourceLocation } from '../errors.js';
import type { Catalog, VideoAgentStyle } from '../model/catalog.js';
import type { PlannerOptions } from '../plan/input.js';
import type { BuildCounts, EventSink } from './events.js';
import type { AssetRecord } from '../manifest/assets.js';

/** A provider a command actually runs with, after `auto` is decided. */
export type ProviderKind = Exclude<ProviderName, 'auto'>;

/** `plan` reads what is recorded; `build` also opens it for journaling (under the build lock). */
export type StateMode = 'plan' | 'build';

/** What is recorded for each item, in the lockfile's shape, and what is on disk. */
export interface ProviderState {
  /** Lockfile entries (HeyGen), or entries made from draft-cache hits (drafts). */
  readonly lock: Readonly<Lockfile>;
  /** Size of each output that exists, by project-relative path. */
  readonly outputs: ReadonlyMap<string, number>;
  /** HeyGen template definitions, by template id, for the planner's keys (templates only). */
  readonly templates?: ReadonlyMap<string, TemplateDefinition>;
  /**
   * A shard's lockfile as committed, when `lock` also holds the shard's own partial lockfile from an
   * earlier run: what every shard of the matrix reads alike, so the partition is planned from it.
   */
  readonly shardBase?: Readonly<Lockfile>;
}

/** What the checks need to know that costs I/O: gathered after planning, only when the plan needs it. */
export interface Facts {
  /** HeyGen's translation languages, when the plan pays for translations and the list could be had. */
  languages?: readonly string[];
  /** The account's remaining credits (build only). */
  remainingCredits?: number;
  /** HeyGen template definitions (templates only): `null` for a template HeyGen does not have. */
  templates?: ReadonlyMap<string, TemplateDefinition | null>;
  /** The account's avatar looks and voices, when the plan renders any scene and a catalog could be had. */
  catalog?: Catalog;
  /** Why there is no catalog (no key and no cache): said in one line, the checks are skipped. */
  catalogSkipped?: string;
  /** Video Agent's styles, when the plan pays for a prompt video with a `style:` and the list could be had. */
  styles?: readonly VideoAgentStyle[];
  /** Files the plan's scene clips, template renders or dubs would upload that HeyGen's asset upload would refuse, one entry per file (HeyGen v3). */
  uploads?: readonly RefusedUpload[];
}

/** A file HeyGen would not take: where each video to render uses it, and how to fix it (as the build says both). */
export interface RefusedUpload {
  /** One line per scene, template variable or dub source that uploads it, as the build's error says it (`videos/a.yaml, scene 1's background: …`, `videos/b.yaml, template variable "logo": …`, `videos/c.yaml:1:9: source: …`). */
  details: string[];
  hint: string;
}

/**
 * Where one of a problem's details can be fixed: a field of a manifest (a data path), or a key of the
 * config found by searching its text (`['avatars', 'presenter']`). The API turns it into file:line:col.
 */
export interface ProblemPlace {
  /** Project-relative. */
  file: string;
  path?: readonly (string | number)[];
  search?: readonly string[];
}

/**
 * What a check found. `error`: the input is wrong, `plan` and `build` both stop. `refusal`: a build
 * refuses before spending anything, `plan` shows it as a warning. `warning`: both go on and say it.
 * `note`: nothing is wrong, but the plan says what will happen (the voice an avatar speaks with by default).
 */
export type ProblemEffect = 'error' | 'refusal' | 'warning' | 'note';

/** Something that stops (or, for a warning, is reported before) a build, with a hint to fix it. */
export interface Problem {
  /** `E_…`, or a warning's `W_…` (a warning never stops a command). */
  code: DiagnosticCode;
  message: string;
  hint?: string;
  effect: ProblemEffect;
  /** One line per offending item, for plan warnings. */
  details: string[];
  /** Where each of `details` is, in the same order, when it can be pointed at. */
  places?: ProblemPlace[];
  /** `details` placed at file:line:col with code frames (filled by the API from `places`, or by the provider). */
  diagnostics?: Diagnostic[];
  /** The first offending translation, so the error can point at it in its manifest. */
  translation?: { source: string; language: string };
}

/**
 * Where the manifest declares video `spec`, or (with `scene`, 0-based) that scene of it: given by the API,
 * which reads manifests (src/manifest/place.ts), so that a failed render is reported at its place.
 */
export type PlaceVideo = (spec: VideoSpec, scene?: number) => SourceLocation | undefined;

/** What a provider's execute step gets: the event sink and the abort signals. */
export interface ExecuteContext {
  emit: EventSink;
  /** Where a failed video or scene is declared; unplaced without it. */
  place?: PlaceVideo;
  /** Aborted on the first Ctrl-C: stop submitting, record what is in flight, return. */
  signal: AbortSignal;
  failFast: boolean;
  /** Only some manifests were read: entries of the others are not orphans. */
  partial: boolean;
  /** What `facts` found for the checks (HeyGen's language names, for one). */
  facts: Facts;
  /**
   * What loading the manifests learnt of each local file, by project-relative path: its digest and what
   * its bytes are, as `facts` was given them. A check before an upload takes the verdict on the same bytes
   * from here instead of reading the file again.
   */
  assets?: ReadonlyMap<string, AssetRecord>;
  /** Do not wait for renders: `submit` (build --detach) or `collect` (the webhook receiver). HeyGen only. */
  detach?: 'submit' | 'collect';
  /** Take over stale remote-store claims (`build --take-over-stale`). */
  takeOverStale?: boolean;
}

/** How an execution ended: its counts and whether it was interrupted. */
export interface ExecuteResult {
  counts: BuildCounts;
  interrupted: boolean;
  /**
   * The lockfile still had merge-conflict markers at the end: the journal holding this build's records
   * instead (as messages name it, e.g. `heygen.lock.unmerged.yaml`), which the next build joins in.
   */
  unmerged?: string;
}

/** What the plan and build commands need from a render backend (HeyGen or local drafts), so they treat both alike. */
export interface Provider<S extends ProviderState = ProviderState> {
  readonly name: ProviderKind;
  /** Whether a build takes the project's build lock (it journals to the lockfile). */
  readonly journals: boolean;
  /** How this provider's plan reads: outputs, prices and wording. */
  readonly planOptions: PlannerOptions;
  readState(specs: readonly VideoSpec[], mode: StateMode): Promise<S>;
  /**
   * `specs` lets a check that found a miss in a cached copy ask again before reporting it; `assets`,
   * what loading the manifests learnt of their local files (by project-relative path), spares reading them.
   */
  facts(plan: Plan, mode: StateMode, signal?: AbortSignal, specs?: readonly VideoSpec[], assets?: ReadonlyMap<string, AssetRecord>): Promise<Facts>;
  /** Pure: the same checks for `plan` and `build`. */
  check(plan: Plan, specs: readonly VideoSpec[], facts: Facts): Problem[];
  /** Runs exactly `plan`, journaling every state change to `state`. */
  execute(plan: Plan, specs: readonly VideoSpec[], state: S, ctx: ExecuteContext): Promise<ExecuteResult>;
  /** Releases clients and connections. */
  close(): Promise<void>;
}
