/** `heygen-build watch` in a child process, with a way to wait for what it prints. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN, cleanEnv } from '../helpers/cli.js';

export interface WatchChild {
  child: ChildProcessWithoutNullStreams;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  mark(): number;
  /** Resolves with the output from `from` once `pattern` appears there. */
  waitFor(pattern: RegExp | string, from?: number, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it if still running (for afterEach). */
  kill(): void;
}

export function spawnWatch(args: string[], cwd: string, env: Record<string, string> = {}): WatchChild {
  const child = spawn(process.execPath, [BIN, 'watch', ...args], { cwd, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let waiters: Array<() => void> = [];
  const onData = (d: Buffer): void => {
    out += d.toString();
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      onData(Buffer.alloc(0));
    }),
  );
  const matches = (text: string, p: RegExp | string): boolean => (typeof p === 'string' ? text.includes(p) : p.test(text));
  return {
    child,
    output: () => out,
    mark: () => out.length,
    waitFor(pattern, from = 0, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(pattern)}; output:\n${out.slice(from)}`)), timeoutMs);
        const check = (): void => {
          const text = out.slice(from);
          if (matches(text, pattern)) {
            clearTimeout(timer);
            resolve(text);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            reject(new Error(`watch exited (${child.exitCode ?? child.signalCode}) before ${String(pattern)}; output:\n${out}`));
          } else waiters.push(check);
        };
        check();
      });
    },
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
