/** `heygen-build emulator`: the HeyGen emulator (src/emulator), loaded only when this command runs. */
import { EXIT } from './exit.js';

/** Runs `heygen-build emulator`, importing the emulator only now so the product never loads it otherwise. */
export async function runEmulator(args: string[]): Promise<number> {
  const { parseEmulatorArgs, serveEmulator, USAGE } = await import('../emulator/cli.js');
  let opts;
  try {
    opts = parseEmulatorArgs(args);
  } catch (e) {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return EXIT.ERROR;
  }
  if (opts === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  return serveEmulator(opts);
}
