/**
 * `validate` as a library call. Manifest problems are data, not exceptions: a program gets every
 * diagnostic of every file and decides. Only what stops validation itself throws: a broken config,
 * a path that does not exist, or nothing to validate (E_NO_MANIFESTS).
 */
import { HeygenBuildError, type Diagnostic } from '../errors.js';
import { configFolder, manifestPatterns, requireManifests } from '../config/discover.js';
import type { ResolvedConfig } from '../model/config.js';
import type { VideoSpec } from '../model/spec.js';
import { openProject, type ProjectOptions } from './project.js';

/** Options of `validate()`: those of a project. */
export type ValidateOptions = Omit<ProjectOptions, 'replace'>;

/** What `validate()` returns: whether there is no error, and every diagnostic with its place and fix. */
export interface ValidateResult {
  /** No diagnostic is an error (warnings allowed). */
  ok: boolean;
  /** Sorted by file, line and column; each with a code, a message, a hint and a code frame where known. */
  diagnostics: Diagnostic[];
  /** The manifest files checked (absolute paths, sorted). */
  files: string[];
  /** The videos of the valid manifests, defaults and aliases applied. */
  specs: readonly VideoSpec[];
  config: ResolvedConfig;
}

/** Checks config and manifests without calling HeyGen; throws only when no manifest matches the paths. */
export async function validate(opts: ValidateOptions = {}): Promise<ValidateResult> {
  const project = await openProject(opts, undefined, false);
  const cwd = opts.cwd ?? process.cwd();
  requireManifests(project.files, manifestPatterns(project.config, opts.paths ?? [], cwd), project.config.configFile !== undefined, configFolder(project.config, cwd));
  return {
    ok: !project.diagnostics.some((d) => d.severity === 'error'),
    diagnostics: project.diagnostics,
    files: project.files,
    specs: project.specs,
    config: project.config,
  };
}

/**
 * The error for "the manifests have errors": its diagnostics are the whole list. `consequence`
 * says what did not happen (`nothing was built`).
 */
export function invalidManifestsError(diagnostics: Diagnostic[], consequence?: string): HeygenBuildError {
  const n = diagnostics.filter((d) => d.severity === 'error').length;
  const what = `${n} error${n === 1 ? '' : 's'} in the manifests`;
  return new HeygenBuildError('E_INVALID_MANIFESTS', consequence ? `${what}: ${consequence}` : what, {
    hint: 'fix each error listed (file:line:col); `heygen-build validate` lists them all',
    diagnostics,
  });
}
