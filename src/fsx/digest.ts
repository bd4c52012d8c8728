/** Streamed sha256 + size: memory stays flat however big the file (videos can be gigabytes). */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** A file's sha256 and size, what identifies local assets and downloads. */
export interface FileDigest {
  sha256: string;
  size: number;
}

/** Accumulates a digest chunk by chunk, for bytes that are being streamed anyway (a download). */
export class DigestMeter {
  private readonly hash: Hash = createHash('sha256');
  size = 0;

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.size += chunk.length;
  }

  digest(): FileDigest {
    return { sha256: this.hash.digest('hex'), size: this.size };
  }
}

/**
 * Streams a file through sha256, keeping memory flat for large media. `observe` sees each chunk too (what
 * else is learnt from the bytes while they are read anyway, see manifest/media-verdict.ts).
 */
export async function sha256File(absPath: string, observe?: (chunk: Buffer) => void): Promise<FileDigest> {
  const meter = new DigestMeter();
  // 1 MiB chunks: far fewer syscalls than the 64 KiB default on large media, still small in memory.
  for await (const chunk of createReadStream(absPath, { highWaterMark: 1 << 20 })) {
    meter.update(chunk as Buffer);
    observe?.(chunk as Buffer);
  }
  return meter.digest();
}
