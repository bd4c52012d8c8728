/**
 * A real S3-protocol server for tests: s3rver (npm) on a free loopback port, with a bucket made for the
 * test. It speaks S3's REST API, SigV4 and multipart uploads; it ignores `If-None-Match` on PUT, so
 * claims are tested on the file:// backend (see README "Teams and CI").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import S3rver from 's3rver';

/** s3rver's fixed credentials. */
export const S3_KEY = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** The folder the server keeps objects in (`<bucket>/<key>._S3rver_object`). */
  dir: string;
  /** The env a child process needs: the credentials, and no instance-metadata lookups. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const running: S3Server[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** Starts s3rver on 127.0.0.1 with one empty bucket. */
export async function s3Server(bucket = 'renders'): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'hb-s3-'));
  // serviceEndpoint `test`: a request the proxy test sends to `s3.test` is path-style, to `<bucket>.s3.test` virtual-hosted
  // (test/helpers/proxy-server.ts); on 127.0.0.1 nothing changes.
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, serviceEndpoint: 'test', configureBuckets: [{ name: bucket, configs: [] }] });
  const addr = (await server.run()) as { port: number };
  let stopped = false;
  const s: S3Server = {
    endpoint: `http://127.0.0.1:${addr.port}`,
    bucket,
    dir,
    env: { ...S3_KEY, AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'us-east-1' },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closing = server.close();
      // Lost at once, as a store that goes away is: close() alone keeps serving a keep-alive connection
      // in use (new requests on it included) until it has been idle for 5 s.
      (server as unknown as { httpServer?: Server }).httpServer?.closeAllConnections();
      await closing;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.push(s);
  return s;
}
