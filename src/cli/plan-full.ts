import { resolve } from 'node:path';
import { planProject, type PlanResult } from '../api/plan.js';
import { invalidManifestsError } from '../api/validate.js';
import { hasChanges } from '../plan/plan.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { errorDocument } from '../reporters/error-json.js';
import { formatPlanHuman, planToJson } from '../reporters/plan.js';
import { useColor } from '../reporters/style.js';
import { formatPlanMarkdown } from '../reporters/plan-markdown.js';
import { ERROR_CODES, isHeygenBuildError } from '../errors.js';
import { errorDiagnostics } from '../execute/failure.js';
import { EXIT } from './exit.js';
import { chooseFormat, relativeToRepository, warningCommand, writeStepSummary, type OutputFormat } from './github.js';
import type { FullPlan } from '../plan-cache/index.js';
import type { PlanFlags } from './plan-flags.js';

/**
 * Runs `heygen-build plan` in full, printing the plan for people or as JSON; resolves to the exit
 * code, and whether that output may be kept as the plan's snapshot (see src/plan-cache/).
 */
export async function runPlanFull(paths: string[], opts: PlanFlags): Promise<FullPlan> {
  const cwd = opts.cwd ?? process.cwd();
  const format = opts.json ? 'json' : chooseFormat(opts.format);
  const result = await planOrExplain(paths, opts, cwd, format);
  if (!result.plan) {
    // Invalid manifests: no plan. Errors go to stderr so stdout stays parseable with --json.
    if (format === 'github') process.stdout.write(formatDiagnostics(relativeToRepository(result.diagnostics, result.config.root), 'github'));
    else process.stderr.write(formatDiagnostics(result.diagnostics, 'human', { color: useColor(process.stderr) }) + '\n');
    if (format === 'json') process.stdout.write(JSON.stringify(errorDocument(invalidManifestsError(result.diagnostics)), null, 2) + '\n');
    return { code: EXIT.ERROR, keep: false };
  }
  const { warnings, notes } = result;
  const drafts = result.provider === 'local';
  if (result.notice) process.stderr.write(`note: ${result.notice}\n`);
  // The --json document, made once for the file and stdout alike (a 10,000-item plan is ~30 ms of JSON).
  const doc = format === 'json' || opts.out !== undefined ? JSON.stringify({ ...(planToJson(result.plan) as object), provider: result.provider, warnings, notes }, null, 2) + '\n' : '';
  if (opts.out !== undefined) await (await import('./plan-out.js')).savePlan(opts.out, cwd, result, doc);
  if (format === 'json') {
    process.stdout.write(doc);
  } else {
    process.stdout.write(formatPlanHuman(result.plan, { color: useColor(process.stdout), showUnchanged: opts.all ?? false, drafts }));
    for (const n of notes) process.stderr.write(`note: ${n}\n`);
    printProblems(result.problems, format);
  }
  // Formatted only for a step summary to write to (a 10,000-row table costs ~30 ms).
  if (process.env.GITHUB_STEP_SUMMARY) writeStepSummary(formatPlanMarkdown(result.plan, { drafts, warnings }));
  const code = opts.detailedExitcode && hasChanges(result.plan) ? EXIT.CHANGES : EXIT.OK;
  // Anything fetched or written elsewhere is not in the snapshot's keys: such a plan is not kept.
  const keep = !result.config.heygen.apiKey && !result.config.remote && !process.env.GITHUB_STEP_SUMMARY && !opts.refreshCatalog;
  // Every build rewrites the lockfile: the next plan's check of the snapshot starts there.
  const first = [resolve(result.config.root, result.config.lockfile)];
  return { code, keep, first, ...(result.config.configFile ? { configFile: result.config.configFile } : {}) };
}

/**
 * The project planned; a failure (a broken config, a failed check) is also written where the format's
 * reader looks (the JSON document on stdout; annotations in GitHub Actions), then thrown to the error boundary.
 */
async function planOrExplain(paths: string[], opts: PlanFlags, cwd: string, format: OutputFormat): Promise<PlanResult> {
  try {
    return await planProject({
      cwd,
      configFile: opts.config,
      paths,
      ...(opts.replace ? { replace: opts.replace } : {}),
      ...(opts.refreshCatalog ? { refreshCatalog: true } : {}),
      ...(opts.provider ? { provider: opts.provider } : {}),
      ...(opts.maxCredits !== undefined ? { overrides: { maxCredits: opts.maxCredits } } : {}),
    });
  } catch (e) {
    // Scripts reading --json get an answer too; the error boundary prints the human message.
    if (format === 'json') process.stdout.write(JSON.stringify(errorDocument(e), null, 2) + '\n');
    // In GitHub Actions, each finding of a failed check (a template's variables) is an annotation at its place.
    else if (format === 'github' && isHeygenBuildError(e)) process.stdout.write(formatDiagnostics(relativeToRepository(errorDiagnostics(e), cwd), 'github'));
    throw e;
  }
}

/**
 * Each problem's warnings, then its hint: several files to fix each get their own fix under them. In
 * GitHub Actions a warning is an annotation on the run (stdout: that is where the runner reads commands).
 */
function printProblems(problems: PlanResult['problems'], format: OutputFormat): void {
  for (const p of problems) {
    if (p.effect === 'note') continue;
    for (const w of p.details) {
      if (format === 'github') process.stdout.write(warningCommand(w, 'heygen-build plan'));
      else process.stderr.write(`warning: ${w}\n`);
    }
    // A finding without a hint of its own gets its code's advice, as in the JSON outputs.
    const hint = p.hint ?? ERROR_CODES[p.code];
    process.stderr.write(`hint: ${p.effect === 'refusal' ? `a build refuses this (${p.code}); ` : ''}${hint}\n`);
  }
}
