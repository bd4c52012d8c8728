/**
 * The one place that decides about colour and writes ANSI styles (Node's `util.styleText`). Whether to
 * colour follows Node's own rules (`hasColors`): `FORCE_COLOR` wins (`0`/`false` turns colour off, any
 * other value on, even into a pipe), otherwise a TTY whose environment does not say `NO_COLOR`,
 * `NODE_DISABLE_COLORS` or `TERM=dumb`.
 */
import { WriteStream } from 'node:tty';
import { styleText } from 'node:util';

/** Plain functions (not methods): they are passed around on their own. */
export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
}

type Format = Parameters<typeof styleText>[0];

// validateStream: false because the decision was made once, by useColor(); styleText must not second-guess it.
const paint = (format: Format) => (s: string) => styleText(format, s, { validateStream: false });
const plain = (s: string): string => s;

/** Terminal styling functions; without colour they return the text unchanged. */
export function makeStyle(color: boolean): Style {
  return color
    ? { bold: paint('bold'), dim: paint('dim'), red: paint('red'), green: paint('green'), yellow: paint('yellow'), cyan: paint('cyan') }
    : { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
}

/**
 * Whether to colour a stream's output. `hasColors` is Node's reading of the environment; it is taken
 * from the TTY prototype so that a pipe can be asked too (FORCE_COLOR into a CI log).
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  // Called with an explicit `this` (the stream) below, so taking the method off its prototype is safe.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const hasColors = WriteStream.prototype.hasColors;
  if (env.FORCE_COLOR !== undefined) {
    // Only FORCE_COLOR is passed: with NO_COLOR also set, Node would print a warning about ignoring it.
    return hasColors.call(stream, 16, { FORCE_COLOR: env.FORCE_COLOR });
  }
  return Boolean(stream.isTTY) && hasColors.call(stream, 16, env);
}

/** Ends every style: what a redrawn line is cut at, so that colour does not bleed past it. */
export const RESET = '\u001b[0m';
