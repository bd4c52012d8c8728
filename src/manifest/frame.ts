/** A code frame like vite's and babel's: two lines of context, line numbers, a `^` under the column. */

const CONTEXT = 2;

/** Lines longer than this are cut to a window around the column (a 5,000-character script line). */
const MAX_WIDTH = 160;

export function codeFrame(text: string, line: number, column: number, endColumn?: number): string {
  const lines = text.split(/\r?\n/);
  if (line < 1 || line > lines.length) return '';
  const first = Math.max(1, line - CONTEXT);
  const last = Math.min(lines.length, line + CONTEXT);
  const width = String(last).length;
  // One horizontal window for every line, so the context stays aligned with the marked line.
  const marked = lines[line - 1] ?? '';
  const shift = marked.length > MAX_WIDTH ? Math.max(0, Math.min(column - 1 - Math.floor(MAX_WIDTH / 4), marked.length - MAX_WIDTH)) : 0;
  const cut = (src: string): string => {
    if (src.length <= MAX_WIDTH && shift === 0) return src;
    if (src.length <= shift) return '';
    const body = src.slice(shift, shift + MAX_WIDTH);
    return `${shift > 0 ? '…' : ''}${body}${shift + MAX_WIDTH < src.length ? '…' : ''}`;
  };
  const lead = shift > 0 ? 1 : 0; // the '…' in front
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const src = (lines[n - 1] ?? '').replace(/\t/g, ' ');
    // A trailing empty line (the file's final newline) is noise after the marked line.
    if (n > line && n === lines.length && src === '') break;
    const gutter = String(n).padStart(width);
    out.push(`${n === line ? '>' : ' '} ${gutter} | ${cut(src)}`.trimEnd());
    if (n === line) {
      const col = Math.max(1, Math.min(column, src.length + 1));
      const end = endColumn !== undefined && endColumn > col ? Math.min(endColumn, src.length + 1, shift + MAX_WIDTH + 1) : col + 1;
      const pad = col - 1 - shift + lead;
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, pad))}${'^'.repeat(Math.max(1, end - col))}`);
    }
  }
  return out.join('\n');
}
