/** The JSON error document (README "JSON errors") for commands that take `--json`. */
import { errorDocument } from '../reporters/error-json.js';

/**
 * Runs a command; with `--json`, a failure is also written to stdout as the error document, so a CI
 * step that reads the JSON gets the error as JSON, not an empty stdout. The error still goes on (stderr, exit code).
 */
export async function withJsonErrors<T>(json: boolean | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (json) process.stdout.write(`${JSON.stringify(errorDocument(e), null, 2)}\n`);
    throw e;
  }
}
