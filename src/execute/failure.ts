/**
 * The one conversion from a thrown value to what a user reads: coded errors keep their code, hint and
 * place (and the diagnostics they carry); a full disk or a read-only folder is the user's to fix
 * (E_DISK_FULL, E_READ_ONLY, E_PERMISSION); an interrupt is E_INTERRUPTED; anything else is E_INTERNAL.
 * Per-item failures, watch runs and `validate`'s machine formats all go through here.
 */
import { isHeygenBuildError, type Diagnostic } from '../errors.js';
import { asUserError } from '../fsx/errors.js';

/** What a user reads about a thrown value: its code, message and hint, after the conversion described above. */
export function errorInfo(e: unknown): { code: string; message: string; hint?: string } {
  e = asUserError(e);
  // An error that carries diagnostics is summed up by its own code, not by its first finding's.
  if (isHeygenBuildError(e)) return { code: e.code, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}) };
  const [d] = errorDiagnostics(e);
  return { code: d!.code, message: d!.message };
}

/**
 * The diagnostics to report for a thrown value: those it carries, else one made from it, after the conversion above.
 */
export function errorDiagnostics(e: unknown): Diagnostic[] {
  e = asUserError(e);
  if (isHeygenBuildError(e)) {
    if (e.diagnostics.length > 0) return e.diagnostics;
    const d: Diagnostic = { severity: 'error', code: e.code, message: e.message };
    if (e.hint !== undefined) d.hint = e.hint;
    if (e.location) d.location = e.location;
    return [d];
  }
  if (e instanceof Error && e.name === 'AbortError') return [{ severity: 'error', code: 'E_INTERRUPTED', message: 'interrupted' }];
  return [{ severity: 'error', code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) }];
}
