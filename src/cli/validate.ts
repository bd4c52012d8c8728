import { openProject } from '../api/project.js';
import { manifestPatterns, requireManifests } from '../config/discover.js';
import { isHeygenBuildError, type Diagnostic } from '../errors.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { useColor } from '../reporters/style.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './main.js';

export async function runValidate(paths: string[], opts: GlobalOptions & { format: 'human' | 'json' | 'github' }): Promise<number> {
  const cwd = opts.cwd ?? process.cwd();
  let project;
  try {
    project = await openProject({ cwd, configFile: opts.config, paths });
    requireManifests(project.files, manifestPatterns(project.config, paths, cwd));
  } catch (e) {
    // A broken config (or nothing to validate) is a finding too: machine formats still get it, then the boundary prints it.
    if (opts.format !== 'human' && isHeygenBuildError(e)) {
      const d: Diagnostic = { severity: 'error', code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}), ...(e.location ? { location: e.location } : {}) };
      process.stdout.write(formatDiagnostics([d], opts.format));
    }
    throw e;
  }
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  if (opts.format === 'json') {
    process.stdout.write(formatDiagnostics(project.diagnostics, 'json'));
  } else if (project.diagnostics.length > 0) {
    const text = formatDiagnostics(project.diagnostics, opts.format, { color: useColor(process.stdout) });
    process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }
  if (opts.format === 'human' && errors.length === 0) {
    process.stdout.write(`${project.files.length} manifest${project.files.length === 1 ? '' : 's'} valid.\n`);
  }
  return errors.length > 0 ? EXIT.ERROR : EXIT.OK;
}
