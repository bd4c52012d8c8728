/**
 * The one conversion from a thrown value to what a user reads: coded errors keep their code, hint and
 * place (and the diagnostics they carry); a full disk or a read-only folder is the user's to fix
 * (E_DISK_FULL, E_READ_ONLY, E_PERMISSION); an interrupt is E_INTERRUPTED; anything else is E_INTERNAL.
 * Per-item failures, watch runs and the JSON error documents all go through here.
 */
import { HeygenBuildError, isHeygenBuildError, type Diagnostic, type ErrorCode, type SourceLocation } from '../errors.js';
import { asUserError } from '../fsx/errors.js';
import type { BuildEvent } from './events.js';

/** Anything thrown, as a coded error: a bug becomes E_INTERNAL (its stack goes to stderr, never to JSON). */
export function asHeygenBuildError(e: unknown): HeygenBuildError {
  e = asUserError(e);
  if (isHeygenBuildError(e)) return e;
  if (e instanceof Error && e.name === 'AbortError') return new HeygenBuildError('E_INTERRUPTED', 'interrupted');
  return new HeygenBuildError('E_INTERNAL', e instanceof Error ? e.message : String(e), {
    hint: 'this is a bug in heygen-build: please report it with the command you ran',
  });
}

/** An error as one diagnostic (for lists and GitHub annotations). */
export function errorDiagnostic(e: HeygenBuildError): Diagnostic {
  const d: Diagnostic = { severity: 'error', code: e.code, message: e.message };
  if (e.hint !== undefined) d.hint = e.hint;
  if (e.location) d.location = e.location;
  return d;
}

/** The problems to list for a failure: the diagnostics it carries, else the error itself. */
export function errorDiagnostics(e: unknown): Diagnostic[] {
  const err = asHeygenBuildError(e);
  return err.diagnostics.length > 0 ? err.diagnostics : [errorDiagnostic(err)];
}

/** The error's message after its place (`file:line:col: …`) when it has one the message does not already say. */
export function placedMessage(e: HeygenBuildError): string {
  const loc = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}` : '';
  return loc && !e.message.includes(loc) ? `${loc}: ${e.message}` : e.message;
}

/**
 * A failure summed up by its own code (not by its first finding's), for events and lockfile errors. Its
 * place leads the message, as on the command line: an item's failure is often all a user sees of it.
 */
export function errorInfo(e: unknown): { code: string; message: string; hint?: string } {
  const err = asHeygenBuildError(e);
  return { code: err.code, message: placedMessage(err), ...(err.hint !== undefined ? { hint: err.hint } : {}) };
}

/**
 * An item's `failed` event: its code, and its message led by its place and ending with `(hint: …)` when
 * it has one, and the place as `file`, `line`, `column`. Every item reports a failure so (videos, scene
 * clips, translations, dubs, drafts): the event is often all a user or a script sees of it.
 */
export function failedEvent(id: string, e: unknown): Extract<BuildEvent, { type: 'failed' }> {
  const info = errorInfo(e);
  const message = info.hint ? `${info.message} (hint: ${info.hint})` : info.message;
  return { type: 'failed', id, code: info.code, message, ...placeFields(asHeygenBuildError(e).location) };
}

/** A place as a `failed` event's fields (none without one). */
export function placeFields(at: SourceLocation | undefined): { file?: string; line?: number; column?: number } {
  return at ? { file: at.file, line: at.line, column: at.column } : {};
}

/** Failures whose cause is the video or scene as the manifest declares it: HeyGen failed or refused its render. */
const DECLARED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['E_RENDER_FAILED', 'E_HEYGEN_REJECTED']);

/**
 * `e` placed where the manifest declares what failed (`where()`, asked only then), when it is a render
 * HeyGen failed or refused and has no place yet; otherwise `e` itself. A new error: a scene clip's
 * failure is shared by every video with that clip, each placed at its own scene.
 */
export function placedFailure(e: unknown, where: () => SourceLocation | undefined): unknown {
  if (!isHeygenBuildError(e) || e.location || !DECLARED.has(e.code)) return e;
  const location = where();
  if (!location) return e;
  return new HeygenBuildError(e.code, e.message, { ...(e.hint !== undefined ? { hint: e.hint } : {}), location, diagnostics: e.diagnostics, cause: e });
}
