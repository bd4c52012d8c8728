import { isHeygenBuildError } from '../errors.js';

/** A failure as the user should read it: coded errors keep their code; anything else is E_INTERNAL. */
export function errorInfo(e: unknown): { code: string; message: string; hint?: string } {
  if (isHeygenBuildError(e)) return { code: e.code, message: e.message, hint: e.hint };
  if (e instanceof Error && e.name === 'AbortError') return { code: 'E_INTERRUPTED', message: 'interrupted' };
  return { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
