import { writeSync } from 'node:fs';
import { build, type BuildOptions } from '../api/build.js';
import type { EventSink } from '../execute/events.js';
import type { ProviderName } from '../model/config.js';
import { humanReporter } from '../reporters/build-human.js';
import { jsonReporter } from '../reporters/build-json.js';
import { errorEvent } from '../reporters/error-json.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { useColor } from '../reporters/style.js';
import { HeygenBuildError, isHeygenBuildError } from '../errors.js';
import { EXIT } from './exit.js';
import { errorDiagnostics } from '../execute/failure.js';
import { projectRoot } from '../config/find.js';
import { failureAnnotator } from './build-github.js';
import { chooseFormat, relativeToRepository, type OutputFormat } from './github.js';
import { parseShard } from '../plan/shard.js';
import type { GlobalOptions } from './options.js';
import { onInterrupt } from './signals.js';

/** The options `heygen-build build` accepts. */
export interface BuildFlags extends GlobalOptions {
  provider?: ProviderName;
  concurrency?: number;
  maxCredits?: number;
  failFast?: boolean;
  json?: boolean;
  /** `--format`: `json` is `--json`; `github` adds annotations to the human log (the default inside GitHub Actions). */
  format?: OutputFormat;
  replace?: string[];
  refreshCatalog?: boolean;
  /** `i/n`, parsed by the build (E_SHARD). */
  shard?: string;
  lockOut?: string;
  detach?: boolean;
  takeOverStale?: boolean;
  /** `--plan <file>`: a saved plan (`plan --out`) the build must not go beyond. */
  plan?: string;
}

/** Runs `heygen-build build`, reporting for people or as JSON lines; resolves to the exit code. */
export async function runBuild(paths: string[], flags: BuildFlags): Promise<number> {
  const format = flags.json ? 'json' : chooseFormat(flags.format);
  const json = format === 'json';
  const human = json ? undefined : humanReporter(process.stdout, { tty: Boolean(process.stdout.isTTY), color: useColor(process.stdout) });
  // In GitHub Actions, each failed item is also an annotation, at its manifest's line when it has one.
  const root = format === 'github' ? projectRoot(flags.cwd ?? process.cwd(), flags.config) : undefined;
  const annotate = root !== undefined ? failureAnnotator(root, (s) => process.stdout.write(s)) : undefined;
  const report = json ? jsonReporter((s) => process.stdout.write(s)) : human!;
  // The build's last step (the next plan's snapshot, plan-after.ts) loads ~15 ms of modules: loaded
  // while the first renders run, it is not paid between the last download and the exit.
  const keepsPlan = flags.shard === undefined && !flags.detach;
  let after: Promise<typeof import('./plan-after.js')> | undefined;
  const planAfter = (): Promise<typeof import('./plan-after.js')> => (after ??= import('./plan-after.js'));
  const emit: EventSink = (e) => {
    // A failed load is reported where it is awaited.
    if (keepsPlan && after === undefined && e.type === 'submitted') planAfter().catch(() => undefined);
    report(e);
    annotate?.(e);
  };
  const controller = new AbortController();
  const dispose = onInterrupt((reason) => controller.abort(reason), () => {
    human?.close();
    writeSync(2, 'Interrupted again: exiting now. The lockfile is consistent; run build again to resume.\n');
  });
  try {
    const result = await build(buildOptions(paths, flags, controller.signal, emit));
    if (result.interrupted) return EXIT.INTERRUPTED;
    // The first `plan` after this build is then answered from its snapshot (src/plan-cache/after-build.ts).
    if (keepsPlan) await (await planAfter()).keepPlanAfter(flags.cwd, flags.config);
    return result.ok ? EXIT.OK : EXIT.ERROR;
  } catch (e) {
    human?.close();
    reportRefused(e, root, json);
    throw e;
  } finally {
    dispose();
  }
}

/** The flags as the library's build options (`--lock-out` without `--shard` is refused: E_SHARD). */
function buildOptions(paths: string[], flags: BuildFlags, signal: AbortSignal, emit: EventSink): BuildOptions {
  if (flags.lockOut !== undefined && flags.shard === undefined) {
    throw new HeygenBuildError('E_SHARD', '--lock-out is for sharded builds: it names where --shard writes its partial lockfile', {
      hint: 'add --shard <i>/<n>, or drop --lock-out (an unsharded build writes the lockfile itself)',
    });
  }
  return {
    cwd: flags.cwd,
    configFile: flags.config,
    paths,
    provider: flags.provider,
    concurrency: flags.concurrency,
    maxCredits: flags.maxCredits,
    failFast: flags.failFast,
    replace: flags.replace,
    refreshCatalog: flags.refreshCatalog,
    ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
    ...(flags.lockOut !== undefined ? { lockOut: flags.lockOut } : {}),
    ...(flags.detach ? { detach: 'submit' as const } : {}),
    ...(flags.takeOverStale ? { takeOverStale: true } : {}),
    ...(flags.plan !== undefined ? { savedPlan: flags.plan } : {}),
    signal,
    emit,
  };
}

/**
 * A refused build's findings, before the error itself is reported: annotations at their places in GitHub
 * Actions (`root` set), as `plan` prints them, else the diagnostics on stderr; with `--json`, the error event.
 */
function reportRefused(e: unknown, root: string | undefined, json: boolean): void {
  if (root !== undefined && isHeygenBuildError(e)) process.stdout.write(formatDiagnostics(relativeToRepository(errorDiagnostics(e), root), 'github'));
  else if (isHeygenBuildError(e) && e.diagnostics.length > 0) {
    process.stderr.write(formatDiagnostics(e.diagnostics, 'human', { color: useColor(process.stderr) }) + '\n');
  }
  if (json) process.stdout.write(JSON.stringify(errorEvent(e)) + '\n');
}
