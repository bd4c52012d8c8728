/**
 * `plan --out <file>`: the `plan --json` document saved for `build --plan` (src/plan/saved.ts), written
 * whole or not at all. The file is the user's own: never the lockfile, the config or a manifest.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PlanResult } from '../api/plan.js';
import { HeygenBuildError } from '../errors.js';
import { writeFileAtomic } from '../fsx/atomic.js';

/** Writes `json` to `out` (relative to `cwd`), after checking it is a file of its own. */
export async function savePlan(out: string, cwd: string, result: Pick<PlanResult, 'config' | 'specs'>, json: string): Promise<void> {
  const file = resolve(cwd, out);
  const { root, lockfile, configFile } = result.config;
  const taken =
    file === resolve(root, lockfile) ? 'the lockfile' : file === configFile ? 'the config' : result.specs.some((s) => resolve(root, s.source) === file) ? 'a manifest' : undefined;
  const folder = await stat(file).then((s) => s.isDirectory(), () => false);
  if (taken !== undefined || folder) {
    throw new HeygenBuildError('E_PLAN_FILE', `plan --out ${out}: that is ${taken ?? 'a folder'}; the plan was not saved`, {
      hint: 'give --out a file of its own, such as plan.json (it is replaced each time)',
    });
  }
  await writeFileAtomic(file, json);
}
