/** `defaults` in heygen.config.ts: validated once per run, reported against the config file. */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, DiagnosticCode } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';
import type { DefaultsSite } from './analyze.js';
import { diagnosticAt } from './diagnostic.js';
import { SourceLines } from './frame.js';
import { isPlainMap } from './merge.js';
import { schemaIssues } from './schema-issues.js';
import { validateDefaultsData } from './schema.js';
import type { Position } from './source.js';

/** The `defaults` key in the config source, so problems point somewhere useful. */
function defaultsPosition(text: string | undefined): Position {
  if (text !== undefined) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const col = (lines[i] ?? '').search(/\bdefaults\s*:/);
      if (col >= 0) return { line: i + 1, column: col + 1 };
    }
  }
  return { line: 1, column: 1 };
}

/**
 * Validates the config's `defaults` once per run and says where to report them, so each manifest does not repeat their
 * problems.
 */
export async function checkDefaults(
  config: ResolvedConfig,
  knownValid = false,
): Promise<{ site: DefaultsSite; diagnostics: Diagnostic[] }> {
  const file = config.configFile
    ? path.relative(config.root, config.configFile).split(path.sep).join('/')
    : 'heygen.config.ts';
  let text: string | undefined;
  if (config.configFile) text = await readFile(config.configFile, 'utf8').catch(() => undefined);
  const site: DefaultsSite = { file, pos: defaultsPosition(text), invalid: false };
  if (text !== undefined) site.text = new SourceLines(text);

  const defaults: unknown = config.defaults;
  if (knownValid) return { site, diagnostics: [] };
  const problems: { code: DiagnosticCode; message: string; hint?: string }[] = [];
  if (!isPlainMap(defaults)) {
    problems.push({ code: 'E_SCHEMA', message: 'defaults must be a map of manifest keys' });
  } else {
    if ('id' in defaults) {
      problems.push({ code: 'E_SCHEMA', message: 'defaults cannot set `id`: every video would get the same id' });
    }
    for (const i of schemaIssues(validateDefaultsData(defaults))) {
      const p: { code: DiagnosticCode; message: string; hint?: string } = {
        code: i.code,
        message: `defaults: ${i.message.replace('the manifest', 'defaults')}`,
      };
      if (i.hint !== undefined) p.hint = i.hint;
      problems.push(p);
    }
  }
  site.invalid = problems.length > 0;
  return { site, diagnostics: problems.map((p) => diagnosticAt(p, file, site.pos, text)) };
}
