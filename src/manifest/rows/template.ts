/**
 * A `rows:` manifest read as a template: its rows, its compiled head and scenes, the `when:` of
 * each scene, and every problem of the template itself (placeholders written wrong, unknown
 * columns, an id that would be the same for every row). Rows are filled in expand.ts.
 */

import type { Node } from 'yaml';
import { isSeq } from '../../util/yaml.js';
import type { Diagnostic } from '../../errors.js';
import { didYouMean } from '../../util/suggest.js';
import { diagnosticAt } from '../diagnostic.js';
import type { DataPath } from '../issue.js';
import { locate } from '../source.js';
import { listRows, readRowsFile } from './data.js';
import type { RowSet } from './row-set.js';
import type { PriorData } from './incremental.js';
import type { DataBytes } from './lookup.js';
import { compile, type Placeholder, type SyntaxIssue, type Tpl } from './fill.js';
import { placeholderAt, type TemplateSite } from './place.js';
import { isWhen, parseWhen, type When } from './when.js';

/** One scene of the template: compiled, with its condition. */
export interface SceneTemplate {
  index: number;
  tpl: Tpl;
  when?: When;
}

/** A template ready to fill, or the problems that stop it. */
export interface Template {
  rows: RowSet;
  head: Tpl;
  scenes: SceneTemplate[];
  placeholders: Placeholder[];
  /** Columns the rows' keys depend on (placeholders and `when`), sorted. */
  used: string[];
  /** The id with each placeholder as `*`: how the plan groups these rows, e.g. `welcome/*`. */
  group: string;
  /** The manifest is a HeyGen template, a prompt or a dub (`template:`, `prompt:`, `source:`): it has no `scenes:`. */
  sceneless: boolean;
}

/** What a manifest may have instead of `scenes:` (the schema's other shapes). */
const INSTEAD_OF_SCENES = ['template', 'prompt', 'source'];

const ROWS_HINT = 'write rows: customers.csv (a CSV, JSONL, YAML or JSON file next to the manifest) or a list of maps';

/** Reads the template and its rows; `problems` gets everything that stops filling any row. */
export function readTemplate(
  site: TemplateSite,
  data: Record<string, unknown>,
  root: string,
  problems: Diagnostic[],
  prior?: PriorData,
  current?: DataBytes,
): Template | undefined {
  const here = (path: DataPath, code: Diagnostic['code'], message: string, hint?: string, key = false): void => {
    problems.push(diagnosticAt({ code, message, ...(hint ? { hint } : {}) }, site.rel, locate(site.parsed, path, key ? 'key' : 'value'), site.source));
  };
  let start = problems.length;
  const rows = readRows(site, data.rows, root, problems, here, prior, current);
  // Problems of single rows (the data file's other rows came through) do not stop the template.
  if (rows) start = problems.length;
  const { rows: _rows, scenes: rawScenes, ...headData } = data;
  void _rows;
  const syntax: SyntaxIssue[] = [];
  const placeholders: Placeholder[] = [];
  const head = compile(headData, [], syntax, placeholders);
  const scenes: SceneTemplate[] = [];
  if (Array.isArray(rawScenes)) {
    rawScenes.forEach((raw: unknown, index) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('when' in raw)) {
        scenes.push({ index, tpl: compile(raw, ['scenes', index], syntax, placeholders) });
        return;
      }
      const { when: w, ...rest } = raw as Record<string, unknown>;
      const parsed = parseWhen(w);
      if (!isWhen(parsed)) {
        const path: DataPath = parsed.key ? ['scenes', index, 'when', parsed.key] : ['scenes', index, 'when'];
        here(path, 'E_ROWS_TEMPLATE', parsed.message, parsed.hint, parsed.key !== undefined);
      }
      scenes.push({ index, tpl: compile(rest, ['scenes', index], syntax, placeholders), ...(isWhen(parsed) ? { when: parsed } : {}) });
    });
  } else if (!(rawScenes === undefined && INSTEAD_OF_SCENES.some((k) => k in data))) {
    here(rawScenes === undefined ? [] : ['scenes'], rawScenes === undefined ? 'E_MISSING_KEY' : 'E_SCHEMA', 'a manifest needs `scenes:`, a list of scenes', 'add scenes: with at least one scene');
  }
  for (const s of syntax) {
    const pos = placeholderAt(site, { column: '', filters: [], raw: s.raw, nth: 0, path: s.path });
    problems.push(diagnosticAt({ code: 'E_ROWS_TEMPLATE', message: s.message, ...(s.hint ? { hint: s.hint } : {}) }, site.rel, pos, site.source));
  }
  const id = data.id;
  if (typeof id !== 'string' || !id.includes('{{')) {
    here(
      id === undefined ? ['rows'] : ['id'],
      'E_ROWS_TEMPLATE',
      id === undefined ? 'a manifest with rows: needs an `id:` with a placeholder, so each row is its own video' : `id ${JSON.stringify(id)} has no placeholder: every row would get the same id`,
      'make the id unique per row, e.g. id: welcome/{{ customer_id }}',
      id === undefined,
    );
  }
  if (!rows) return undefined;
  checkColumns(site, rows, placeholders, scenes, problems);
  if (problems.length > start) return undefined;
  const used = [...new Set([...placeholders.map((p) => p.column), ...scenes.flatMap((s) => (s.when ? [s.when.column] : []))])].sort();
  return { rows, head, scenes, placeholders, used, group: String(id).replace(/\{\{[\s\S]*?\}\}/g, '*'), sceneless: rawScenes === undefined };
}

