import { invalidManifestsError, validate } from '../api/validate.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { errorDiagnostic, errorDocument } from '../reporters/error-json.js';
import { useColor } from '../reporters/style.js';
import { isHeygenBuildError } from '../errors.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './main.js';

type Format = 'human' | 'json' | 'github';

/** `validate --format json`: the shared error document, plus `version` (its older name) for scripts that read it. */
function jsonDocument(error: unknown, diagnostics?: Parameters<typeof errorDocument>[1]): string {
  const { format_version, ...rest } = errorDocument(error, diagnostics);
  return `${JSON.stringify({ format_version, version: format_version, ...rest }, null, 2)}\n`;
}

/** Runs `heygen-build validate`, printing diagnostics in the chosen format; resolves to the exit code. */
export async function runValidate(paths: string[], opts: GlobalOptions & { format: Format }): Promise<number> {
  const cwd = opts.cwd ?? process.cwd();
  let result;
  try {
    result = await validate({ cwd, configFile: opts.config, paths });
  } catch (e) {
    // A broken config (or nothing to validate) is a finding too: machine formats still get it, then the boundary prints it.
    if (opts.format === 'json') process.stdout.write(jsonDocument(e));
    else if (opts.format === 'github' && isHeygenBuildError(e)) process.stdout.write(formatDiagnostics([errorDiagnostic(e)], 'github'));
    throw e;
  }
  const { diagnostics, files } = result;
  if (opts.format === 'json') {
    process.stdout.write(jsonDocument(result.ok ? null : invalidManifestsError(diagnostics), diagnostics));
  } else if (diagnostics.length > 0) {
    const text = formatDiagnostics(diagnostics, opts.format, { color: useColor(process.stdout) });
    process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }
  if (opts.format === 'human' && result.ok) {
    process.stdout.write(`${files.length} manifest${files.length === 1 ? '' : 's'} valid.\n`);
  }
  return result.ok ? EXIT.OK : EXIT.ERROR;
}
