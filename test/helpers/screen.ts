/**
 * A tiny terminal: enough of VT100 to replay what a reporter wrote (text, newlines, autowrap at the
 * width, cursor up, erase to the end of the screen) and see what a person would see on the screen.
 */
export function replay(output: string, columns: number): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  const at = (r: number): string[] => {
    while (rows.length <= r) rows.push([]);
    return rows[r]!;
  };
  for (let i = 0; i < output.length; i++) {
    const ch = output[i]!;
    if (ch === '\u001b') {
      // eslint-disable-next-line no-control-regex -- matching the escape character is the point
      const m = /^\u001b\[([0-9;]*)([A-Za-z])/.exec(output.slice(i));
      if (!m) continue;
      i += m[0].length - 1;
      const n = Number(m[1] || '0');
      if (m[2] === 'A') row = Math.max(0, row - Math.max(1, n));
      else if (m[2] === 'J') {
        at(row).length = col;
        rows.length = row + 1;
      }
      continue;
    }
    if (ch === '\r') {
      col = 0;
      continue;
    }
    if (ch === '\n') {
      row++;
      col = 0;
      at(row);
      continue;
    }
    if (col >= columns) {
      // Autowrap: the character goes to the start of the next row.
      row++;
      col = 0;
    }
    at(row)[col++] = ch;
  }
  return rows.map((r) => r.join(''));
}
