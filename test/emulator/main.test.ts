/** `npm run emulator` as a separate process: prints its URL, logs requests, obeys the admin API, stops on SIGTERM. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// jiti runs the TypeScript entry point directly, so the test does not depend on a fresh dist/.
const jiti = fileURLToPath(new URL('../../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function run(args: string[]): { proc: ChildProcess; out: () => string; line: (re: RegExp) => Promise<string> } {
  const proc = spawn(process.execPath, [jiti, 'src/emulator/main.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<() => void> = [];
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    waiters.splice(0).forEach((w) => w());
  });
  const line = async (re: RegExp): Promise<string> => {
    for (;;) {
      const hit = out.split('\n').find((l) => re.test(l));
      if (hit) return hit;
      if (proc.exitCode !== null) throw new Error(`exited ${proc.exitCode}: ${out}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { proc, out: () => out, line };
}

describe('emulator main', () => {
  it('prints its URL, logs one line per request, takes faults over HTTP and stops on SIGTERM', async () => {
    const r = run(['--port', '0', '--render-ms', '100', '--latency', '1']);
    child = r.proc;
    const banner = await r.line(/listening on/);
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? '';
    expect(url).not.toBe('');

    const me = await fetch(`${url}/v3/users/me`, { headers: { 'X-Api-Key': 'test-key' } });
    expect(me.status).toBe(200);
    expect(await r.line(/GET \/v3\/users\/me -> 200/)).toBeTruthy();

    await fetch(`${url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ serverError: { count: 1, status: 502 } }) });
    expect((await fetch(`${url}/v3/users/me`, { headers: { 'X-Api-Key': 'test-key' } })).status).toBe(502);
    expect(await r.line(/-> 502 .*\[serverError\]/)).toBeTruthy();
    expect(r.out()).not.toContain('test-key');

    r.proc.kill('SIGTERM');
    const [code] = await once(r.proc, 'exit');
    expect(code).toBe(0);
  });

  it('refuses a bad option with usage and exit code 2', async () => {
    const proc = spawn(process.execPath, [jiti, 'src/emulator/main.ts', '--port', 'abc'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = await once(proc, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('--port');
  });
});
