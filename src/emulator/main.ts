/**
 * `npm run emulator -- --port 4010 [--latency 50] [--render-ms 5000] ...`: the emulator as a
 * standalone process. Prints its URL, logs one line per request, stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';
import type { EmulatorOptions, RecordedRequest } from './types.js';

const USAGE = `Usage: heygen-emulator [options]
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

async function main(): Promise<void> {
  const { values } = parseArgs({
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
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const opts: EmulatorOptions = {
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
    onRequest: (r) => process.stdout.write(`${line(r)}\n`),
  };
  const emulator = await startEmulator(opts);
  // A long-running process would otherwise keep every request forever.
  setInterval(() => {
    if (emulator.requests.length > 10_000) emulator.requests.splice(0, emulator.requests.length - 10_000);
  }, 10_000).unref();
  process.stdout.write(`HeyGen emulator listening on ${emulator.url}\n`);
  const shutdown = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`heygen-emulator: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
  process.exit(2);
});
