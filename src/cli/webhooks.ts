/**
 * `heygen-build webhooks register|list|delete|listen`: manage HeyGen webhook endpoints, and run the
 * receiver that finishes renders when HeyGen says they are done (src/webhooks/).
 *
 * The signing secret is printed once, by `register`, to the terminal only: it is written to no file,
 * log or event. `listen` reads it from HEYGEN_WEBHOOK_SECRET (the environment or .env).
 */
import { loadConfig, type LoadConfigOptions } from '../config/index.js';
import { readEnv } from '../config/env.js';
import { HeygenBuildError } from '../errors.js';
import { isTransientPollError } from '../execute/heygen/outage.js';
import { HeygenApiError } from '../providers/heygen/errors.js';
import { askAgainHint, outageCause } from '../providers/heygen/outage-cause.js';
import { Collector } from '../webhooks/collect.js';
import { checkEndpointUrl } from '../webhooks/endpoint-url.js';
import { startReceiver } from '../webhooks/receiver.js';
import { registerEndpoint } from '../webhooks/register.js';
import { RemoteApi } from '../webhooks/remote.js';
import { shellWord } from '../util/shell-word.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './options.js';
import { onInterrupt } from './signals.js';
import { withJsonErrors } from './json-error.js';
import { versioned } from '../reporters/json-format.js';

/** The events `register` subscribes to by default: the ones the receiver acts on. */
export const DEFAULT_EVENTS = ['avatar_video.success', 'avatar_video.fail', 'video_translate.success', 'video_translate.fail'];

function where(flags: GlobalOptions): LoadConfigOptions {
  return { ...(flags.cwd ? { cwd: flags.cwd } : {}), ...(flags.config ? { configFile: flags.config } : {}) };
}

/** The flags of the webhooks commands that ask HeyGen: `--timeout`, how long each request may go unanswered, in ms. */
type ApiFlags = GlobalOptions & { timeout?: number };

/**
 * Runs `fn` against HeyGen; `again` is the command to run again when HeyGen is out of reach (its hint
 * says so), and `note` what the hint adds.
 */
async function withApi<T>(flags: ApiFlags, again: string, fn: (api: RemoteApi) => Promise<T>, note = ''): Promise<T> {
  const api = new RemoteApi(await loadConfig(where(flags)), flags.timeout !== undefined ? { requestTimeoutMs: flags.timeout } : {});
  try {
    return await fn(api);
  } catch (e) {
    throw askAgain(e, again, note);
  } finally {
    await api.close();
  }
}

/**
 * HeyGen out of reach or failing: these commands resume nothing, so the hint is not a build's ("a rerun
 * resumes where this one stopped") but what to check (nothing answered at the address) or when to ask again.
 */
function askAgain(e: unknown, again: string, note: string): unknown {
  if (!isTransientPollError(e)) return e;
  return new HeygenBuildError(e.code, e.message, { hint: askAgainHint(outageCause(e), again) + note, cause: e });
}

/** What an out-of-reach register's hint adds: a run again gets back what this one may have registered. */
const SAME_AGAIN = ' with the same --url and --events: within 24 h HeyGen gives back any endpoint this run registered, with its secret, not a second one';

/**
 * `webhooks register --url U [--events a,b]`: creates the endpoint and prints its secret once. A URL
 * HeyGen cannot post to (not https, bar loopback: webhooks/endpoint-url.ts) is refused before the config
 * is read. Safe to repeat (webhooks/register.ts): retried with an Idempotency-Key, and run again with
 * the same URL and events within 24 h it gets the same endpoint and secret back.
 */
