import { apiProblems, UNSUPPORTED_HINT } from '../api/expressible.js';
import { languageError } from '../api/languages.js';
import { planLanguages } from '../api/plan-languages.js';
import { planProject } from '../api/plan.js';
import { isHeygenBuildError } from '../errors.js';
import { hasChanges } from '../plan/plan.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { formatPlanHuman, planToJson } from '../reporters/plan.js';
import { useColor } from '../reporters/style.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './main.js';

export async function runPlan(
  paths: string[],
  opts: GlobalOptions & { json?: boolean; detailedExitcode?: boolean; all?: boolean; replace?: string[] },
): Promise<number> {
  const cwd = opts.cwd ?? process.cwd();
  let result;
  try {
    result = await planProject({ cwd, configFile: opts.config, paths, replace: opts.replace });
  } catch (e) {
    // Scripts reading --json get an answer too; the error boundary prints the human message.
    if (opts.json && isHeygenBuildError(e)) {
      process.stdout.write(JSON.stringify({ format_version: 1, error: e.message, code: e.code, hint: e.hint ?? null }) + '\n');
    }
    throw e;
  }
  if (!result.plan) {
    // Invalid manifests: no plan. Errors go to stderr so stdout stays parseable with --json.
    process.stderr.write(formatDiagnostics(result.diagnostics, 'human', { color: useColor(process.stderr) }) + '\n');
    if (opts.json) process.stdout.write(JSON.stringify({ format_version: 1, error: 'invalid manifests', diagnostics: result.diagnostics }) + '\n');
    return EXIT.ERROR;
  }
  const api = result.config.heygen.api;
  const warnings = apiProblems(result.plan, result.specs, api).map((p) => `HeyGen API ${api} cannot express ${p}`);
  const languages = await planLanguages(result.plan, result.config);
  if (languages.problems.length > 0) {
    // A build would refuse these before spending anything; so does plan.
    const err = languageError(languages.problems);
    if (opts.json) process.stdout.write(JSON.stringify({ format_version: 1, error: err.message, code: err.code }) + '\n');
    throw err;
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify({ ...(planToJson(result.plan) as object), warnings }, null, 2) + '\n');
  } else {
    process.stdout.write(formatPlanHuman(result.plan, { color: useColor(process.stdout), showUnchanged: opts.all ?? false }));
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    if (warnings.length > 0) process.stderr.write(`hint: a HeyGen build refuses these; ${UNSUPPORTED_HINT[api]}\n`);
  }
  if (opts.detailedExitcode) return hasChanges(result.plan) ? EXIT.CHANGES : EXIT.OK;
  return EXIT.OK;
}
