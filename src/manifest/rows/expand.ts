/**
 * A `rows:` manifest -> one analysis per row. The YAML is parsed once; each row fills the compiled
 * template, drops the scenes its `when:` rules out, and goes through the same defaults merge,
 * schema, semantic checks and resolution as any manifest. Nothing is re-serialized or re-parsed
 * per row: a row's key is hashed from its filled data, like any spec.
 */

import { sha256Hex } from '../../hash/canonical.js';
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from '../../errors.js';
import { contentKey, rememberContentKey } from '../../hash/key.js';
import type { RowRef, UnresolvedSpec, VideoSpec } from '../../model/spec.js';
import type { Analysis, AnalyzeContext } from '../analyze.js';
import { diagnosticAt } from '../diagnostic.js';
import { SourceLines } from '../frame.js';
import type { DataPath, Issue } from '../issue.js';
import { cameFromDefaults, isPlainMap, mergeDefaults, type Merged } from '../merge.js';
import { resolveManifest } from '../resolve/index.js';
import { schemaIssues } from '../schema-issues.js';
import { validateManifestData } from '../schema.js';
import { parseFast } from '../parse-fast.js';
import { findMergeConflict, locate, parseYaml, type ParsedYaml } from '../source.js';
import type { ManifestInput } from '../types.js';
import type { Row, RowSet } from './row-set.js';
import type { PriorData } from './incremental.js';
import { digestLookup, type DataBytes, type DigestLookup } from './lookup.js';
import { fill, type MissingValue } from './fill.js';
import { at, atRow, placeholderAt, placeRowIssue, rowLabel, templateSite, type TemplateSite } from './place.js';
import { readTemplate, type Template } from './template.js';
import { matches } from './when.js';

/** Every row of one manifest: the analyses of rows without problems, and all problems. */
export interface RowsAnalysis {
  diagnostics: Diagnostic[];
  rows: Analysis[];
  /** Finished specs reused from the rows cache: rows whose used cells did not change. */
  reused: VideoSpec[];
  /** sha256 of the data file ('' for inline rows), for the rows cache. */
  dataSha: string;
  /** A CSV: its bytes and where each row's record starts, kept by the rows cache for the next edit. */
  csv?: CsvPlaces;
}

/** A CSV's bytes and each row's line and record offset, in file order (so lines ascend), aligned. */
export interface CsvPlaces {
  bytes: Buffer;
  lines: readonly number[];
  starts: readonly number[];
}

/**
 * Finished specs of an earlier run of the same template: by their row's cell digest, and (a CSV)
 * the data file's bytes then with each row's place, to parse only the records an edit changed.
 */
export interface PriorRows {
  byDigest: DigestLookup;
  data?: PriorData;
  /** The data file as read when the cache was looked up (its bytes and sha256): not read and hashed again. */
  current?: DataBytes;
}

/**
 * Whether a manifest's text may use rows or `when:` (and so goes through this module). A cheap
 * test on the text: a manifest that only mentions the words is handed back by `analyzeRows`.
 */
export function usesRows(text: string): boolean {
  // includes() first: the regular expressions try a word boundary at every character.
  return (text.includes('rows') && /\brows\s*:/.test(text)) || (text.includes('when') && /\bwhen\s*:/.test(text));
}

/**
 * Analyzes a `rows:` manifest into one analysis per valid row; bad input never throws. Undefined
 * for a manifest with neither `rows:` nor a `when:`: it is an ordinary manifest.
 */
