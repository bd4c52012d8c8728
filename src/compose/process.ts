/**
 * Run a child process without a shell, keep only the tail of its stderr (ffmpeg is chatty), and
 * kill it when the caller aborts. Resolves after the child has exited, so callers can safely
 * delete the files it was writing.
 */
import { spawn } from 'node:child_process';
import { linkSignal } from '../util/abort.js';

/** How a child process ended, with its output. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last few KB of stderr. */
  stderr: string;
}

/** How to run a child process: an abort signal and what to write to its stdin. */
export interface RunOptions {
  signal?: AbortSignal;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** Keep at most this much stdout (ffprobe's JSON); stderr keeps its tail only. */
  maxStdout?: number;
  /** Kill the child after this many ms (a hung `-version` must not hang the lookup). */
  timeoutMs?: number;
}

const STDERR_TAIL = 8 * 1024;

/** The error an aborted operation rejects with: the signal's reason when it is an Error. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('the operation was aborted');
  e.name = 'AbortError';
  return e;
}

/** Runs a program to completion and collects its output; an abort kills the child and rejects with an AbortError. */
export function runProcess(bin: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    const maxStdout = opts.maxStdout ?? 1024 * 1024;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < maxStdout) stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-STDERR_TAIL);
    });
    if (opts.input !== undefined && child.stdin) {
      // A child that exits early closes its stdin: ignore EPIPE, the exit code tells the story.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }

    let aborted = false;
    let timedOut = false;
    const kill = (): void => {
      // SIGKILL: whatever it was writing is discarded anyway, and ffmpeg may take a while to
      // finish a file on SIGTERM.
      child.kill('SIGKILL');
    };
    const onAbort = (): void => {
      aborted = true;
      kill();
    };
    // A child of the caller's signal: many processes run under one build signal (src/util/abort.ts).
    const link = linkSignal(signal);
    link.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            kill();
          }, opts.timeoutMs);

    let spawnError: Error | undefined;
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, sig) => {
      link.release();
      if (timer) clearTimeout(timer);
      if (aborted && signal) return reject(abortError(signal));
      if (spawnError) return reject(spawnError);
      if (timedOut) return reject(new Error(`${bin} did not finish within ${opts.timeoutMs} ms`));
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}

/** The last `n` non-empty lines of a stderr tail, for error messages. */
export function lastLines(text: string, n = 8): string {
  return text
    .split(/\r?\n|\r/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-n)
    .join('\n');
}
