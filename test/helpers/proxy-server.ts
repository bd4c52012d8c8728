/**
 * A real forward proxy on loopback for tests of HTTPS_PROXY / HTTP_PROXY: absolute-form requests (http) and
 * CONNECT tunnels (https), wanting `team:proxy-s3cret`. It alone resolves names under `.test` (`heygen.test`,
 * `s3.test`, `renders.s3.test`) to loopback, so a request that reached a test server by such a name came
 * through it. Loopback itself is never proxied by the CLI.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, beforeEach } from 'vitest';

const NAMES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];
const AUTH = `Basic ${Buffer.from('team:proxy-s3cret').toString('base64')}`;

export interface TestProxy {
  /** The proxy's URL with its credentials, as a user sets HTTP_PROXY. */
  url: string;
  /** What it was asked, in order: `GET http://heygen.test:1234/v3/users/me`, `CONNECT heygen.test:9`. */
  seen: string[];
  close(): Promise<void>;
}

/** Clears the proxy variables before each test of the file and puts the runner's own back after it. */
export function restoreProxyEnvAfterEach(): void {
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
    for (const n of NAMES) delete process.env[n];
  });
  afterEach(() => {
    for (const n of NAMES) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  });
}

const target = (host: string): string => {
  const name = host.replace(/:\d+$/, '');
  return name.endsWith('.test') ? '127.0.0.1' : name;
};

/** Starts the proxy described above on a free loopback port. */
export async function startProxy(): Promise<TestProxy> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.headers['proxy-authorization'] !== AUTH) return void res.writeHead(407, { 'proxy-authenticate': 'Basic' }).end();
    const u = new URL(req.url ?? '');
    seen.push(`${req.method} ${u.href}`);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const out = httpRequest({ host: target(u.host), port: u.port, path: `${u.pathname}${u.search}`, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  const tunnels = new Set<{ destroy: () => void }>();
  server.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    tunnels.add(socket);
    socket.on('error', () => undefined);
    const [host, port] = (req.url ?? '').split(':');
    const up = connect(Number(port), target(host!), () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.pipe(socket);
      socket.pipe(up);
    });
    tunnels.add(up);
    up.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://team:proxy-s3cret@127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const t of tunnels) t.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
