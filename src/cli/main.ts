/**
 * The command line. It only translates: flags become options for the library API, results go to a
 * reporter, and every path ends in an exit code. Commands are imported lazily to keep start-up fast.
 */
import { createRequire } from 'node:module';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { registerCatalogCommands } from './catalog-commands.js';
import { registerLockCommands } from './lock-commands.js';
import { registerDetachCommands } from './webhooks-commands.js';
import { registerExportCommands } from './export.js';
import { reportError } from './errors.js';
import { parseAgeFlag } from './durations.js';
import { EXIT } from './exit.js';
import { Stopped, finalExitCode, resetStop, watchOutputPipes } from './signals.js';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number >= 0');
  return n;
}

function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/** `watch --serve`: a TCP port, 0 for any free one. */
function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

import type { GlobalOptions } from './options.js';

type SetExit = (code: number) => void;

/** The command-line program with every subcommand; `setExit` receives each command's exit code. */
export function buildProgram(setExit: SetExit): Command {
  const program = new Command('heygen-build')
    .description('Declare HeyGen avatar videos in YAML; validate, plan and build only what changed.')
    .version(packageVersion(), '-v, --version')
    .option('-c, --config <path>', 'config file (default: heygen.config.{ts,mts,js,mjs} in the working folder, else the nearest folder above it)')
    .option('-C, --cwd <dir>', 'run as if started in <dir>')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  // In this order: it is the order of `--help` and of the completion scripts.
  registerCheckCommands(program, setExit);
  registerRenderCommands(program, setExit);
  registerProjectCommands(program, setExit);
  registerStorageCommands(program, setExit);
  // Catalog discovery (avatars, voices): registered in their own module.
  registerCatalogCommands(program, setExit);
  // Joining lockfiles written apart (shards, branches).
  registerLockCommands(program, setExit);
  // Detached builds: status and webhooks, registered in their own module.
  registerDetachCommands(program, setExit);
  // Remotion asset pack and OpenTimelineIO: registered in their own module.
  registerExportCommands(program, setExit);
  // `terraform version`, `helm version`: the command a newcomer types for `--version`.
  program
    .command('version')
    .description('print the version (the same as --version)')
    .action(() => {
      process.stdout.write(`${packageVersion()}\n`);
      setExit(EXIT.OK);
    });

  return program;
}

