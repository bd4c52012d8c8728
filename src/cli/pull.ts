/** `heygen-build pull`: downloads every output and clip the lockfile records and the disk lacks. */
import { pullAll } from '../remote/commands.js';
import { EXIT } from './exit.js';
import { withJsonErrors } from './json-error.js';
import type { GlobalOptions } from './options.js';
import { transferProgress } from './transfer-progress.js';
import { versioned } from '../reporters/json-format.js';
import { round3 } from './transfer-progress.js';

/** Runs `pull`; exit 1 when some file is in neither place. */
export function runPull(flags: GlobalOptions & { json?: boolean }): Promise<number> {
  return withJsonErrors(flags.json, () => pull(flags));
}

async function pull(flags: GlobalOptions & { json?: boolean }): Promise<number> {
  const progress = flags.json ? undefined : transferProgress('pulled');
  const r = await pullAll({ cwd: flags.cwd, configFile: flags.config, ...(progress ? { onProgress: progress.update } : {}) });
  const bytesPerSecond = r.seconds > 0 ? Math.round(r.bytes / r.seconds) : 0;
  if (flags.json) {
    process.stdout.write(JSON.stringify(versioned({ ...r, seconds: round3(r.seconds), bytesPerSecond }), null, 2) + '\n');
  } else {
    progress!.end(r.pulled, r.bytes, r.seconds);
    process.stdout.write(`${r.store}: ${r.pulled} file${r.pulled === 1 ? '' : 's'} pulled, ${r.present} already here\n`);
    for (const m of r.missing) process.stdout.write(`  missing from the store: ${m} (push it from a machine that has it, or build again)\n`);
  }
  return r.missing.length > 0 ? EXIT.ERROR : EXIT.OK;
}
