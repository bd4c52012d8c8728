/**
 * `npm run emulator -- --port 4010 [...]`: the emulator without the heygen-build CLI around it
 * (`heygen-build emulator` runs the same code). Options: src/emulator/cli.ts.
 */
import { parseEmulatorArgs, serveEmulator, USAGE } from './cli.js';

function options(): ReturnType<typeof parseEmulatorArgs> | null {
  try {
    return parseEmulatorArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`heygen-emulator: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return null;
  }
}

const opts = options();
if (opts === null) process.exit(2);
if (opts === undefined) {
  process.stdout.write(`${USAGE}\n`);
} else {
  serveEmulator(opts).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`heygen-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
