/** Loopback ports for tests. */
import { createServer } from 'node:net';

/**
 * A loopback port free a moment ago (taken, then let go): a receiver can listen on it, and until one
 * does, a connection to it is refused.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
