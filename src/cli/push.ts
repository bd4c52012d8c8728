/** `heygen-build push`: sends every completed render the remote store lacks, and whatever a build left pending. */
import { pushAll } from '../remote/commands.js';
import { EXIT } from './exit.js';
import { withJsonErrors } from './json-error.js';
import type { GlobalOptions } from './options.js';
import { transferProgress } from './transfer-progress.js';
import { versioned } from '../reporters/json-format.js';
import { round3 } from './transfer-progress.js';

/** Runs `push`; resolves to the exit code. */
export function runPush(flags: GlobalOptions & { json?: boolean }): Promise<number> {
  return withJsonErrors(flags.json, () => push(flags));
}

async function push(flags: GlobalOptions & { json?: boolean }): Promise<number> {
  const progress = flags.json ? undefined : transferProgress('pushed');
  const r = await pushAll({ cwd: flags.cwd, configFile: flags.config, ...(progress ? { onProgress: progress.update } : {}) });
  const bytesPerSecond = r.seconds > 0 ? Math.round(r.bytes / r.seconds) : 0;
  if (flags.json) {
    process.stdout.write(JSON.stringify(versioned({ ...r, seconds: round3(r.seconds), bytesPerSecond }), null, 2) + '\n');
  } else {
    progress!.end(r.pushed, r.bytes, r.seconds);
    const stale = r.stale ? `, ${r.stale} skipped (the file changed since the lockfile recorded it)` : '';
    process.stdout.write(`${r.store}: ${r.pushed} render${r.pushed === 1 ? '' : 's'} pushed, ${r.present} already there${stale}\n`);
  }
  return EXIT.OK;
}
