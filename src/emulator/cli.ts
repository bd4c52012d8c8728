/**
 * The emulator as a long-running process: `heygen-build emulator [options]` (loaded only when that
 * subcommand runs) and `npm run emulator`. Prints its URL, logs one line per request, stops on
 * SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { HeygenBuildError } from '../errors.js';
import { startEmulator } from './index.js';
import type { Emulator, EmulatorOptions, RecordedRequest } from './types.js';

/** The help text of `heygen-build emulator`, printed for --help and after a bad option. */
export const USAGE = `Usage: heygen-build emulator [options]
  --port N           port on 127.0.0.1 (default 0: any free port)
  --api-key KEY      required X-Api-Key (default test-key)
  --latency MS       added to every response (default 0)
  --render-ms MS     render time (default 300)
  --translate-ms MS  translation time (default 300)
  --concurrency N    concurrent job cap (default 10)
  --credits N        starting credits (default 10000)
  --video-bytes N    size of each served video (default: a ~20 KB MP4)
  --url-ttl-ms MS    presigned URL lifetime (default 7 days)
  --no-matting-avatars ID,ID  avatars whose webm/remove_background renders fail
Faults: POST /__emulator/faults (JSON), settings: POST /__emulator/settings, state: GET /__emulator/state.`;

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  return n;
}

function line(r: RecordedRequest): string {
  const query = new URLSearchParams(r.query).toString();
  const ms = Date.now() - r.at;
  const fault = r.fault ? ` [${r.fault}]` : '';
  return `${new Date(r.at).toISOString()} ${r.method} ${r.path}${query ? `?${query}` : ''} -> ${r.status || 'dropped'} ${ms}ms${fault}`;
}

/** Options from the command line; `undefined` for --help. Throws a plain Error on a bad option. */
export function parseEmulatorArgs(args: string[]): Omit<EmulatorOptions, 'onRequest'> | undefined {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      'api-key': { type: 'string' },
      latency: { type: 'string' },
      'render-ms': { type: 'string' },
      'translate-ms': { type: 'string' },
      concurrency: { type: 'string' },
      credits: { type: 'string' },
      'video-bytes': { type: 'string' },
      'url-ttl-ms': { type: 'string' },
      'no-matting-avatars': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  return {
    port: number('port', values.port),
    apiKey: values['api-key'],
    latencyMs: number('latency', values.latency),
    renderMs: number('render-ms', values['render-ms']),
    translateMs: number('translate-ms', values['translate-ms']),
    concurrency: number('concurrency', values.concurrency),
    credits: number('credits', values.credits),
    videoBytes: number('video-bytes', values['video-bytes']),
    urlTtlMs: number('url-ttl-ms', values['url-ttl-ms']),
    noMattingAvatars: values['no-matting-avatars']?.split(',').filter(Boolean),
  };
}

async function listen(opts: EmulatorOptions): Promise<Emulator> {
  try {
    return await startEmulator(opts);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    throw new HeygenBuildError('E_PORT_IN_USE', `port ${opts.port} on 127.0.0.1 is already in use`, {
      hint: 'pick another one: --port 4011 (or --port 0 for any free port)',
    });
  }
}

/** Serves until SIGINT/SIGTERM, then resolves with exit code 0. */
export async function serveEmulator(opts: Omit<EmulatorOptions, 'onRequest'>, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const emulator = await listen({ ...opts, onRequest: (r) => out.write(`${line(r)}\n`) });
  // A long-running process would otherwise keep every request forever.
  const trim = setInterval(() => {
    if (emulator.requests.length > 10_000) emulator.requests.splice(0, emulator.requests.length - 10_000);
  }, 10_000).unref();
  out.write(`HeyGen emulator listening on ${emulator.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  clearInterval(trim);
  await emulator.stop();
  return 0;
}
