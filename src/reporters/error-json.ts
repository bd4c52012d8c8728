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
import { HeygenBuildError, isHeygenBuildError, type Diagnostic, type ErrorCode } from '../errors.js';
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

/** Anything thrown, as a coded error: a bug becomes E_INTERNAL (its stack goes to stderr, not here). */
export function asHeygenBuildError(e: unknown): HeygenBuildError {
  if (isHeygenBuildError(e)) return e;
  if (e instanceof Error && e.name === 'AbortError') return new HeygenBuildError('E_INTERRUPTED', 'interrupted');
  return new HeygenBuildError('E_INTERNAL', e instanceof Error ? e.message : String(e), {
    hint: 'this is a bug in heygen-build: please report it with the command you ran',
  });
}

/** An error as a diagnostic (for the list, and for GitHub annotations). */
export function errorDiagnostic(e: HeygenBuildError): Diagnostic {
  const d: Diagnostic = { severity: 'error', code: e.code, message: e.message };
  if (e.hint !== undefined) d.hint = e.hint;
  if (e.location) d.location = e.location;
  return d;
}

/** The error object: the same flat fields as a JSON diagnostic, minus `severity`. */
export function errorJson(e: unknown): JsonError {
  const { severity: _severity, ...rest } = toJsonDiagnostic(errorDiagnostic(asHeygenBuildError(e)));
  return rest as JsonError;
}

/** The problems to list with an error: the ones it carries, else the error itself. */
function problems(e: HeygenBuildError): Diagnostic[] {
  return e.diagnostics.length > 0 ? e.diagnostics : [errorDiagnostic(e)];
}

/**
 * The JSON document of a command: `error` null when it succeeded. `diagnostics` defaults to what
 * the error carries; pass them when the command has its own list (warnings of a valid run).
 */
export function errorDocument(e: unknown, diagnostics?: Diagnostic[]): JsonErrorDocument {
  const err = e === null || e === undefined ? undefined : asHeygenBuildError(e);
  const list = diagnostics ?? (err ? problems(err) : []);
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
  return { type: 'error', at: at.toISOString(), ...errorJson(err), diagnostics: problems(err).map(toJsonDiagnostic) };
}
