/** What the planner is given: the specs, the lockfile, the outputs on disk, and how a provider's plan reads. */
import type { Lockfile } from '../model/lock.js';
import type { VideoSpec } from '../model/spec.js';
import type { TemplateDefinition } from '../model/template.js';
import type { Engine } from './estimate.js';

/** How a provider's plan reads: its outputs, prices and wording. */
export interface PlannerOptions {
  /** Credits are estimated at this engine's rates (`draft`: free). */
  engine: Engine;
  /** Where this provider writes an item whose HeyGen output is `output` (drafts: `<name>.draft.mp4`). */
  outputOf?: (output: string) => string;
  /** The reason given for an item with no record (default: not in the lockfile). */
  missingReason?: string;
  /** Videos are rendered scene by scene (HeyGen v3): plan and price each scene's clip. */
  scenes?: boolean;
}

/** What planning diffs: the specs, the lockfile, and which outputs exist on disk. */
export interface PlanInput extends PlannerOptions {
  specs: readonly VideoSpec[];
  lock: Readonly<Lockfile>;
  /** Size in bytes of each output file that exists, by project-relative path. */
  outputs: ReadonlyMap<string, number>;
  engine: Engine;
  /** Only some manifests were read (paths on the command line): do not call the rest orphans. */
  partial?: boolean;
  /** Ids (`video`, `video@lang`) to render again although unchanged (`--replace`, like terraform's). */
  replace?: ReadonlySet<string>;
  /** A remote store is configured: `--replace` says it bypasses the store (without one there is none to mention). */
  remote?: boolean;
  /** HeyGen template definitions by template id, as the provider read them (templates only). */
  templates?: ReadonlyMap<string, TemplateDefinition>;
  /** Seconds of each dubbed source probed locally, by its source key (`dubSourceKey`). */
  durations?: ReadonlyMap<string, number>;
}
