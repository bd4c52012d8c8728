/** Streamed file digest: memory stays flat however big the asset (videos can be gigabytes). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256File(absPath: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  // 1 MiB chunks: far fewer syscalls than the 64 KiB default on large media, still small in memory.
  const stream = createReadStream(absPath, { highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    hash.update(buf);
  }
  return { sha256: hash.digest('hex'), size };
}
