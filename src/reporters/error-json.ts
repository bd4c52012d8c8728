/**
 * The one JSON shape of a failure, for `validate --format json`, `plan --json` and `build --json`
 * (README "JSON errors"). Fields are added, never renamed.
 *
 *   error object   {code, message, hint?, file?, line?, column?, endLine?, endColumn?}
 *                  the fields of a JSON diagnostic without `severity`: absent when unknown
 *   document       {format_version: 1, error: <error object> | null, summary, diagnostics: [...]}
 *                  validate (always) and plan --json (on failure)
 *   NDJSON event   {type: 'error', at, ...<error object>, diagnostics: [...]}   build --json
 *
 * `diagnostics` lists every problem found. A failure that is not a list of manifest problems (a
 * broken config, a refused build) appears there too, as one error diagnostic, so a script can always
 * read `diagnostics` and `summary.errors > 0` exactly when the command failed on an error.
 */
import type { Diagnostic, ErrorCode } from '../errors.js';
import { asHeygenBuildError, errorDiagnostic, errorDiagnostics } from '../execute/failure.js';

export { asHeygenBuildError, errorDiagnostic };
import { summary, toJsonDiagnostic, type JsonDiagnostic, type JsonDiagnostics } from './diagnostics.js';

/** A command's error in the JSON shape shared by validate, plan and build. */
export type JsonError = Omit<JsonDiagnostic, 'severity' | 'code'> & { code: ErrorCode };

/** What a command prints with --json when it fails: the error (null when only diagnostics), summary and diagnostics. */
export interface JsonErrorDocument {
  format_version: 1;
  error: JsonError | null;
  summary: JsonDiagnostics['summary'];
  diagnostics: JsonDiagnostic[];
}

/** A failure as a JSON-lines build event. */
export type JsonErrorEvent = { type: 'error'; at: string } & JsonError & { diagnostics: JsonDiagnostic[] };

/** The error object: the same flat fields as a JSON diagnostic, minus `severity`. */
export function errorJson(e: unknown): JsonError {
  const { severity: _severity, ...rest } = toJsonDiagnostic(errorDiagnostic(asHeygenBuildError(e)));
  return rest as JsonError;
}

/**
 * The JSON document of a command: `error` null when it succeeded. `diagnostics` defaults to what
 * the error carries; pass them when the command has its own list (warnings of a valid run).
 */
export function errorDocument(e: unknown, diagnostics?: Diagnostic[]): JsonErrorDocument {
  const err = e === null || e === undefined ? undefined : asHeygenBuildError(e);
  const list = diagnostics ?? (err ? errorDiagnostics(err) : []);
  return {
    format_version: 1,
    error: err ? errorJson(err) : null,
    summary: summary(list),
    diagnostics: list.map(toJsonDiagnostic),
  };
}

/** The `build --json` event for a build that was refused or stopped before running. */
export function errorEvent(e: unknown, at: Date = new Date()): JsonErrorEvent {
  const err = asHeygenBuildError(e);
  return { type: 'error', at: at.toISOString(), ...errorJson(err), diagnostics: errorDiagnostics(err).map(toJsonDiagnostic) };
}
