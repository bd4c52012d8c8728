/** Registers `status` and `webhooks`: following and finishing renders a detached build left at HeyGen. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseTimeoutFlag } from './durations.js';
import type { GlobalOptions } from './options.js';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

/** `--timeout` of the commands that ask HeyGen once and report (`status`, `webhooks register|list|delete`). */
function timeoutOption(): Option {
  return new Option('--timeout <duration>', 'how long each HeyGen request may go unanswered (500ms, 30s, 2m; default 15s); each is made twice').argParser(parseTimeoutFlag);
}

/** Adds `status` and `webhooks …` to `program`; their modules load only when one runs. */
export function registerDetachCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command('status')
    .description('show what HeyGen says of each render the lockfile records in flight (bulk statuses); spends nothing')
    .option('--remote', 'instead: which completed renders are local, in the remote store, or missing')
    .option('--json', 'print the jobs as JSON (see README)')
    // The remote store's requests are not HeyGen's: given with --remote, the flag would do nothing.
    .addOption(timeoutOption().conflicts('remote'))
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      if (opts.remote === true) {
        const { runStatusRemote } = await import('./status-remote.js');
        return setExit(await runStatusRemote({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
      }
      const { runStatus } = await import('./status.js');
      setExit(await runStatus({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });

  const webhooks = program.command('webhooks').description('HeyGen webhook endpoints, and a receiver that collects renders as they finish');
  webhooks
    .command('register')
    .description('register a webhook endpoint with HeyGen; prints its signing secret once')
    .requiredOption('--url <url>', 'the public https URL HeyGen posts to (where `webhooks listen` is reachable); plain http only to localhost, 127.0.0.0/8 or [::1]')
    .option('--events <types...>', 'event types (default: avatar_video.success/fail, video_translate.success/fail)')
    .option('--json', 'print the endpoint and secret as JSON')
    .addOption(timeoutOption())
    .action(async (opts: { url: string; events?: string[]; json?: boolean; timeout?: number }, cmd: Command) => {
      const { runRegister } = await import('./webhooks.js');
      setExit(await runRegister({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
  webhooks
    .command('list')
    .description('list the registered webhook endpoints')
    .option('--json', 'print them as JSON')
    .addOption(timeoutOption())
    .action(async (opts: { json?: boolean; timeout?: number }, cmd: Command) => {
      const { runList } = await import('./webhooks.js');
      setExit(await runList({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
  webhooks
    .command('delete')
    .description('delete a webhook endpoint')
    .argument('<id>', 'the endpoint id (see `webhooks list`)')
    .addOption(timeoutOption())
    .action(async (id: string, opts: { timeout?: number }, cmd: Command) => {
      const { runDelete } = await import('./webhooks.js');
      setExit(await runDelete(id, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
  webhooks
    .command('listen')
    .description('receive HeyGen webhooks (signature checked) and collect each finished render, as build would')
    .option('--port <n>', 'port to listen on (default 8787; 0: any free port)', port)
    .option('--host <host>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for all)')
    .action(async (opts: { port?: number; host?: string }, cmd: Command) => {
      const { runListen } = await import('./webhooks.js');
      setExit(await runListen({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
}
