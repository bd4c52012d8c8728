/**
 * Two interrupts, as terraform does: the first stops submitting and lets the build record what is in
 * flight; the second exits at once (every lockfile write is atomic, so the file is still whole).
 */
import { writeSync } from 'node:fs';
export function onInterrupt(first: () => void, second: () => void): () => void {
  let count = 0;
  const handler = (): void => {
    count++;
    if (count === 1) {
      writeSync(2, '\nInterrupt received: no new submissions; recording what is in flight (Ctrl-C again to exit now).\n');
      first();
    } else {
      second();
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
