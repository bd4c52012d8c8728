/**
 * The live preview (`watch --serve`): a page listing every video with its latest output, kept current
 * over server-sent events. Bound to 127.0.0.1 only, and it answers only requests addressed to it by
 * that name (a DNS-rebinding page cannot read it). It serves the outputs of known videos, looked up
 * by id in the watch state: a URL never names a path, so there is nothing to traverse. Each output
 * also has a poster frame (`/poster/<id>`) and, when captions are made, its `.srt` as WebVTT
 * (`/captions/<id>`), both found from the output's path, never from the URL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HeygenBuildError } from '../../errors.js';
import { isInside } from '../paths.js';
import type { ItemView, WatchState } from '../types.js';
import { LiveState, type StateSource } from './live.js';
import { sendFile } from './media.js';
import { renderPage } from './page.js';
import { Posters } from './poster.js';
import { srtToVtt } from './vtt.js';

/** The preview's default port on 127.0.0.1. */
export const DEFAULT_PREVIEW_PORT = 4321;
const HOST = '127.0.0.1';

/** Which watch the preview shows and which port it binds. */
export interface PreviewOptions {
  /** The watch to show; or `attach()` it later (bind the port first, so a busy port fails before any work). */
  handle?: StateSource;
  /** Default 4321; 0 picks a free port. */
  port?: number;
}

/** A running preview server: its URL, how to attach a watch, and how to close it. */
export interface PreviewServer {
  url: string;
  port: number;
  attach(handle: StateSource): void;
  close(): Promise<void>;
}

/** What the preview serves, by extension: videos, a transparent video's .webm, and voiceovers. */
const MEDIA_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
};
const MEDIA_EXT = new RegExp(`\\.(${Object.keys(MEDIA_TYPES).join('|')})$`, 'i');

/** A known item's output on disk, of a kind in MEDIA_TYPES, inside the project, that the watch state names. */
function knownOutput(state: WatchState, id: string): { item: ItemView; abs: string; type: string } | undefined {
  const item = findItem(state, id);
  const abs = item?.output ? resolve(state.root, item.output) : undefined;
  const ext = abs ? MEDIA_EXT.exec(abs)?.[1]?.toLowerCase() : undefined;
  const type = ext ? MEDIA_TYPES[ext] : undefined;
  if (!item || !abs || !type || !isInside(state.root, abs)) return undefined;
  return { item, abs, type };
}

function findItem(state: WatchState, id: string): ItemView | undefined {
  for (const v of state.videos) {
    if (v.id === id) return v;
    const t = v.translations.find((x) => x.id === id);
    if (t) return t;
  }
  return undefined;
}

/** What a request is answered from: the state shown, the poster frames, and the port bound. */
interface Site {
  live: LiveState;
  posters: Posters;
  port: number;
}

/** Starts the preview server on loopback, pushing state changes to open pages; a busy port fails before any work. */
export async function servePreview(opts: PreviewOptions): Promise<PreviewServer> {
  const live = new LiveState();
  if (opts.handle) live.attach(opts.handle);
  const site: Site = { live, posters: new Posters(), port: opts.port ?? DEFAULT_PREVIEW_PORT };

  const server = createServer((req, res) => {
    answer(site, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  try {
    site.port = await listen(server, site.port);
  } catch (e) {
    live.close();
    throw e;
  }

  return {
    url: `http://${HOST}:${site.port}`,
    port: site.port,
    attach: (handle) => live.attach(handle),
    async close() {
      live.close();
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
    },
  };
}

/** Binds `port` on 127.0.0.1 (0: any free port); resolves to the port bound. */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      fail(
        e.code === 'EADDRINUSE'
          ? new HeygenBuildError('E_PORT_IN_USE', `port ${port} on ${HOST} is already in use`, { hint: 'pick another one: --serve 4322 (or --serve 0 for any free port)' })
          : e,
      );
    });
    server.listen(port, HOST, () => ok());
  });
  return (server.address() as AddressInfo).port;
}

function allowedHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  return host === `${HOST}:${port}` || host === `localhost:${port}`;
}

/** Answers one request: the page, the state, its events, or a known video's output, poster or captions. */
async function answer(site: Site, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!allowedHost(req, site.port)) {
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('forbidden host\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const url = new URL(req.url ?? '/', `http://${HOST}:${site.port}`);
  if (url.pathname === '/') {
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; media-src 'self' http: https:; img-src 'self'",
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : renderPage(site.live.current()));
    return;
  }
  if (url.pathname === '/state.json') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(site.live.current()));
    return;
  }
  if (url.pathname === '/events') {
    site.live.follow(req, res);
    return;
  }
  const m = /^\/(media|poster|captions)\/([^/]+)$/.exec(url.pathname);
  if (m?.[1] && m[2]) {
    await answerOutput(site, req, res, m[1] as OutputKind, decodeURIComponent(m[2]), url.searchParams.get('v'));
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
}

type OutputKind = 'media' | 'poster' | 'captions';

/** `/<kind>/<id>?v=<version>`: a known item's output, its poster frame or its captions. */
async function answerOutput(site: Site, req: IncomingMessage, res: ServerResponse, kind: OutputKind, id: string, version: string | null): Promise<void> {
  const known = knownOutput(site.live.current(), id);
  if (!known) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such video\n');
    return;
  }
  const { item, abs, type } = known;
  const fresh = version === item.version;
  const caching = fresh ? 'private, max-age=31536000, immutable' : 'no-store';
  if (kind === 'poster') {
    const jpg = await site.posters.get(abs, item.version ?? '').catch(() => undefined);
    if (!jpg) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no frame\n');
    else res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Cache-Control': caching, 'Content-Length': String(jpg.length) }).end(req.method === 'HEAD' ? undefined : jpg);
    return;
  }
  if (kind === 'captions') {
    // The sidecar next to the output (`x.draft.mp4` or `x.draft.mp3` -> `x.draft.srt`), as WebVTT for <track>.
    const srt = item.captions ? await readFile(abs.replace(MEDIA_EXT, '.srt'), 'utf8').catch(() => undefined) : undefined;
    if (srt === undefined) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no captions\n');
    else res.writeHead(200, { 'Content-Type': 'text/vtt; charset=utf-8', 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : srtToVtt(srt));
    return;
  }
  // The query carries the version: the same URL is always the same bytes, unless it is stale.
  try {
    await sendFile(req, res, abs, { 'Content-Type': type, 'Cache-Control': caching });
  } catch {
    if (!res.headersSent) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('video not on disk\n');
    else res.destroy();
  }
}
