/** Units people read in build output: sizes, durations, and lines cut to the terminal's width. */
import { RESET } from './style.js';

/** A file size as people read it: `812 B`, `340 KB`, `12.4 MB`, `1.25 GB` (powers of 1000, as file managers show). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${Math.round(n / 1000)} KB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** An elapsed time, exact to the second: `45s`, `5m10s`, `1h02m`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A time still to wait, rounded as an estimate deserves: `40s`, `6m`, `1h05m`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${Math.max(1, Math.round(s / 10) * 10)}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Columns a code point takes in a terminal: 2 for East Asian wide and emoji, 0 for combining marks. */
function cellWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

// An ANSI escape sequence (CSI ... final byte): zero columns wide.
// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const CSI = /^\u001b\[[0-?]*[ -/]*[@-~]/;

/** The columns a line takes on screen, escape sequences excluded. */
export function visibleWidth(line: string): number {
  let w = 0;
  for (let i = 0; i < line.length; ) {
    const esc = line[i] === '\u001b' ? CSI.exec(line.slice(i)) : null;
    if (esc) {
      i += esc[0].length;
      continue;
    }
    const cp = line.codePointAt(i)!;
    w += cellWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return w;
}

/**
 * `line` cut to at most `columns` columns (escape sequences kept, ending in `…`), so that a redrawn
 * line never wraps: a wrapped line takes two rows, and redrawing in place would leave the second one behind.
 */
export function fitWidth(line: string, columns: number): string {
  if (visibleWidth(line) <= columns) return line;
  const room = Math.max(0, columns - 1);
  let out = '';
  let w = 0;
  let styled = false;
  for (let i = 0; i < line.length; ) {
    const esc = line[i] === '\u001b' ? CSI.exec(line.slice(i)) : null;
    if (esc) {
      out += esc[0];
      styled = true;
      i += esc[0].length;
      continue;
    }
    const cp = line.codePointAt(i)!;
    const cw = cellWidth(cp);
    if (w + cw > room) break;
    out += String.fromCodePoint(cp);
    w += cw;
    i += cp > 0xffff ? 2 : 1;
  }
  return `${out}${styled ? RESET : ''}…`;
}
