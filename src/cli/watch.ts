/**
 * `heygen-build watch`: flags -> `watch()`, events -> terminal lines, Ctrl-C -> a clean exit.
 *
 * Exit codes: Ctrl-C (or SIGTERM) ends a watch normally with 0 when no render was running, and with
 * 130 (SIGTERM: 143) when one had to be interrupted (as `build` does); a second Ctrl-C exits at once.
 * Either way the lockfile is whole: drafts never touch it, and HeyGen builds save it atomically.
 */
import { writeSync } from 'node:fs';
import type { Diagnostic } from '../errors.js';
import { humanReporter } from '../reporters/build-human.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { makeStyle, useColor, type Style } from '../reporters/style.js';
import { servePreview, watch, type PreviewServer, type WatchEvent, type WatchHandle } from '../watch/index.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './options.js';
import { causeOf, exitCodeFor, noteStop, onInterrupt } from './signals.js';

/** The options `heygen-build watch` accepts. */
export interface WatchFlags extends GlobalOptions {
  provider?: 'local' | 'heygen';
  /** `--serve` alone is true (port 4321); `--serve 8080` a port. */
  serve?: boolean | number;
  debounce?: number;
}

function list(ids: string[], max = 5): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} +${ids.length - max} more`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Terminal lines for watch events; build events go to the build reporter, one line per state change. */
export function watchReporter(out: NodeJS.WriteStream, err: NodeJS.WriteStream, provider: 'local' | 'heygen'): (e: WatchEvent) => void {
  const style: Style = makeStyle(useColor(out));
  const errColor = useColor(err);
  const build = humanReporter(out, { tty: false, color: useColor(out), table: false });
  const line = (s: string): void => void out.write(s + '\n');
  let running = false;
  return (e) => {
    switch (e.type) {
      case 'watch-start':
        return line(startLine(e, provider, style));
      case 'change':
        return line(changeLine(e, provider, style));
      case 'invalid': {
        const errors = e.diagnostics.filter((d: Diagnostic) => d.severity === 'error').length;
        err.write(formatDiagnostics(e.diagnostics, 'human', { color: errColor }) + '\n');
        line(`${style.red('invalid')}: ${list(e.files, 3) || 'the project'} (${plural(errors, 'error')}) -> waiting for a fix; the last good outputs stay`);
        return;
      }
      case 'removed':
        line(`${style.yellow('removed')}: ${e.file}${e.ids.length > 0 ? ` (${e.ids.join(', ')})` : ''}`);
        return;
      case 'config-reloaded':
        line(`${style.cyan('config reloaded')}: ${e.file}`);
        return;
      case 'error':
        err.write(`${style.red('error')} [${e.code}] ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}\n`);
        return;
      case 'run-start':
        running = true;
        return;
      case 'run-end':
        if (e.superseded) line(style.dim('files changed again while planning: starting over'));
        else if (running) line(runEndLine(e, provider, style));
        running = false;
        return;
      case 'idle':
        return;
      case 'plan':
        // A draft plan repeats the change line; a HeyGen plan says what will be paid for, so it shows.
        if (e.provider === 'heygen') build(e);
        return;
      default:
        build(e);
    }
  };
}

/** What is watched, and what a change costs with this provider. */
function startLine(e: Extract<WatchEvent, { type: 'watch-start' }>, provider: 'local' | 'heygen', style: Style): string {
  const what = [...e.manifests, ...(e.configFile ? [e.configFile] : [])].join(', ') || 'the manifests';
  const how = provider === 'local' ? 'drafts (--provider heygen renders with HeyGen)' : 'HeyGen: changed videos are rendered and paid for';
  return `${style.bold('Watching')} ${what} -> ${how}. Ctrl-C to stop.`;
}

/** The files that changed (or the initial build) -> what is rendered again, restored, or why nothing is. */
function changeLine(e: Extract<WatchEvent, { type: 'change' }>, provider: 'local' | 'heygen', style: Style): string {
  const parts: string[] = [];
  const noun = provider === 'local' ? 'draft' : 'video';
  // At start a HeyGen watch has built nothing itself yet: the plan against the lockfile decides.
  if (e.render.length > 0 && e.initial && provider === 'heygen') parts.push(`planning ${plural(e.render.length, noun)} against the lockfile`);
  else if (e.render.length > 0) parts.push(`${e.initial ? 'rendering' : 're-rendering'} ${plural(e.render.length, noun)} (${list(e.render)})`);
  if (e.restore.length > 0) {
    const how = provider === 'local' ? 'from the cache' : 'without a new render';
    parts.push(`restoring ${plural(e.restore.length, noun)} ${how} (${list(e.restore)})`);
  }
  const result = parts.length > 0 ? parts.join(', ') : e.upToDate ? style.green('up to date') : style.yellow('waiting for a fix');
  const what = e.initial ? 'initial build' : `change: ${list(e.files, 3) || '(files)'}`;
  return `${style.cyan(what)} -> ${result}`;
}

/** A finished run: how many videos (or drafts) are ready, how many failed, and how long it took. */
function runEndLine(e: Extract<WatchEvent, { type: 'run-end' }>, provider: 'local' | 'heygen', style: Style): string {
  const done = e.rendered.length + e.cached.length;
  const summary = `${plural(done, provider === 'local' ? 'draft' : 'video')} ready${e.failed.length > 0 ? `, ${e.failed.length} failed` : ''}`;
  return `${e.ok ? style.green('done') : style.red('done with errors')}: ${summary} in ${(e.ms / 1000).toFixed(2)}s`;
}

/** Runs `heygen-build watch` until interrupted, reporting each run; resolves to the exit code. */
export async function runWatch(paths: string[], flags: WatchFlags): Promise<number> {
  const provider = flags.provider ?? 'local';
  const report = watchReporter(process.stdout, process.stderr, provider);
  let busy = false;
  // The port first: a busy port ends the command before any work.
  const preview: PreviewServer | undefined =
    flags.serve !== undefined && flags.serve !== false ? await servePreview({ port: flags.serve === true ? undefined : flags.serve }) : undefined;
  let handle: WatchHandle;
  try {
    handle = await watch({
      ...(flags.cwd !== undefined ? { cwd: flags.cwd } : {}),
      ...(flags.config !== undefined ? { configFile: flags.config } : {}),
      paths,
      provider,
      ...(flags.debounce !== undefined ? { debounceMs: flags.debounce } : {}),
      emit: (e) => {
        if (e.type === 'run-start') busy = true;
        if (e.type === 'run-end') busy = false;
        report(e);
      },
    });
  } catch (e) {
    await preview?.close();
    throw e;
  }
  if (preview) {
    preview.attach(handle);
    process.stdout.write(`Preview: ${preview.url}\n`);
  }

  let dispose: (() => void) | undefined;
  const code = await new Promise<number>((resolveExit) => {
    const stop = (): void => {
      const interrupted = busy;
      void Promise.all([handle.close(), preview?.close()]).then(() => {
        process.stdout.write(interrupted ? 'Stopped (a render was interrupted; it runs again next time).\n' : 'Stopped watching.\n');
        resolveExit(interrupted ? EXIT.INTERRUPTED : EXIT.OK);
      });
    };
    if (provider === 'heygen') {
      // The same two interrupts as build: the first lets the build record what is in flight.
      dispose = onInterrupt(stop, () =>
        writeSync(2, 'Interrupted again: exiting now. The lockfile is consistent; run build again to resume.\n'),
      );
    } else {
      const first = (signal: NodeJS.Signals): void => {
        noteStop(causeOf(signal));
        process.off('SIGINT', first);
        process.off('SIGTERM', first);
        forceOnSecond();
        stop();
      };
      process.on('SIGINT', first);
      process.on('SIGTERM', first);
    }
  });
  dispose?.();
  return code;
}

/** A second Ctrl-C while closing exits at once; every file a watch writes is renamed into place whole. */
function forceOnSecond(): void {
  const force = (signal: NodeJS.Signals): void => {
    writeSync(2, 'Interrupted again: exiting now.\n');
    process.exit(exitCodeFor(causeOf(signal)));
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
}
