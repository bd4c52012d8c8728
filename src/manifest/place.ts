/**
 * Placing a problem found after loading (by a check that only has a spec: a language HeyGen's live
 * list lacks; a render HeyGen failed) back in its manifest. Reads and parses the one file again: this
 * runs on the way to an error, never on the fast path.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq } from '../util/yaml.js';
import type { SourceLocation } from '../errors.js';
import type { VideoSpec } from '../model/spec.js';
import { locate, parseYaml, type ParsedYaml } from './source.js';

/**
 * Where the manifest at `source` (project-relative) asks for the translation `language`: the item of its
 * `translations:` list; undefined when the file cannot be read or the language is not written there (it came
 * from the config's defaults).
 */
export function locateTranslation(root: string, source: string, language: string): SourceLocation | undefined {
  const text = readManifest(root, source);
  if (text === undefined) return undefined;
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

/**
 * Where video `spec` is declared, or with `scene` (0-based) that scene of it: the scene's item in
 * `scenes:`; a row's video at its row (data file and line); a template video at `template:`, a prompt
 * video at `prompt:`; any other at the manifest's first key. A scene of a row whose manifest chooses
 * scenes with `when:` is placed at its row (its number counts the scenes the row kept, not the
 * manifest's). Undefined when the manifest cannot be read.
 */
export function locateVideo(root: string, spec: VideoSpec, scene?: number): SourceLocation | undefined {
  const text = readManifest(root, spec.source);
  const parsed = text === undefined ? undefined : parseYaml(text);
  const at = parsed && scene !== undefined ? sceneAt(parsed, spec, scene) : undefined;
  if (at) return at;
  if (spec.row) return { file: spec.row.file, line: spec.row.line, column: 1 };
  const t = spec.template?.at.template;
  if (t) return { file: t.file ?? spec.source, line: t.line, column: t.column };
  if (!parsed) return undefined;
  const pos = locate(parsed, spec.prompt ? ['prompt'] : [], 'key');
  return { file: spec.source, line: pos.line, column: pos.column };
}

function readManifest(root: string, source: string): string | undefined {
  try {
    return readFileSync(path.join(root, source), 'utf8');
  } catch {
    return undefined;
  }
}

/** Scene `scene` of `spec` in its manifest; undefined when the manifest does not write it there. */
function sceneAt(parsed: ParsedYaml, spec: VideoSpec, scene: number): SourceLocation | undefined {
  const scenes = isMap(parsed.doc.contents) ? parsed.doc.contents.get('scenes', true) : undefined;
  // Scenes from the config's defaults are not in the manifest.
  if (!isSeq(scenes) || scenes.items[scene] === undefined) return undefined;
  if (spec.row && scenes.items.some((s) => isMap(s) && s.has('when'))) return undefined;
  const pos = locate(parsed, ['scenes', scene]);
  return { file: spec.source, line: pos.line, column: pos.column };
}
