/**
 * `heygen-build webhooks listen`: an HTTP server for HeyGen's webhook deliveries. Any path is accepted
 * (a proxy may forward the public URL's path as it is). For each POST, in this order:
 *   1. the body is read, refused (400) past 1 MB;
 *   2. the signature is checked on the raw bytes: missing or wrong -> 401, nothing else is looked at;
 *   3. the body must be JSON with an event_type -> else 400;
 *   4. 200 is answered at once, and the event goes to the collector (collect.ts), which acts on it later.
 * Nothing an unverified request sends reaches the project.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeygenBuildError } from '../errors.js';
import type { Collector } from './collect.js';
import { readEvent } from './event.js';
import { SIGNATURE_HEADER, verifySignature } from './verify.js';

/** The largest body accepted; HeyGen's events are a few hundred bytes. */
export const MAX_BODY = 1024 * 1024;

/** What the receiver listens on and checks with. */
export interface ReceiverOptions {
  port: number;
  host: string;
  secret: string;
  collector: Pick<Collector, 'push'>;
  log: (line: string) => void;
}

/** A listening receiver: its address, and how to stop it. */
export interface Receiver {
  url: string;
  close(): Promise<void>;
}

class TooLarge extends Error {}

function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(`${text}\n`);
}

async function onRequest(req: IncomingMessage, res: ServerResponse, opts: ReceiverOptions): Promise<void> {
  // HeyGen checks a URL with OPTIONS when it is registered.
  if (req.method === 'OPTIONS') return answer(res, 200, 'ok');
  if (req.method !== 'POST') return answer(res, 405, 'POST webhook deliveries here');
  let body: Buffer;
  try {
    body = await readLimited(req, MAX_BODY);
  } catch (e) {
    if (e instanceof TooLarge) {
      opts.log(`refused a delivery to ${req.url ?? '/'}: body over 1 MB (400)`);
      return answer(res, 400, 'body too large');
    }
    throw e;
  }
  const given = req.headers[SIGNATURE_HEADER];
  if (!verifySignature(opts.secret, body, Array.isArray(given) ? given[0] : given)) {
    opts.log(`refused a delivery to ${req.url ?? '/'}: ${given ? 'wrong' : 'missing'} ${SIGNATURE_HEADER} (401)`);
    return answer(res, 401, 'invalid signature');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    opts.log('refused a signed delivery: the body is not JSON (400)');
    return answer(res, 400, 'body is not JSON');
  }
  const event = readEvent(parsed);
  if (!event) {
    opts.log('refused a signed delivery: no event_type (400)');
    return answer(res, 400, 'not a webhook event');
  }
  // Answer first: HeyGen wants 200 within seconds, and a download or a composition takes longer.
  answer(res, 200, 'ok');
  opts.collector.push(event);
}

/** Starts the receiver; rejects with E_PORT_IN_USE when the port is taken. */
export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const server: Server = createServer((req, res) => {
    onRequest(req, res, opts).catch((e: unknown) => {
      opts.log(`error handling a delivery: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) answer(res, 500, 'error');
      else res.destroy();
    });
  });
  // A slow or idle client must not hold a connection open for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE'
          ? new HeygenBuildError('E_PORT_IN_USE', `port ${opts.port} on ${opts.host} is in use`, { hint: 'pick another with --port, or 0 for any free one' })
          : e,
      );
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
