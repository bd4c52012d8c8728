import { invalidManifestsError, validate } from '../api/validate.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { errorDiagnostic, errorDocument } from '../reporters/error-json.js';
import { useColor } from '../reporters/style.js';
import { isHeygenBuildError } from '../errors.js';
import { EXIT } from './exit.js';
import { chooseFormat, relativeToRepository, type OutputFormat } from './github.js';
import type { GlobalOptions } from './options.js';

/** `validate --format json`: the shared error document, plus `version` (its older name) for scripts that read it. */
function jsonDocument(error: unknown, diagnostics?: Parameters<typeof errorDocument>[1]): string {
  const { format_version, ...rest } = errorDocument(error, diagnostics);
  return `${JSON.stringify({ format_version, version: format_version, ...rest }, null, 2)}\n`;
}

/** Runs `heygen-build validate`, printing diagnostics in the chosen format; resolves to the exit code. */
export async function runValidate(paths: string[], opts: GlobalOptions & { format?: OutputFormat }): Promise<number> {
  const cwd = opts.cwd ?? process.cwd();
  const format = chooseFormat(opts.format);
  let result;
  try {
    result = await validate({ cwd, configFile: opts.config, paths });
  } catch (e) {
    // A broken config (or nothing to validate) is a finding too: machine formats still get it, then the boundary prints it.
    if (format === 'json') process.stdout.write(jsonDocument(e));
    else if (format === 'github' && isHeygenBuildError(e)) {
      process.stdout.write(formatDiagnostics(relativeToRepository([errorDiagnostic(e)], cwd), 'github'));
    }
    throw e;
  }
  const { diagnostics, files } = result;
  if (format === 'json') {
    process.stdout.write(jsonDocument(result.ok ? null : invalidManifestsError(diagnostics), diagnostics));
  } else if (diagnostics.length > 0) {
    // Annotations are placed by the path from the repository root, whatever folder the command ran in.
    const shown = format === 'github' ? relativeToRepository(diagnostics, result.config.root) : diagnostics;
    const text = formatDiagnostics(shown, format, { color: useColor(process.stdout) });
    process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }
  if (format === 'human' && result.ok) {
    process.stdout.write(`${files.length} manifest${files.length === 1 ? '' : 's'} valid.\n`);
  }
  return result.ok ? EXIT.OK : EXIT.ERROR;
}
