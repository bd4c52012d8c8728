/** The one error boundary: user errors get a message and a hint; anything else is a bug with a stack. */
import { ERROR_CODES, isHeygenBuildError } from '../errors.js';
import { asUserError } from '../fsx/errors.js';
import { placedMessage } from '../execute/failure.js';
import { EXIT } from './exit.js';
import { makeStyle, useColor } from '../reporters/style.js';

/** A thrown value as text for stderr: a user error with its hint and place, anything else as a bug to report. */
export function formatError(error: unknown, color = false): string {
  const s = makeStyle(color);
  // A full disk or a read-only folder that no caller named is still the user's to fix, not a bug.
  const e = asUserError(error);
  if (isHeygenBuildError(e)) {
    // Some messages already start with their place; said once.
    let out = `${s.red('error')} ${s.dim(`[${e.code}]`)} ${placedMessage(e)}\n`;
    // An error raised without a hint of its own still gets its code's advice (README "Error codes").
    const hint = e.hint ?? ERROR_CODES[e.code];
    out += `  ${s.cyan('hint:')} ${hint}\n`;
    return out;
  }
  const stack = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return `${s.red('internal error')}: ${stack}\nThis is a bug in heygen-build: please report it with the command you ran.\n`;
}

/** Prints an error to stderr and returns the error exit code. */
export function reportError(e: unknown): number {
  process.stderr.write(formatError(e, useColor(process.stderr)));
  return EXIT.ERROR;
}