/** The commands that read the manifests and spend nothing: `validate`, `plan`. */
function registerCheckCommands(program: Command, setExit: SetExit): void {
  program
    .command('validate')
    .description('check manifests against the schema and each other; spends nothing')
    .argument('[paths...]', 'manifest files, folders or globs (default: the config\'s manifests)')
    // `--json` as plan and build take it: the flag a user tries first (it was an unknown option).
    .addOption(new Option('--json', 'print the JSON error document (see README); the same as --format json').conflicts('format'))
    .addOption(new Option('--format <format>', 'output format (default: github inside GitHub Actions, else human)').choices(['human', 'json', 'github']))
    .action(async (paths: string[], opts: { json?: boolean; format?: 'human' | 'json' | 'github' }, cmd: Command) => {
      const { runValidate } = await import('./validate.js');
      const { json, ...rest } = opts;
      setExit(await runValidate(paths, { ...cmd.optsWithGlobals<GlobalOptions>(), ...rest, ...(json ? { format: 'json' as const } : {}) }));
    });

  program
    .command('plan')
    .description('show what build would do, why, and what it would cost; spends nothing')
    .argument('[paths...]', 'manifest files, folders or globs (default: the config\'s manifests)')
    .addOption(new Option('--provider <provider>', 'plan for: heygen (against the lockfile; no key needed), local (drafts) or auto').choices(['auto', 'heygen', 'local']))
    .option('--max-credits <n>', 'warn when the plan is estimated above this (build refuses it)', nonNegative)
    // Both at once would be one of them silently ignored (`--json --format human` printed JSON).
    .addOption(new Option('--json', 'print the plan as JSON (see README); the same as --format json').conflicts('format'))
    .addOption(new Option('--format <format>', 'output format (default: github inside GitHub Actions, else human)').choices(['human', 'json', 'github']))
    .option('--detailed-exitcode', 'exit 0 when nothing to do, 2 when there are changes, 1 on error')
    .option('--all', 'also list unchanged videos')
    .option('--replace <ids...>', 'render these videos (id, or id@lang for a translation) again although unchanged')
    .option('--refresh-catalog', 'fetch the account\'s avatars and voices now instead of using .heygen/catalog.json')
    .option('--no-snapshot', 'plan in full even when no input changed (see README "The plan snapshot")')
    .option('--out <file>', 'also save the plan as JSON to this file, for `build --plan` (see README "Saved plans")')
    .action(async (paths: string[], opts: Record<string, unknown>, cmd: Command) => {
      const { runPlan } = await import('./plan.js');
      setExit(await runPlan(paths, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
}

/** The commands that render: `build`, and `watch` (drafts, again at each change). */
function registerRenderCommands(program: Command, setExit: SetExit): void {
  program
    .command('build')
    .description('render new and changed videos (HeyGen with an API key, offline drafts without)')
    .argument('[paths...]', 'manifest files, folders or globs (default: the config\'s manifests)')
    .addOption(new Option('--provider <provider>', 'where to render').choices(['auto', 'heygen', 'local']))
    .option('--concurrency <n>', 'jobs at once: HeyGen renders and translations together (default 10); drafts: ffmpeg renders (default one per core)', positiveInt)
    .option('--max-credits <n>', 'refuse to start when the plan is estimated above this', nonNegative)
    .option('--fail-fast', 'stop submitting after the first failure')
    .option('--replace <ids...>', 'render these videos (id, or id@lang for a translation) again although unchanged (a draft: rendered again, not taken from the draft cache)')
    // Both at once would be one of them silently ignored.
    .addOption(new Option('--json', 'print NDJSON events (see README); the same as --format json').conflicts('format'))
    .addOption(new Option('--format <format>', 'output: human, json (NDJSON events) or github (the log, and failures as annotations); default: github inside GitHub Actions, else human').choices(['human', 'json', 'github']))
    .option('--refresh-catalog', 'fetch the account\'s avatars and voices now instead of using .heygen/catalog.json')
    .option('--shard <i/n>', 'build only shard i of n (from 0) of the plan, for a CI matrix; see README "Teams and CI"')
    .option('--lock-out <path>', 'with --shard: where to write the partial lockfile (default heygen.lock.shard-<i>-of-<n>.yaml)')
    .option('--detach', 'submit, then exit 0 without waiting for renders; a later build (or `webhooks listen`) collects them')
    .option('--take-over-stale', 'take over stale remote-store claims with their holder\'s Idempotency-Key (README "Claims")')
    .option('--plan <file>', 'build only what this saved plan (`plan --out`) shows, spending at most its total; refuse if the plan changed')
    .action(async (paths: string[], opts: Record<string, unknown>, cmd: Command) => {
      const { runBuild } = await import('./build.js');
      setExit(await runBuild(paths, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });

  program
    .command('watch')
    .description('rebuild drafts as manifests, assets and the config change; HeyGen only with --provider heygen')
    .argument('[paths...]', 'manifest files, folders or globs (default: the config\'s manifests)')
    .addOption(new Option('--provider <provider>', 'where to render (default: local drafts, whatever the config says)').choices(['local', 'heygen']))
    .option('--serve [port]', 'serve a live preview page on 127.0.0.1 (default port 4321; 0: any free port)', portNumber)
    .option('--debounce <ms>', 'quiet time after a change before rebuilding (default 100)', nonNegative)
    .action(async (paths: string[], opts: Record<string, unknown>, cmd: Command) => {
      const { runWatch } = await import('./watch.js');
      setExit(await runWatch(paths, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
}

/** Setting up and trying out: `init`, `completion`, `emulator`. */
function registerProjectCommands(program: Command, setExit: SetExit): void {
  program
    .command('init')
    .description('write a starter project here: config, a sample manifest, editor settings, a GitHub workflow; never overwrites')
    .option('--shards <n>', 'also a GitHub workflow building in n matrix shards, and the lockfile\'s merge driver in .gitattributes', positiveInt)
    .action(async (_opts: unknown, cmd: Command) => {
      const { runInit } = await import('./init.js');
      setExit(await runInit(cmd.optsWithGlobals<GlobalOptions & { shards?: number }>()));
    });

  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript } = await import('./completion.js');
      process.stdout.write(completionScript(shell, program));
    });

  program
    .command('emulator')
    .description('a local HeyGen API emulator on 127.0.0.1: try manifests and CI offline, free (--help for its options)')
    .argument('[options...]', 'emulator options: --port, --api-key, --render-ms, ... (see --help)')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (args: string[]) => {
      // The only way into src/emulator from the product: loaded when this command runs, never otherwise.
      const { runEmulator } = await import('./emulator.js');
      setExit(await runEmulator(args));
    });
}

/** Where renders are kept: the remote store (`push`, `pull`, `claims`) and `.heygen/` (`gc`). */
function registerStorageCommands(program: Command, setExit: SetExit): void {
  // The remote store (README "Teams and CI").
  program
    .command('push')
    .description('send completed renders (outputs, clips, captions, records) to the remote store')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runPush } = await import('./push.js');
      setExit(await runPush({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
  program
    .command('pull')
    .description('download from the remote store every output and clip the lockfile records and the disk lacks')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runPull } = await import('./pull.js');
      setExit(await runPull({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });

  program
    .command('gc')
    .description('remove from .heygen/ the drafts, scene clips and caches that neither the lockfile nor the manifests ask for; spends nothing')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--older-than <age>', 'keep unreferenced files changed more recently than this (0, 90s, 30m, 12h, 7d; default 2m)', (v: string) => parseAgeFlag(v))
    .option('--json', 'print the result as JSON (see README)')
    .action(async (opts: { dryRun?: boolean; olderThan?: number; json?: boolean }, cmd: Command) => {
      const { runGc } = await import('./gc.js');
      setExit(await runGc({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });

  const claims = program
    .command('claims')
    .description('list the remote store\'s claims: who is paying for which key, and stale ones (README "Claims")')
    .option('--all', 'also list claims whose key is finished (has its record)')
    .option('--json', 'print the claims as JSON')
    .action(async (opts: { json?: boolean; all?: boolean }, cmd: Command) => {
      const { runClaims } = await import('./claims.js');
      setExit(await runClaims({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
  claims
    .command('release')
    .description('free stale claims (the next build takes them over with the holder\'s Idempotency-Key)')
    .argument('<keys...>', 'content keys (or a unique prefix, 8+ characters) or HeyGen ids')
    .option('--force', 'delete the claim whatever its state (a second machine may then pay for the key)')
    .option('--json', 'print what was freed as JSON')
    .action(async (refs: string[], opts: { json?: boolean; force?: boolean }, cmd: Command) => {
      const { runClaimsRelease } = await import('./claims.js');
      setExit(await runClaimsRelease(refs, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
}

/** The CLI's entry: runs the command in argv and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  resetStop();
  // `heygen-build ... | head` closes our stdout early: that must stop the command quietly (exit 141).
  watchOutputPipes();
  return finalExitCode(await run(argv));
}

async function run(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
    }
    // Stopped before anything was in flight (the first message already said so): not a bug.
    if (e instanceof Stopped) return EXIT.INTERRUPTED;
    return reportError(e);
  }
}

