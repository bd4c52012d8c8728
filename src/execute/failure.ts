import { isHeygenBuildError } from '../errors.js';
import { asUserError } from '../fsx/errors.js';

/** A failure as the user should read it: coded errors keep their code; anything else is E_INTERNAL. */
export function errorInfo(e: unknown): { code: string; message: string; hint?: string } {
  e = asUserError(e); // a full disk or read-only folder is the user's to fix: E_DISK_FULL, not E_INTERNAL
  if (isHeygenBuildError(e)) return { code: e.code, message: e.message, hint: e.hint };
  if (e instanceof Error && e.name === 'AbortError') return { code: 'E_INTERRUPTED', message: 'interrupted' };
  return { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
