/**
 * The flags of `heygen-build plan`, apart from both halves of the command: plan.ts (the snapshot path,
 * which imports the planner only lazily) and plan-full.ts (the full plan) take them from here.
 */
import type { ProviderName } from '../model/config.js';
import type { OutputFormat } from './github.js';
import type { GlobalOptions } from './options.js';

/** The options `heygen-build plan` accepts. */
export interface PlanFlags extends GlobalOptions {
  provider?: ProviderName;
  maxCredits?: number;
  json?: boolean;
  format?: OutputFormat;
  detailedExitcode?: boolean;
  all?: boolean;
  replace?: string[];
  refreshCatalog?: boolean;
  /** `--no-snapshot`: plan in full, neither reading nor writing the snapshot. */
  snapshot?: boolean;
  /** `--out <file>`: also write the `--json` document there (a saved plan for `build --plan`). */
  out?: string;
}
