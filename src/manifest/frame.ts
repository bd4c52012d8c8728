/** A code frame like vite's and babel's: two lines of context, line numbers, a `^` under the column. */

const CONTEXT = 2;

/** How a tab shows in a frame: one visible character, so the caret's column still counts characters. */
export const TAB_MARK = '→';

/** Lines longer than this are cut to a window around the column (a 5,000-character script line). */
const MAX_WIDTH = 160;

/**
 * A file's text with the offset of each line start, found once. A file with thousands of
 * problems gets thousands of frames: splitting the whole text for each one made that quadratic.
 * Lines are split at `\n` and lose a trailing `\r`, like `text.split(/\r?\n/)`.
 */
export class SourceLines {
  private starts: number[] | undefined;

  constructor(readonly text: string) {}

  private index(): number[] {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  get count(): number {
    return this.index().length;
  }

  /** Line `n` (1-based) without its line break; '' past the end. */
  line(n: number): string {
    const starts = this.index();
    const start = starts[n - 1];
    if (start === undefined) return '';
    const next = starts[n];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.charCodeAt(end - 1) === 13 && end > start ? this.text.slice(start, end - 1) : this.text.slice(start, end);
  }
}

/**
 * A few lines of source around line:column with a caret under the problem, for terminal output; empty when the line is
 * out of range.
 */
export function codeFrame(source: string | SourceLines, line: number, column: number, endColumn?: number): string {
  const lines = typeof source === 'string' ? new SourceLines(source) : source;
  const count = lines.count;
  if (line < 1 || line > count) return '';
  const first = Math.max(1, line - CONTEXT);
  const last = Math.min(count, line + CONTEXT);
  const width = String(last).length;
  // One horizontal window for every line, so the context stays aligned with the marked line.
  const marked = lines.line(line);
  const shift = marked.length > MAX_WIDTH ? Math.max(0, Math.min(column - 1 - Math.floor(MAX_WIDTH / 4), marked.length - MAX_WIDTH)) : 0;
  const cut = (src: string): string => {
    if (src.length <= MAX_WIDTH && shift === 0) return src;
    if (src.length <= shift) return '';
    const body = src.slice(shift, shift + MAX_WIDTH);
    return `${shift > 0 ? '…' : ''}${body}${shift + MAX_WIDTH < src.length ? '…' : ''}`;
  };
  const lead = shift > 0 ? 1 : 0; // the '…' in front
  const out: string[] = [];
  let tabs = false;
  for (let n = first; n <= last; n++) {
    const raw = lines.line(n);
    // A tab shown as a space hides the very thing that is often wrong (YAML indentation).
    if (raw.includes('\t')) tabs = true;
    const src = raw.replace(/\t/g, TAB_MARK);
    // A trailing empty line (the file's final newline) is noise after the marked line.
    if (n > line && n === count && src === '') break;
    const gutter = String(n).padStart(width);
    out.push(`${n === line ? '>' : ' '} ${gutter} | ${cut(src)}`.trimEnd());
    if (n === line) {
      const col = Math.max(1, Math.min(column, src.length + 1));
      const end = endColumn !== undefined && endColumn > col ? Math.min(endColumn, src.length + 1, shift + MAX_WIDTH + 1) : col + 1;
      const pad = col - 1 - shift + lead;
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, pad))}${'^'.repeat(Math.max(1, end - col))}`);
    }
  }
  if (tabs) out.push(`  ${' '.repeat(width)} = ${TAB_MARK} is a tab`);
  return out.join('\n');
}
