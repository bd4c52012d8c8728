/** Registers `lock merge` and `lock merge-driver`; their code (lock.ts) loads only when one runs. */
import type { Command } from 'commander';
import type { GlobalOptions } from './options.js';

/** Adds `lock merge` and `lock merge-driver` to the program. */
export function registerLockCommands(program: Command, setExit: (code: number) => void): void {
  const lock = program.command('lock').description('join lockfiles written apart: shards of a build, or two git branches');
  lock
    .command('merge')
    .description('join partial lockfiles written by `build --shard` into the lockfile')
    .argument('[files...]', 'partial lockfiles (heygen.lock.shard-<i>-of-<n>.yaml)')
    .option('--into <path>', 'the lockfile to merge into (default: the config\'s lockfile)')
    .option('--json', 'print what was merged as JSON')
    .option('--force', 'merge partials that are not the shards of one build, each once (see README "lock merge")')
    .action(async (files: string[], opts: { into?: string; json?: boolean; force?: boolean }, cmd: Command) => {
      const { runLockMerge } = await import('./lock.js');
      setExit(await runLockMerge(files, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
  lock
    .command('merge-driver')
    .description('git merge driver for the lockfile (see README "Teams and CI"): merge.heygen-lock.driver')
    .argument('<base>', '%O: the common ancestor\'s version')
    .argument('<ours>', '%A: our version, replaced by the merge')
    .argument('<theirs>', '%B: their version')
    .argument('[name]', '%P: the path in the repository, for messages')
    .action(async (base: string, ours: string, theirs: string, name: string | undefined) => {
      const { runLockMergeDriver } = await import('./lock.js');
      setExit(await runLockMergeDriver(base, ours, theirs, name));
    });
}