export async function runRegister(flags: ApiFlags & { url: string; events?: string[]; json?: boolean }): Promise<number> {
  const given = (flags.events ?? []).flatMap((e) => e.split(',')).filter(Boolean);
  const events = given.length > 0 ? given : DEFAULT_EVENTS;
  const { endpoint, secret, replayed } = await withJsonErrors(flags.json, () => {
    checkEndpointUrl(flags.url);
    // The URL is not repeated in the hint: its query may hold a token (E_WEBHOOK_URL leaves it out too).
    return withApi(flags, 'heygen-build webhooks register', (api) => registerEndpoint(api, flags.url, events), SAME_AGAIN);
  });
  if (flags.json) {
    process.stdout.write(JSON.stringify(versioned({ ...endpoint, secret, replayed }), null, 2) + '\n');
    return EXIT.OK;
  }
  const earlier = replayed
    ? `HeyGen gave back the endpoint an earlier \`webhooks register\` of this URL and these events made at ${endpoint.createdAt} (it replays that answer for 24 h): no second endpoint, the same secret.\n\n`
    : '';
  process.stdout.write(
    `Registered ${endpoint.url} as ${endpoint.endpointId} (events: ${(endpoint.events ?? ['all']).join(', ')}).\n\n${earlier}` +
      `Signing secret (${replayed ? 'the one it was registered with' : 'shown this once'}; heygen-build keeps no copy):\n\n  ${secret}\n\n` +
      'Keep it as HEYGEN_WEBHOOK_SECRET where `heygen-build webhooks listen` runs (a CI secret, or .env, never committed).\n',
  );
  return EXIT.OK;
}

/** `webhooks list`: the registered endpoints (HeyGen never lists secrets). */
export async function runList(flags: ApiFlags & { json?: boolean }): Promise<number> {
  const endpoints = await withJsonErrors(flags.json, () => withApi(flags, 'heygen-build webhooks list', (api) => api.listEndpoints()));
  if (flags.json) {
    process.stdout.write(JSON.stringify(endpoints, null, 2) + '\n');
  } else if (endpoints.length === 0) {
    process.stdout.write('No webhook endpoints registered.\n');
  } else {
    for (const e of endpoints) process.stdout.write(`${e.endpointId}  ${e.status.padEnd(8)}  ${e.url}  ${(e.events ?? ['all events']).join(', ')}\n`);
  }
  return EXIT.OK;
}

/** `webhooks delete ID`: retried on transient failures (webhooks/remote.ts), since deleting twice is deleting once. */
export async function runDelete(id: string, flags: ApiFlags): Promise<number> {
  let result: 'deleted' | 'gone';
  try {
    result = await withApi(flags, `heygen-build webhooks delete ${shellWord(id)}`, (api) => api.deleteEndpoint(id));
  } catch (e) {
    // HeyGen's 404 would otherwise read as an unexpected HTTP error to report.
    if (e instanceof HeygenApiError && e.httpStatus === 404) {
      throw new HeygenBuildError('E_HEYGEN_REJECTED', `HeyGen has no webhook endpoint ${id}`, { hint: 'use an endpoint id that `heygen-build webhooks list` prints', cause: e });
    }
    throw e;
  }
  process.stdout.write(result === 'deleted' ? `Deleted webhook endpoint ${id}.\n` : `Deleted webhook endpoint ${id} (by an attempt HeyGen left unanswered: the retry found it gone).\n`);
  return EXIT.OK;
}

/** `webhooks listen [--port N] [--host H]`: runs the receiver until Ctrl-C or SIGTERM. */
export async function runListen(flags: GlobalOptions & { port?: number; host?: string }): Promise<number> {
  const config = await loadConfig(where(flags));
  const secret = readEnv(config.root).HEYGEN_WEBHOOK_SECRET;
  if (!secret) {
    throw new HeygenBuildError('E_WEBHOOK_SECRET', 'webhooks listen needs the signing secret, and HEYGEN_WEBHOOK_SECRET is not set', {
      hint: 'set HEYGEN_WEBHOOK_SECRET (environment or .env) to the secret `heygen-build webhooks register` printed; lost it? within 24 h of registering, `webhooks register` with the same --url and --events prints it again; later, register anew (then `webhooks delete` the old endpoint)',
    });
  }
  const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const controller = new AbortController();
  const collector = new Collector({ ...where(flags), log, signal: controller.signal });
  const receiver = await startReceiver({ port: flags.port ?? 8787, host: flags.host ?? '127.0.0.1', secret, collector, log });
  log(`listening on ${receiver.url} (any path; POST with ${'x-heygen-signature'}) for ${config.root}`);
  const stopped = new Promise<void>((resolve) => {
    const dispose = onInterrupt(
      () => {
        dispose();
        resolve();
      },
      () => undefined,
    );
  });
  await stopped;
  log('stopping: the collect in progress, if any, is interrupted; the next build finishes it');
  controller.abort();
  await receiver.close();
  await collector.idle();
  return EXIT.INTERRUPTED;
}