export function analyzeRows(rel: string, text: string, defaultId: string, ctx: AnalyzeContext, prior?: PriorRows): RowsAnalysis | undefined {
  const source = new SourceLines(text);
  const conflict = findMergeConflict(text);
  if (conflict) {
    const d = { code: 'E_MERGE_CONFLICT' as const, message: 'the file has unresolved git merge-conflict markers', hint: 'resolve the conflict, delete the markers, then run again' };
    return { diagnostics: [diagnosticAt(d, rel, conflict, source)], rows: [], reused: [], dataSha: '' };
  }
  let t = performance.now();
  // The fast parser gives the data `yaml` would, or nothing (a text it cannot be sure of, or with
  // an error): then `yaml` parses it here, and it reports every syntax error as before. After a
  // fast parse, `yaml` only parses the text when a position is asked for (templateSite).
  const fast = parseFast(text);
  let data: unknown = fast;
  let parsed: ParsedYaml | undefined;
  if (fast === undefined) {
    parsed = parseYaml(text);
    if (parsed.errors.length === 0) {
      try {
        data = parsed.doc.toJS({ maxAliasCount: 1000 });
      } catch (e) {
        parsed.errors.push({ message: e instanceof Error ? e.message : String(e), line: 1, column: 1 });
      }
    }
  }
  ctx.timings.parse += performance.now() - t;
  if (parsed && parsed.errors.length > 0) {
    return { diagnostics: parsed.errors.map((e) => diagnosticAt({ code: 'E_YAML_SYNTAX', message: e.message }, rel, e, source)), rows: [], reused: [], dataSha: '' };
  }
  if (!isPlainMap(data)) return undefined;
  const site = templateSite(rel, source, () => parsed ?? parseYaml(text));
  if (!('rows' in data)) {
    const diagnostics = whenWithoutRows(site, data);
    return diagnostics.length > 0 ? { diagnostics, rows: [], reused: [], dataSha: '' } : undefined;
  }

  t = performance.now();
  const diagnostics: Diagnostic[] = [];
  const tpl = readTemplate(site, data, ctx.config.root, diagnostics, prior?.data, prior?.current);
  ctx.timings.parse += performance.now() - t;
  if (!tpl) return { diagnostics, rows: [], reused: [], dataSha: '' };
  const out: RowsAnalysis = { diagnostics, rows: [], reused: [], dataSha: tpl.rows.sha };
  const { starts, bytes } = tpl.rows;
  if (starts && bytes) out.csv = { bytes, lines: tpl.rows.rows.map((r) => r.line), starts };
  fillRows(site, tpl, defaultId, ctx, out, prior);
  return out;
}

/** `when:` only means something per row. */
function whenWithoutRows(site: TemplateSite, data: Record<string, unknown>): Diagnostic[] {
  const scenes = Array.isArray(data.scenes) ? data.scenes : [];
  const out: Diagnostic[] = [];
  scenes.forEach((s: unknown, i) => {
    if (isPlainMap(s) && 'when' in s) {
      const d = { code: 'E_ROWS_TEMPLATE' as const, message: 'when: chooses scenes per row, and this manifest has no rows:', hint: 'add rows: (a data file or a list), or remove when:' };
      out.push(diagnosticAt(d, site.rel, locate(site.parsed, ['scenes', i, 'when'], 'key'), site.source));
    }
  });
  return out;
}

function fillRows(site: TemplateSite, tpl: Template, defaultId: string, ctx: AnalyzeContext, out: RowsAnalysis, prior?: PriorRows): void {
  const { diagnostics } = out;
  const byId = new Map<string, Row>();
  // An edit parsed where it changed: its changed rows can only reuse the specs they replaced (data.ts).
  const replaced = tpl.rows.replaced;
  const lookup = replaced ? digestLookup(replaced) : prior?.byDigest;
  for (const row of tpl.rows.rows) {
    // A record carried over unchanged (incremental.ts) keeps its cells' digest.
    const was = row.spec?.row;
    const ref = was ? (was.line === row.line ? was : { ...was, line: row.line }) : rowRef(tpl, row);
    const old = row.spec ?? lookup?.get(ref.digest);
    const reused = old && reuse(old, ref);
    const filled: FilledId = {};
    const a = reused ? undefined : fillRow(site, tpl, row, ref, defaultId, ctx, diagnostics, filled);
    // A row with other problems still holds its id: a duplicate is said in the same run.
    const id = reused?.id ?? a?.spec?.id ?? filled.id;
    if (id === undefined) continue;
    const first = byId.get(id);
    if (first) {
      const message = `id "${id}" is given by two rows: ${rowLabel(tpl.rows, first)} and ${rowLabel(tpl.rows, row)}`;
      diagnostics.push(atRow(tpl.rows, row, { code: 'E_DUPLICATE_ID', message, hint: `each row needs its own id: check the columns used by id: in ${site.rel}` }));
      continue;
    }
    byId.set(id, row);
    if (reused) out.reused.push(reused);
    else if (a) out.rows.push(a);
  }
}

/** A cached row's spec for the same cells, at the row's place now (a row above may have moved it). */
function reuse(old: VideoSpec, ref: RowRef): VideoSpec {
  if (old.row?.line === ref.line && old.row.file === ref.file) return old;
  const spec: VideoSpec = { ...old, row: ref };
  rememberContentKey(spec, contentKey(old));
  return spec;
}

/** The id a row fills in, whether or not the row is valid; unset when a cell it needs is empty. */
interface FilledId {
  id?: string;
}

