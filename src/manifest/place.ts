/**
 * Placing a problem found after loading (by a check that only has a spec: a language HeyGen's live
 * list lacks) back in its manifest. Reads and parses the one file again: this runs on the way to an
 * error, never on the fast path.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq } from '../util/yaml.js';
import type { SourceLocation } from '../errors.js';
import { parseYaml } from './source.js';

/**
 * Where the manifest at `source` (project-relative) asks for the translation `language`: the item of its
 * `translations:` list; undefined when the file cannot be read or the language is not written there (it came
 * from the config's defaults).
 */
export function locateTranslation(root: string, source: string, language: string): SourceLocation | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(root, source), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parseYaml(text);
  const list = isMap(parsed.doc.contents) ? parsed.doc.contents.get('translations', true) : undefined;
  if (!isSeq(list)) return undefined;
  for (const item of list.items) {
    const node = isMap(item) ? item.get('language', true) : item;
    if (!isScalar(node) || node.value !== language || !node.range) continue;
    const start = parsed.lines.linePos(node.range[0]);
    const end = parsed.lines.linePos(node.range[1]);
    return { file: source, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
  }
  return undefined;
}
