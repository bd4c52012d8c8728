/**
 * `heygen-build export remotion <dir>` and `export otio <dir>`: the built videos' scene clips with
 * their timing, for Remotion or for an editor. The export modules load only when one runs.
 */
import type { Command } from 'commander';
import type { ExportFormat, ExportResult } from '../export/index.js';
import { errorDocument } from '../reporters/error-json.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './options.js';
import { versioned } from '../reporters/json-format.js';

/** The options `heygen-build export …` accepts. */
export interface ExportFlags extends GlobalOptions {
  json?: boolean;
}

/** Adds `export remotion` and `export otio` to `program`. */
export function registerExportCommands(program: Command, setExit: (code: number) => void): void {
  const exp = program.command('export').description("write the built videos' scene clips with their timing for Remotion or an editor; renders nothing");
  const sub = (format: ExportFormat, description: string): void => {
    exp
      .command(format)
      .description(description)
      .argument('<dir>', 'the folder to write (created if missing)')
      .argument('[paths...]', "manifest files, folders or globs (default: the config's manifests)")
      .option('--json', 'print what was exported as JSON (see README)')
      .action(async (dir: string, paths: string[], opts: { json?: boolean }, cmd: Command) => {
        setExit(await runExport(format, dir, paths, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
      });
  };
  sub('remotion', 'a Remotion asset pack: clips/ (content-addressed), heygen.ts and heygen.json');
  sub('otio', 'one OpenTimelineIO file (<id>.otio) per video, a video and an audio track of its scene clips');
}

/** Runs one export and reports it; resolves to the exit code. */
export async function runExport(format: ExportFormat, dir: string, paths: string[], flags: ExportFlags): Promise<number> {
  const { exportOtio, exportRemotion } = await import('../export/index.js');
  const opts = { cwd: flags.cwd, configFile: flags.config, paths };
  try {
    const result = format === 'remotion' ? await exportRemotion(dir, opts) : await exportOtio(dir, opts);
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(flags.json ? JSON.stringify(versioned(result)) + '\n' : describeExport(result));
    return EXIT.OK;
  } catch (e) {
    // --json fails in the shared error document (README "JSON errors"); the error boundary prints the rest.
    if (flags.json) process.stdout.write(JSON.stringify(errorDocument(e), null, 2) + '\n');
    throw e;
  }
}

/** The human report of an export: one line per video, the ones left out, and what was written. */
export function describeExport(r: ExportResult): string {
  const lines = r.videos.map((v) => `  ${v.id}${v.draft ? ' (draft)' : ''}: ${v.scenes} scene${v.scenes === 1 ? '' : 's'}, ${v.durationInFrames} frames at ${round(v.fps)} fps`);
  for (const s of r.skipped) lines.push(`  ${s.id}: skipped, ${s.reason}`);
  const f = r.files;
  const what = r.format === 'remotion' ? 'Remotion pack' : 'OpenTimelineIO';
  lines.push(`${what} in ${r.dir}: ${f.written} file${f.written === 1 ? '' : 's'} written, ${f.kept} unchanged${f.removed > 0 ? `, ${f.removed} removed` : ''}`);
  return `${lines.join('\n')}\n`;
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
