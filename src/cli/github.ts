/**
 * GitHub Actions: which output format a run gets by default, paths as the repository sees them (an
 * annotation is placed on a file by its path from the repository root, wherever the command ran), and
 * the job's step summary.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { escapeData, escapeProperty } from '../reporters/diagnostics.js';

/** Output formats of validate and plan. */
export type OutputFormat = 'human' | 'json' | 'github';

/** The format asked for, or `github` inside GitHub Actions (GITHUB_ACTIONS=true), else `human`. */
export function chooseFormat(asked: OutputFormat | undefined, env: NodeJS.ProcessEnv = process.env): OutputFormat {
  return asked ?? (env.GITHUB_ACTIONS === 'true' ? 'github' : 'human');
}

/** The git work tree `dir` is in (`git rev-parse --show-toplevel`), or undefined outside one or without git. */
export function repositoryRoot(dir: string): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Diagnostics with their files relative to the repository root instead of the project root `root`
 * (unchanged outside a git work tree, or for a file outside the repository).
 */
export function relativeToRepository(diags: Diagnostic[], root: string): Diagnostic[] {
  const path = repositoryPaths(root);
  return diags.map((d) => (d.location ? { ...d, location: { ...d.location, file: path(d.location.file) } } : d));
}

/**
 * A project-relative path (of the project at `root`) as the repository root sees it, for annotations;
 * as given outside a git work tree, or for a file outside the repository. Asks git once.
 */
export function repositoryPaths(root: string): (file: string) => string {
  const top = repositoryRoot(root);
  return (file) => {
    if (!top) return file;
    const rel = relative(top, resolve(root, file));
    return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
  };
}

/** A `::warning` workflow command: GitHub shows it as an annotation on the run. */
export function warningCommand(message: string, title: string): string {
  return `::warning title=${escapeProperty(title)}::${escapeData(message)}\n`;
}

/**
 * Appends Markdown to the job summary when GITHUB_STEP_SUMMARY names its file. A summary that cannot be
 * written is a warning on stderr, never a failed command: it is a report, not the work.
 */
export function writeStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, markdown.endsWith('\n') ? markdown : markdown + '\n');
  } catch (e) {
    process.stderr.write(`warning: could not write the step summary to ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
