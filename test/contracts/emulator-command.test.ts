/**
 * `heygen-build emulator` from the built CLI: a user points a project at it and builds offline,
 * exactly as against HeyGen; bad options get the usage and exit 1; SIGTERM stops it with 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli, tempProject } from '../helpers/cli.js';

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `heygen-build emulator ...args` and resolves with its URL once it listens. */
async function startCommand(args: string[]): Promise<{ proc: ChildProcess; url: string; out: () => string }> {
  const proc = spawn(process.execPath, [BIN, 'emulator', ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`emulator exited ${code}: ${out}`)));
  });
  return { proc, url, out: () => out };
}

const CONFIG = `export default {
  manifests: ['videos/*.yaml'],
  heygen: { poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
};
`;

describe('heygen-build emulator', () => {
  it('serves the HeyGen API locally: a project builds against it, then SIGTERM stops it with exit 0', async () => {
    const emu = await startCommand(['--port', '0', '--render-ms', '50', '--api-key', 'ci-key']);
    const dir = tempProject({
      'heygen.config.mjs': CONFIG,
      'videos/intro.yaml': 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello from the emulator.\n',
    });
    const env = { HEYGEN_API_KEY: 'ci-key', HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url };
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'out', 'intro.mp4'))).toBe(true);
    expect(emu.out()).toMatch(/POST \/v3\/videos -> 200/);
    expect(emu.out()).not.toContain('ci-key');

    emu.proc.kill('SIGTERM');
    const [code] = await once(emu.proc, 'exit');
    expect(code).toBe(0);
  });

  it('a bad option prints the usage and exits 1; --help prints it and exits 0', async () => {
    const bad = await runCli(['emulator', '--port', 'abc'], { cwd: process.cwd() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--port must be a non-negative number');
    expect(bad.stderr).toContain('Usage: heygen-build emulator');
    const help = await runCli(['emulator', '--help'], { cwd: process.cwd() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--render-ms');
  });
});
