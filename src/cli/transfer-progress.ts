/**
 * The progress line of `push` and `pull` on stderr: rewritten in place on a terminal, at most one line
 * every 2 s otherwise (CI logs), and a last line when the transfer ends.
 */
import { transferLine, type TransferMeter } from '../remote/meter.js';

/** A progress reporter for one transfer: `update` as bytes move, `end` once. */
export function transferProgress(verb: string, stream: NodeJS.WriteStream = process.stderr): { update: (m: TransferMeter) => void; end: (objects: number, bytes: number, seconds: number) => void } {
  const tty = Boolean(stream.isTTY);
  let last = 0;
  let shown = false;
  return {
    update(m) {
      const now = performance.now();
      if (now - last < (tty ? 100 : 2000)) return;
      last = now;
      shown = true;
      stream.write(tty ? `\r\x1b[K${verb} ${m.line()}` : `${verb} ${m.line()}\n`);
    },
    end(objects, bytes, seconds) {
      if (tty && shown) stream.write('\r\x1b[K');
      stream.write(`${verb} ${transferLine(objects, bytes, seconds)}\n`);
    },
  };
}

/** Seconds to the millisecond, as `push`/`pull --json` give them. */
export function round3(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