/** One row: filled, its scenes chosen, then merged, validated and resolved like any manifest. */
function fillRow(site: TemplateSite, tpl: Template, row: Row, ref: RowRef, defaultId: string, ctx: AnalyzeContext, diagnostics: Diagnostic[], filled: FilledId): Analysis | undefined {
  let t = performance.now();
  const missing: MissingValue[] = [];
  const head = fill(tpl.head, row, missing) as Record<string, unknown>;
  if (typeof head.id === 'string' && !missing.some((m) => m.placeholder.path[0] === 'id')) filled.id = head.id;
  const kept = tpl.scenes.filter((s) => !s.when || matches(s.when, row));
  const scenes = kept.map((s) => fill(s.tpl, row, missing));
  ctx.timings.parse += performance.now() - t;
  // Every problem of the row in one run: the empty cells, then what the other cells fill to.
  for (const m of missing) diagnostics.push(missingValue(site, tpl.rows, row, m));
  if (scenes.length === 0 && !tpl.sceneless) {
    const message = `${rowLabel(tpl.rows, row)} matches no scene: every scene's when: leaves it out`;
    diagnostics.push(atRow(tpl.rows, row, { code: 'E_ROWS_NO_SCENES', message, hint: `give a scene without when:, or one whose when: matches this row (${site.rel})` }));
    return undefined;
  }
  // Issue paths say `scenes[i]` of the filled manifest; the template's scene is kept[i].
  const templatePath = (p: DataPath): DataPath => (p[0] === 'scenes' && typeof p[1] === 'number' ? ['scenes', kept[p[1]]?.index ?? p[1], ...p.slice(2)] : p);
  const place = (issue: Issue): Diagnostic => placeRowIssue(site, tpl.rows, row, issue, templatePath(issue.path), tpl.placeholders);
  // A string left empty by an empty cell is reported as that cell, not again as an empty value.
  const said = (issue: Issue): boolean => missing.some((m) => within(m.placeholder.path, templatePath(issue.path)));
  const report = (issues: readonly Issue[], merged: Merged): void => {
    for (const i of issues) if (!said(i)) diagnostics.push(fromDefaults(cameFromDefaults(merged, i.path), i, ctx) ?? place(i));
  };

  t = performance.now();
  const merged = mergeDefaults(ctx.config.defaults, tpl.sceneless ? head : { ...head, scenes });
  const schema = validateManifestData(merged.value);
  ctx.timings.validate += performance.now() - t;
  if (schema.length > 0) {
    report(schemaIssues(schema), merged);
    return undefined;
  }
  t = performance.now();
  const m = merged.value as unknown as ManifestInput;
  const r = resolveManifest(m, {
    config: ctx.config,
    source: site.rel,
    defaultId,
    fromDefaults: (p) => cameFromDefaults(merged, p),
    // Where the template manifest writes a field (a HeyGen template's variables, placed at plan time).
    locate: (p, side) => locate(site.parsed, p, side),
    ...(ctx.languages ? { languages: ctx.languages } : {}),
    defaultsAt: { file: ctx.defaults.file, ...ctx.defaults.pos },
  });
  ctx.timings.resolve += performance.now() - t;
  report(r.issues, merged);
  if (r.issues.length > 0 || missing.length > 0) return undefined;
  const spec: UnresolvedSpec = { ...r.spec, row: ref };
  const placePending = (i: number, issue: Issue): Diagnostic => place({ ...issue, path: r.pending[i]?.path ?? [] });
  return { diagnostics: [], spec, pending: r.pending, placePending };
}

/** Whether `inner` is `outer` or lies inside it (a placeholder's string and the issue's path). */
function within(outer: DataPath, inner: DataPath): boolean {
  return outer.length <= inner.length && outer.every((k, i) => k === inner[i]);
}

function fromDefaults(yes: boolean, issue: Issue, ctx: AnalyzeContext): Diagnostic | undefined {
  if (!yes) return undefined;
  const site = ctx.defaults;
  return diagnosticAt({ ...issue, message: `${issue.message} (from defaults in ${site.file})` }, site.file, site.pos, site.text);
}

function missingValue(site: TemplateSite, set: RowSet, row: Row, m: MissingValue): Diagnostic {
  const ph = m.placeholder;
  const message = `${rowLabel(set, row)} has no value in column "${ph.column}", which ${ph.raw} at ${at(site.rel, placeholderAt(site, ph))} needs`;
  const hint = `fill the cell, or give a default in the manifest: {{ ${ph.column} | default('...') }}`;
  return atRow(set, row, { code: 'E_ROWS_VALUE', message, hint });
}

/**
 * What the plan and the lockfile keep of a row: its group, its place, and a short digest of the
 * cells the template uses (it tells "this row changed" from "the template changed").
 */
function rowRef(tpl: Template, row: Row): RowRef {
  const cells = tpl.used.map((c) => row.cells[c] ?? null);
  const digest = sha256Hex(JSON.stringify(cells)).slice(0, 16);
  return { group: tpl.group, file: tpl.rows.file, line: row.line, digest };
}
