/**
 * A HeyGen API emulator: a real HTTP server on 127.0.0.1 that answers v1/v2/v3 endpoints the way
 * HeyGen documents them (envelopes, statuses, idempotency, the concurrency cap, presigned
 * downloads of real MP4s), with injectable faults. Used by e2e tests and `npm run emulator`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleAdmin } from './admin.js';
import { AssetStore } from './assets.js';
import type { Deps } from './context.js';
import { sendReply } from './http-util.js';
import { IdempotencyStore } from './idempotency.js';
import { JobStore } from './jobs.js';
import { legacyRoutes } from './routes-legacy.js';
import { v3Routes } from './routes-v3.js';
import { handleApi, newRecord, type PipelineOptions } from './server.js';
import { UrlSigner } from './signer.js';
import type { Emulator, EmulatorOptions, Faults, RecordedRequest, Timing } from './types.js';
import { UPLOAD_TTL_MS } from './uploads.js';
import { requestValidator } from './validate.js';
import { defaultTemplates, templateRoutes } from './templates.js';
import { webhookRoutes } from './webhook-routes.js';
import { WebhookHub } from './webhooks.js';

export type * from './types.js';

const MAX_RECORDED = 50_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Starts the HeyGen emulator on a loopback port, with the given latency, limits and key; stop it with `stop()`. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  // Compile the big v3 schemas now (once per process), not during a client's first request.
  requestValidator('VideoCreate');
  requestValidator('VideoTranslateCreate');
  const timing: Timing = { renderMs: opts.renderMs ?? 300, translateMs: opts.translateMs ?? 300 };
  const deps = emulatorDeps(opts, timing);
  const { webhooks } = deps;
  const pipeline = pipelineFor(opts);
  const requests: RecordedRequest[] = [];
  const emulator = emulatorFace(deps, timing, requests, stop);

  const server = loopbackServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/__emulator/')) return handleAdmin(req, res, url, emulator);
    const record = newRecord(req, url);
    requests.push(record);
    if (requests.length > MAX_RECORDED) requests.splice(0, requests.length - MAX_RECORDED);
    res.on('close', () => opts.onRequest?.(record));
    await handleApi(req, res, url, record, deps, pipeline);
  });
  emulator.url = await server.listen(opts.port ?? 0);
  deps.base = emulator.url;

  async function stop(): Promise<void> {
    await webhooks.stop();
    await server.close();
  }

  return emulator;
}

/** The state every route reaches: jobs (timed by `timing`), assets, URL signers, faults, settings, webhooks. */
function emulatorDeps(opts: EmulatorOptions, timing: Timing): Deps & { webhooks: WebhookHub } {
  const faults: Faults = {};
  const store = new JobStore(
    {
      concurrency: opts.concurrency ?? 10,
      // Read at each job's acceptance, so a test can change `emulator.timing` between steps.
      get renderMs() {
        return timing.renderMs;
      },
      get translateMs() {
        return timing.translateMs;
      },
      get holdRenders() {
        return timing.holdRenders;
      },
      credits: opts.credits ?? 10_000,
    },
    faults,
  );
  const deps: Deps = {
    store,
    assets: new AssetStore(),
    signer: new UrlSigner(opts.urlTtlMs ?? 7 * DAY_MS),
    uploadSigner: new UrlSigner(UPLOAD_TTL_MS),
    faults,
    settings: { noMattingAvatars: [...(opts.noMattingAvatars ?? [])], templates: defaultTemplates() },
    base: '',
  };
  const webhooks = new WebhookHub({ store, signer: deps.signer, faults, base: () => deps.base });
  store.onScheduled = (job) => webhooks.watch(job);
  return Object.assign(deps, { webhooks });
}

/** The request pipeline's settings: the key it requires, added latency, every route, the idempotency store. */
function pipelineFor(opts: EmulatorOptions): PipelineOptions {
  return {
    apiKey: opts.apiKey ?? 'test-key',
    latencyMs: opts.latencyMs ?? 0,
    videoBytes: opts.videoBytes,
    routes: [...webhookRoutes, ...v3Routes, ...templateRoutes, ...legacyRoutes],
    idempotency: new IdempotencyStore(),
  };
}

/** The emulator a test holds: its state to read and steer; `url` is filled in once listening. */
function emulatorFace(deps: Deps & { webhooks: WebhookHub }, timing: Timing, requests: RecordedRequest[], stop: () => Promise<void>): Mutable<Emulator> {
  const { store, assets, faults, settings, webhooks } = deps;
  return {
    url: '',
    faults,
    settings,
    timing,
    requests,
    stop,
    jobs: () => store.views(),
    assets: () => [...assets.byId.values()].map((a) => ({ ...a })),
    credits: () => store.credits,
    release: () => store.release(),
    webhooks,
    reset: () => {
      requests.length = 0;
    },
  };
}

/** The public type makes `url` readonly. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** An HTTP server on 127.0.0.1 that answers a handler's bug with a 500, and whose close ends open connections. */
interface LoopbackServer {
  /** Listens on `port` (0: any free one); resolves to `http://127.0.0.1:PORT`. */
  listen(port: number): Promise<string>;
  close(): Promise<void>;
}

function loopbackServer(onRequest: (req: IncomingMessage, res: ServerResponse) => Promise<void>): LoopbackServer {
  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      // A bug in the emulator: answer 500 rather than hang the client.
      if (!res.headersSent && !res.destroyed) {
        sendReply(res, { status: 500, body: { error: { code: 'internal_error', message: String(err) } } });
      } else {
        res.destroy();
      }
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Errors on a socket we destroyed on purpose (dropConnection, truncate) are expected.
  server.on('clientError', (_err, socket) => socket.destroy());
  return {
    async listen(port) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
