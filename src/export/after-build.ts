/**
 * The exports named in the config (`exports: { remotion, otio }`), run by `build` once its work is
 * done. They are incremental, so an unchanged project costs a few probes and no copy.
 */
import type { Project } from '../api/project.js';
import { isHeygenBuildError } from '../errors.js';
import type { EventSink } from '../execute/events.js';
import { exportOtio, exportRemotion, type ExportFormat } from './index.js';

/** Runs the configured exports, reporting each as an event; resolves to false when one failed. */
export async function configuredExports(project: Project, emit: EventSink, signal: AbortSignal): Promise<boolean> {
  const wanted = project.config.exports ?? {};
  let ok = true;
  // Both formats read the same videos: a warning about one of them is said once.
  const warned = new Set<string>();
  for (const format of ['remotion', 'otio'] as const satisfies readonly ExportFormat[]) {
    const dir = wanted[format];
    if (!dir || signal.aborted) continue;
    const run = format === 'remotion' ? exportRemotion : exportOtio;
    try {
      const r = await run(dir, { project, signal, cwd: project.config.root });
      for (const message of r.warnings.filter((w) => !warned.has(w))) {
        warned.add(message);
        emit({ type: 'warning', message });
      }
      emit({ type: 'exported', format, dir: r.dir, videos: r.videos.length, skipped: r.skipped.length, ...r.files });
    } catch (e) {
      // Nothing built yet is no failure of the build: there is just nothing to export.
      if (isHeygenBuildError(e) && e.code === 'E_EXPORT_EMPTY') {
        emit({ type: 'warning', message: `exports.${format}: ${e.message}` });
        continue;
      }
      ok = false;
      const code = isHeygenBuildError(e) ? e.code : 'E_INTERNAL';
      const hint = isHeygenBuildError(e) && e.hint ? ` (hint: ${e.hint})` : '';
      emit({ type: 'failed', id: `exports.${format}`, code, message: `${e instanceof Error ? e.message : String(e)}${hint}` });
    }
  }
  return ok;
}
