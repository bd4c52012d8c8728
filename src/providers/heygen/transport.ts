/**
 * The HTTP transport under the HeyGen client, downloads and direct uploads: node's own `http`/`https`
 * with keep-alive agents, one pair per Transport.
 *
 * Why not undici (which this used before): node's HTTP parser is native and its modules come with node's
 * code cache, while undici's modules compile from source (~45 ms for its agent and request API alone)
 * and its llhttp is WebAssembly compiled on the first request (~25 ms, against ~12 ms for node's first
 * request): time every build paid before its first submit (`node bench/run.js build` prints that CPU).
 *
 * One timeout covers a request: the socket may sit silent for at most `timeoutMs`, whether connecting,
 * waiting for the headers or between two pieces of the body (undici's headers and body timeouts). A
 * timeout while still connecting fails with CONNECT_TIMEOUT: the request never left, so it is safe to
 * repeat whatever its method (http.ts).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { ProxyAgents, proxyConfigured } from '../../util/proxy.js';

/** One request: the body, if any, is sent as given (a stream is piped). */
export interface TransportRequest {
  url: string | URL;
  method: string;
  headers?: Record<string, string>;
  body?: Readable | Buffer | string;
  signal?: AbortSignal;
  /** The longest silence allowed on the socket (connect, headers, body). */
  timeoutMs: number;
}

/** An answer whose headers have arrived; its body must be read (`text`) or dropped (`dump`). */
export interface TransportResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
}

/** The code of a timeout while connecting: the request never left (node's own code for it). */
export const CONNECT_TIMEOUT = 'ERR_SOCKET_CONNECTION_TIMEOUT';
/** The code of a connection that fell silent for longer than the request's timeout. */
export const SOCKET_TIMEOUT = 'ETIMEDOUT';

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Keep-alive connections to the API and the storage hosts, reused across requests. */
export class Transport {
  private httpAgent?: http.Agent;
  private httpsAgent?: https.Agent;
  /** Agents through HTTPS_PROXY/HTTP_PROXY (proxy.ts), when one is set (their libraries load on first use). */
  private readonly proxies?: ProxyAgents;
  private readonly options: http.AgentOptions;
  private closed = false;

  /**
   * @param idleMs how long an unused connection is kept open (the server's own `Keep-Alive: timeout`
   *   hint lowers it, so a reused socket is not one the server is closing)
   */
  constructor(idleMs = 4_000) {
    this.options = { keepAlive: true, timeout: idleMs, scheduling: 'lifo' };
    if (proxyConfigured()) this.proxies = new ProxyAgents(this.options);
  }

  private directAgent(protocol: string): http.Agent {
    if (protocol === 'https:') return (this.httpsAgent ??= new https.Agent(this.options));
    return (this.httpAgent ??= new http.Agent(this.options));
  }

  /** Sends `req`; resolves once the answer's headers arrive (any status), rejects on a network fault. */
  async request(req: TransportRequest): Promise<TransportResponse> {
    const url = typeof req.url === 'string' ? new URL(req.url) : req.url;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw coded(`unsupported URL scheme ${url.protocol}`, 'ERR_INVALID_PROTOCOL');
    const proxied = await this.proxies?.agentFor(url);
    const agent = proxied ?? this.directAgent(url.protocol);
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<TransportResponse>((resolve, reject) => {
      const out = send(url, { method: req.method, headers: req.headers, agent, signal: req.signal, timeout: req.timeoutMs });
      out.on('timeout', () => {
        const connecting = out.socket?.connecting ?? true;
        out.destroy(connecting ? coded(`connect timeout after ${req.timeoutMs} ms`, CONNECT_TIMEOUT) : coded(`no data for ${req.timeoutMs} ms`, SOCKET_TIMEOUT));
      });
      // `on`, not `once`: an error after the answer (a cut body) reaches its reader through the response.
      out.on('error', reject);
      out.once('response', (res) => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res }));
      // A request that was running when the transport closed leaves no connection behind.
      // (The connection goes back to its pool after the request's 'close': look once that is done.)
      out.once('close', () => {
        if (this.closed) setImmediate(() => this.dropIdle());
      });
      const body = req.body;
      if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) out.end(body);
      else {
        body.once('error', (err) => out.destroy(err));
        body.pipe(out);
      }
    });
  }

  /**
   * Closes the kept connections. Requests still running finish (a build that fails on one answer does
   * not cut its siblings: repeating them would cost requests), and their connections close after them.
   */
  close(): void {
    this.closed = true;
    this.dropIdle();
  }

  private dropIdle(): void {
    const drop = (agents: readonly (http.Agent | undefined)[]): void => {
      for (const agent of agents) for (const sockets of Object.values(agent?.freeSockets ?? {})) for (const socket of sockets ?? []) socket.destroy();
    };
    drop([this.httpAgent, this.httpsAgent]);
    // A failed proxy library load already failed its requests: nothing of it to close.
    this.proxies?.all().then(drop, () => undefined);
  }
}

/** The whole body as text (UTF-8); rejects if the connection breaks or times out mid-body. */
export async function readText(res: TransportResponse): Promise<string> {
  res.body.setEncoding('utf8');
  let text = '';
  for await (const chunk of res.body) text += chunk as string;
  return text;
}

/** Reads and drops the body, so its connection can serve the next request; never rejects. */
export async function dump(res: TransportResponse): Promise<void> {
  await new Promise<void>((resolve) => {
    res.body.once('end', resolve).once('close', resolve).once('error', () => resolve());
    res.body.resume();
  });
}
