/**
 * The redrawn block under a TTY's log: written, then erased and written again in place. Each line is
 * cut to the terminal's width first, since a line that wraps takes two rows and erasing `n` rows would
 * leave its second half on screen.
 */
import { fitWidth } from './units.js';

/** A TTY's live block: `log` prints above it for good, `draw` replaces it, `clear` removes it. */
export interface LiveBlock {
  log(text: string): void;
  draw(lines: string[]): void;
  clear(): void;
}

/** A live block on `stream` (a TTY: `columns` and `rows` are read at each draw, so a resize is followed). */
export function liveBlock(stream: Pick<NodeJS.WriteStream, 'write' | 'columns' | 'rows'>): LiveBlock {
  let drawn = 0;
  let last: string[] = [];
  const clear = (): void => {
    if (drawn > 0) stream.write(`\u001b[${drawn}A\u001b[0J`);
    drawn = 0;
  };
  const draw = (lines: string[]): void => {
    // One column spare: some terminals wrap as soon as the last column is written.
    const columns = Math.max(10, (stream.columns || 80) - 1);
    const fitted = lines.slice(-Math.max(1, (stream.rows || 24) - 1)).map((l) => fitWidth(l, columns));
    clear();
    if (fitted.length > 0) stream.write(fitted.join('\n') + '\n');
    drawn = fitted.length;
    last = lines;
  };
  return {
    log(text) {
      clear();
      stream.write(text + '\n');
      draw(last);
    },
    draw,
    clear() {
      clear();
      last = [];
    },
  };
}
