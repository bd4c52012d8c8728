/** Runs the built CLI (`bin/heygen-build.js` -> `dist/`) in a child process, as a user would. */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'bin', 'heygen-build.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A clean environment: no HeyGen key or URLs from the developer's shell, so a test can never reach the
 * real API; tests that want the emulator pass its URL and key explicitly.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('HEYGEN_')) delete env[k];
  // Nor CI settings that change the output (annotations, step summaries, colour).
  for (const k of ['CI', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR']) delete env[k];
  env.NO_COLOR = '1';
  return { ...env, ...extra };
}

/** Runs the CLI (`opts.bin`: another installation's bin/heygen-build.js) with a clean environment. */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number; bin?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.bin ?? BIN, ...args], { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A temp project made of `files` (path -> text), optionally starting from a copy of a folder. */
export function tempProject(files: Record<string, string | Buffer>, copyFrom?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-e2e-'));
  if (copyFrom) cpSync(copyFrom, dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

/** Temp projects of `config` (a heygen.config.mjs) plus files, each removed after the test file's tests. */
export function projectFactory(config: string): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return (files) => {
    const dir = tempProject({ 'heygen.config.mjs': config, ...files });
    dirs.push(dir);
    return dir;
  };
}