type Here = (path: DataPath, code: Diagnostic['code'], message: string, hint?: string, key?: boolean) => void;

function readRows(site: TemplateSite, value: unknown, root: string, problems: Diagnostic[], here: Here, prior?: PriorData, current?: DataBytes): RowSet | undefined {
  if (typeof value === 'string') {
    const r = readRowsFile(root, site.rel, value, prior, current);
    if (r.ok) return nonEmpty(r.set, here);
    for (const p of r.problems) {
      const pos = { line: p.line, column: p.column };
      const onManifest = p.file === site.rel;
      const d = { code: 'E_ROWS_DATA' as const, message: p.message, ...(p.hint ? { hint: p.hint } : {}) };
      problems.push(onManifest ? diagnosticAt(d, site.rel, locate(site.parsed, ['rows']), site.source) : diagnosticAt(d, p.file, pos, p.text));
    }
    return r.partial && r.partial.rows.length > 0 ? r.partial : undefined;
  }
  if (Array.isArray(value)) {
    const node = site.parsed.doc.get('rows', true) as Node | undefined;
    const nodes = isSeq(node) ? (node.items as (Node | null)[]) : [];
    const r = listRows(site.rel, site.source.text, value, nodes, (offset) => site.parsed.lines.linePos(offset).line);
    if (r.ok) return nonEmpty(r.set, here);
    for (const p of r.problems) problems.push(diagnosticAt({ code: 'E_ROWS_DATA', message: p.message }, site.rel, { line: p.line, column: p.column }, site.source));
    return r.partial && r.partial.rows.length > 0 ? r.partial : undefined;
  }
  here(['rows'], 'E_ROWS_DATA', 'rows: must name a data file or list the rows', ROWS_HINT);
  return undefined;
}

function nonEmpty(set: RowSet, here: Here): RowSet | undefined {
  if (set.rows.length > 0) return set;
  here(['rows'], 'E_ROWS_DATA', `${set.file} has no rows`, 'add at least one row, or delete the manifest');
  return undefined;
}

/** Every column a placeholder or `when:` names must exist in the data: said once, with a did-you-mean. */
function checkColumns(site: TemplateSite, rows: RowSet, placeholders: Placeholder[], scenes: SceneTemplate[], problems: Diagnostic[]): void {
  const known = new Set(rows.columns);
  const header = `${rows.file}:${rows.columnsLine}`;
  // `inWhen`: the column is named by a scene's when: (`column: plan`), not by a placeholder.
  const unknown = (column: string, inWhen = false): { message: string; hint: string } => {
    const near = didYouMean(column, rows.columns);
    const fix = inWhen ? `column: ${near ?? ''}` : `{{ ${near ?? ''} }}`;
    return {
      message: `unknown column "${column}"${near ? ` (did you mean "${near}"?)` : ''}: ${header} has ${rows.columns.map((c) => `"${c}"`).join(', ')}`,
      hint: near ? `write ${fix}, or add a "${column}" column to ${rows.file}` : `add a "${column}" column to ${rows.file}, or fix the ${inWhen ? 'when: column' : 'placeholder'}`,
    };
  };
  const said = new Set<string>();
  for (const p of placeholders) {
    if (known.has(p.column) || said.has(`${p.column}@${p.path.join('/')}`)) continue;
    said.add(`${p.column}@${p.path.join('/')}`);
    const pos = placeholderAt(site, p);
    const u = unknown(p.column);
    problems.push(diagnosticAt({ code: 'E_ROWS_COLUMN', ...u }, site.rel, pos, site.source));
  }
  for (const s of scenes) {
    if (!s.when || known.has(s.when.column)) continue;
    problems.push(diagnosticAt({ code: 'E_ROWS_COLUMN', ...unknown(s.when.column, true) }, site.rel, locate(site.parsed, ['scenes', s.index, 'when', 'column']), site.source));
  }
}
