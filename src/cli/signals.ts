/**
 * Two interrupts, as terraform does: the first stops submitting and lets the build record what is in
 * flight; the second exits at once (every lockfile write is atomic, so the file is still whole).
 *
 * A reader that closes our output (`build --json | head -1`) is a third way to be stopped. Node ignores
 * SIGPIPE, so the next write fails with EPIPE instead, and an unhandled 'error' on stdout would end the
 * process with a stack trace in the middle of a build. It is taken as the first interrupt instead.
 * Whatever stopped the command first picks the exit code: 130 (SIGINT), 143 (SIGTERM), 141 (SIGPIPE).
 */
import { writeSync } from 'node:fs';
import { EXIT } from './exit.js';

/** Why a command was stopped from outside: Ctrl-C, SIGTERM, or its output pipe closing. */
export type StopCause = 'SIGINT' | 'SIGTERM' | 'SIGPIPE';

const CODES: Record<StopCause, number> = { SIGINT: EXIT.INTERRUPTED, SIGTERM: EXIT.TERMINATED, SIGPIPE: EXIT.BROKEN_PIPE };

let cause: StopCause | undefined;
const pipeHooks = new Set<() => void>();
let watching = false;

/**
 * The abort reason to give a command's AbortController on a stop (onInterrupt passes it to `first`).
 * Thrown out of a command, it means "stopped before anything was in flight", not a bug: main() turns
 * it into the stop's exit code.
 */
export class Stopped extends Error {
  override name = 'AbortError';
  constructor(readonly by: StopCause) {
    super(by === 'SIGPIPE' ? 'output closed' : 'interrupted');
  }
}

/** The stop cause a received process signal stands for: SIGTERM is itself, anything else (SIGINT) is Ctrl-C. */
export function causeOf(signal: NodeJS.Signals): 'SIGINT' | 'SIGTERM' {
  return signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
}

/** The exit code a command ends with when stopped for that cause. */
export function exitCodeFor(c: StopCause): number {
  return CODES[c];
}

/** Records what stopped the command; the first cause wins (Ctrl-C in a terminal also ends `| head`). */
export function noteStop(c: StopCause): void {
  cause ??= c;
}

/** Forget any earlier stop (one command per process normally; main() calls it for in-process runs). */
export function resetStop(): void {
  cause = undefined;
}

/**
 * The exit code of a command that returned `code`: a broken pipe makes it 141 whatever the command
 * did (its output is lost); a stop by signal turns "interrupted" into that signal's code.
 */
export function finalExitCode(code: number): number {
  if (cause === 'SIGPIPE') return EXIT.BROKEN_PIPE;
  if (cause !== undefined && code === EXIT.INTERRUPTED) return CODES[cause];
  return code;
}

/** A message to stderr that must not fail: stderr may be the very pipe that was closed (`2>&1 | head`). */
function say(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    // Nowhere left to say it.
  }
}

/**
 * Installs (once) the 'error' handlers that turn EPIPE on stdout or stderr into a quiet stop. Any other
 * write error is rethrown, as it was before there was a handler.
 */
export function watchOutputPipes(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  if (watching) return;
  watching = true;
  const onError = (e: NodeJS.ErrnoException): void => {
    if (e.code !== 'EPIPE') throw e;
    if (cause !== undefined) return;
    cause = 'SIGPIPE';
    // The error arrives a tick after the write: the command may have returned its code already.
    process.exitCode = EXIT.BROKEN_PIPE;
    for (const hook of [...pipeHooks]) hook();
  };
  for (const s of streams) s.on('error', onError);
}

/** Calls `fn` once when our output pipe is closed by its reader (see watchOutputPipes). */
export function onBrokenPipe(fn: () => void): () => void {
  pipeHooks.add(fn);
  return () => pipeHooks.delete(fn);
}

/**
 * Calls `first` on the first Ctrl-C or SIGTERM (stop submitting, record what is in flight) and `second` then exits on
 * the next; returns an unsubscribe.
 */
export function onInterrupt(first: (reason: Stopped) => void, second: () => void): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      const by = causeOf(signal);
      noteStop(by);
      say(`\n${by === 'SIGTERM' ? 'SIGTERM' : 'Interrupt'} received: no new submissions; recording what is in flight (Ctrl-C again to exit now).\n`);
      first(new Stopped(by));
    } else {
      second();
      process.exit(exitCodeFor(causeOf(signal)));
    }
  };
  const offPipe = onBrokenPipe(() => {
    // A closed output is a reason to stop, never a reason to skip recording what is in flight.
    if (count > 0) return;
    count++;
    say('\nOutput closed: no new submissions; recording what is in flight.\n');
    first(new Stopped('SIGPIPE'));
  });
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    offPipe();
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
