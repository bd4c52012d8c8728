/**
 * One manifest, from text to an unresolved spec (asset digests still pending) or to problems:
 * empty file, merge conflict, YAML syntax, schema, semantic checks. Never throws on bad input.
 */

import { performance } from 'node:perf_hooks';
import type { Diagnostic } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';
import type { TranslationLanguages } from '../model/languages.js';
import type { UnresolvedSpec, VoiceSpec } from '../model/spec.js';
import { diagnosticAt } from './diagnostic.js';
import { SourceLines } from './frame.js';
import type { DataPath, Issue } from './issue.js';
import { cameFromDefaults, isPlainMap, mergeDefaults, type Merged } from './merge.js';
import { resolveManifest, type PendingAsset, type ResolveContext } from './resolve/index.js';
import { resolveValidParts } from './partial.js';
import { overlayIssues } from './overlay-checks.js';
import { schemaIssues } from './schema-issues.js';
import { validateManifestData } from './schema.js';
import { indentationBreak } from './indent.js';
import { explainSyntax } from './yaml-hints.js';
import { findMergeConflict, locate, parseYaml, type ParsedYaml, type Position, type SyntaxProblem } from './source.js';
import { parseFast } from './parse-fast.js';
import { locateTopLevel } from './parse-locate.js';
import type { ManifestInput } from './types.js';

/** Where problems with config `defaults` are reported. */
export interface DefaultsSite {
  file: string;
  pos: Position;
  text?: SourceLines;
  /** The defaults failed validation (already reported once): their schema problems are not repeated per manifest. */
  invalid: boolean;
}

/** What analyzing a manifest needs from the run: the config, where config defaults live, and timings to add to. */
export interface AnalyzeContext {
  config: ResolvedConfig;
  defaults: DefaultsSite;
  timings: { parse: number; validate: number; resolve: number };
  /** The offline translation-language check, when the caller has a list. */
  languages?: TranslationLanguages;
}

/** The result of analyzing one manifest: its problems, or its unresolved spec and the local files still to digest. */
export interface Analysis {
  diagnostics: Diagnostic[];
  /** When there are no problems: the spec, finished once `pending` files are digested. */
  spec?: UnresolvedSpec;
  pending: PendingAsset[];
  idAt?: Position;
  outputAt?: Position;
  /**
   * Place a problem found later with `pending[i]` (a missing asset). Positions are computed up
   * front so that no parse tree is kept alive for thousands of files until digests are done.
   */
  placePending: (index: number, issue: Issue, source: SourceLines) => Diagnostic;
}

const SCHEMA_CODES = new Set(['E_SCHEMA', 'E_UNKNOWN_KEY', 'E_MISSING_KEY', 'E_DIMENSION', 'E_SCRIPT_TOO_LONG']);
const COMMENT_COLOR = /:\s+#/;

/** Analyzes one manifest's text into an unresolved spec or diagnostics at file:line:col; bad input never throws. */
export function analyzeManifest(rel: string, text: string, defaultId: string, ctx: AnalyzeContext): Analysis {
  const none = (_i: number, issue: Issue): Diagnostic => diagnosticAt(issue, rel, { line: 1, column: 1 });
  const done = (d: Diagnostic): Analysis => ({ diagnostics: [d], pending: [], placePending: none });

  if (text.trim() === '') {
    return done(diagnosticAt({ code: 'E_EMPTY', message: 'the manifest is empty', hint: emptyHint }, rel, { line: 1, column: 1 }));
  }
  const conflict = findMergeConflict(text);
  if (conflict) {
    return done(
      diagnosticAt(
        {
          code: 'E_MERGE_CONFLICT',
          message: 'the file has unresolved git merge-conflict markers',
          hint: 'resolve the conflict: keep the right lines between <<<<<<<, ======= and >>>>>>>, delete the markers, then run again',
        },
        rel,
        conflict,
        text,
      ),
    );
  }

  const t = performance.now();
  const data = parseFast(text);
  ctx.timings.parse += performance.now() - t;
  return (data && analyzeClean(rel, text, data, defaultId, ctx)) ?? analyzeParsed(rel, text, defaultId, ctx);
}

/**
 * The analysis of a manifest that the fast parse reads and that has nothing to report; undefined
 * otherwise (then `analyzeManifest` says what is wrong). For loading in a worker thread, which
 * hands every other manifest back to the main thread.
 */
export function analyzeFast(rel: string, text: string, defaultId: string, ctx: AnalyzeContext): Analysis | undefined {
  if (text.trim() === '' || findMergeConflict(text)) return undefined;
  const t = performance.now();
  const data = parseFast(text);
  ctx.timings.parse += performance.now() - t;
  return data && analyzeClean(rel, text, data, defaultId, ctx);
}

/**
 * The cold path for a manifest the fast parse could read: validated and resolved from its data
 * alone, with `yaml` asked only for the positions a clean manifest keeps (where `id:` and `output:`
 * are written). Undefined as soon as there is anything to report, warnings included: the manifest
 * then goes through `analyzeParsed`, so every diagnostic comes from `yaml`'s parse as before.
 */
function analyzeClean(rel: string, text: string, data: Record<string, unknown>, defaultId: string, ctx: AnalyzeContext): Analysis | undefined {
  let t = performance.now();
  const merged = mergeDefaults(ctx.config.defaults, data, { avatar: ctx.config.avatars, voice: ctx.config.voices });
  const valid = validateManifestData(merged.value).length === 0;
  ctx.timings.validate += performance.now() - t;
  if (!valid) return undefined;

  t = performance.now();
  // The whole file through `yaml`, only if something asks for a position (a template's variables).
  let full: ParsedYaml | undefined;
  const parsed = (): ParsedYaml => (full ??= parseYaml(text));
  const m = merged.value as unknown as ManifestInput;
  const r = resolveMerged(merged, rel, defaultId, ctx, parsed, sourceFirst(text, m));
  const clean = r.issues.length === 0 && overlayIssues(r.spec).length === 0 && !(ctx.config.heygen.api === 'v3' && emotionWarnings(r.spec, m, ctx.defaults.file).length > 0);
  if (!clean) {
    ctx.timings.resolve += performance.now() - t;
    return undefined;
  }
  const inDefaults = r.pending.map((p) => cameFromDefaults(merged, p.path));
  const placePending = lateAssetPlacer(rel, r.pending, inDefaults, ctx.defaults);
  const analysis: Analysis = { diagnostics: [], spec: r.spec, pending: r.pending, placePending };
  if (m.id !== undefined && !cameFromDefaults(merged, ['id'])) analysis.idAt = locateTopLevel(text, 'id', m.id) ?? locate(parsed(), ['id']);
  if (m.output !== undefined && !cameFromDefaults(merged, ['output'])) analysis.outputAt = locateTopLevel(text, 'output', m.output) ?? locate(parsed(), ['output']);
  ctx.timings.resolve += performance.now() - t;
  return analysis;
}

/**
 * Places a missing asset of a cleanly analyzed manifest, found after all files are read: from a
 * parse of the text it is given then. A function of its own so that the closure holds only these
 * arguments, not the text or the data (closures made in one function share what any of them captures).
 */
function lateAssetPlacer(rel: string, pending: PendingAsset[], inDefaults: boolean[], site: DefaultsSite): Analysis['placePending'] {
  let placed: ParsedYaml | undefined;
  return (i: number, issue: Issue, lines: SourceLines): Diagnostic =>
    inDefaults[i]
      ? diagnosticAt({ ...issue, message: `${issue.message} (from defaults in ${site.file})` }, site.file, site.pos, site.text)
      : diagnosticAt(issue, rel, locate((placed ??= parseYaml(lines.text)), pending[i]!.path), lines);
}

/**
 * A manifest parsed by `yaml`, with every problem placed at its file:line:col: the path of every
 * manifest the fast path declines. Exported so that tests can hold the fast path to it.
 */
export function analyzeParsed(rel: string, text: string, defaultId: string, ctx: AnalyzeContext): Analysis {
  const diagnostics: Diagnostic[] = [];
  const none = (_i: number, issue: Issue): Diagnostic => diagnosticAt(issue, rel, { line: 1, column: 1 });
  const done = (d: Diagnostic): Analysis => ({ diagnostics: [d], pending: [], placePending: none });
  // One line index for every frame of this file (a cascade can place thousands of problems).
  const source = new SourceLines(text);
  let t = performance.now();
  const parsed = parseYaml(text);
  let data: unknown;
  if (parsed.errors.length === 0) {
    try {
      data = parsed.doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      // yaml refuses alias bombs ("billion laughs") here: a manifest problem, not a crash.
      ctx.timings.parse += performance.now() - t;
      const message = e instanceof Error ? e.message : String(e);
      return done(
        diagnosticAt(
          { code: 'E_YAML_SYNTAX', message, hint: 'a manifest needs no YAML aliases (&name / *name) that expand this much: write the values out' },
          rel,
          { line: 1, column: 1 },
          text,
        ),
      );
    }
  }
  ctx.timings.parse += performance.now() - t;
  if (parsed.errors.length > 0) return { diagnostics: syntaxDiagnostics(rel, parsed.errors, source), pending: [], placePending: none };
  if (data === null || data === undefined) {
    return done(diagnosticAt({ code: 'E_EMPTY', message: 'the manifest has no content (only comments)', hint: emptyHint }, rel, { line: 1, column: 1 }));
  }

  t = performance.now();
  const merged: Merged = isPlainMap(data) ? mergeDefaults(ctx.config.defaults, data, { avatar: ctx.config.avatars, voice: ctx.config.voices }) : { value: {}, fromDefaults: new Set() };
  const place = placer(rel, source, parsed, merged, ctx.defaults);
  const errors = validateManifestData(isPlainMap(data) ? merged.value : data);
  const schemaProblems = schemaIssues(errors).filter((i) => !(ctx.defaults.invalid && SCHEMA_CODES.has(i.code) && cameFromDefaults(merged, i.path)));
  ctx.timings.validate += performance.now() - t;
  if (schemaProblems.length > 0) return withValidParts(schemaProblems.map(place), errors, merged, { rel, defaultId, ctx, parsed, place });

  t = performance.now();
  const m = merged.value as unknown as ManifestInput;
  const r = resolveMerged(merged, rel, defaultId, ctx, () => parsed);
  diagnostics.push(...r.issues.map(place));
  // Said with the other problems, not after they are fixed (a partly resolved spec still has its scripts).
  diagnostics.push(...overlayIssues(r.spec).map(place));
  const placePending = pendingPlacer(rel, parsed, merged, r.pending, ctx.defaults);
  const analysis: Analysis = { diagnostics, pending: r.pending, placePending };
  if (!diagnostics.some((d) => d.severity === 'error')) {
    analysis.spec = r.spec;
    if (ctx.config.heygen.api === 'v3' && r.spec) diagnostics.push(...emotionWarnings(r.spec, m, ctx.defaults.file).map(place));
  }
  if (m.id !== undefined && !cameFromDefaults(merged, ['id'])) analysis.idAt = locate(parsed, ['id']);
  if (m.output !== undefined && !cameFromDefaults(merged, ['output'])) analysis.outputAt = locate(parsed, ['output']);
  ctx.timings.resolve += performance.now() - t;
  return analysis;
}

/**
 * A manifest with schema problems: those, and what the resolver finds in the parts the schema passed
 * (an unknown alias, a missing file), all in one run instead of one after the other (see partial.ts).
 */
function withValidParts(
  diagnostics: Diagnostic[],
  errors: Parameters<typeof resolveValidParts>[1],
  merged: Merged,
  at: { rel: string; defaultId: string; ctx: AnalyzeContext; parsed: ParsedYaml; place: (i: Issue) => Diagnostic },
): Analysis {
  const { rel, ctx, parsed } = at;
  const r = resolveValidParts(merged.value, errors, resolveContext(merged, rel, at.defaultId, ctx, () => parsed));
  for (const issue of r.issues) diagnostics.push(at.place(issue));
  return { diagnostics, pending: r.pending, placePending: pendingPlacer(rel, parsed, merged, r.pending, ctx.defaults) };
}

/** Places a problem found later with a pending file (a missing asset): in the manifest, or at the config's defaults. */
function pendingPlacer(rel: string, parsed: ParsedYaml, merged: Merged, pending: PendingAsset[], site: DefaultsSite): Analysis['placePending'] {
  const positions = pending.map((p) => (cameFromDefaults(merged, p.path) ? undefined : locate(parsed, p.path)));
  return (i: number, issue: Issue, lines: SourceLines): Diagnostic => {
    const pos = positions[i];
    return pos
      ? diagnosticAt(issue, rel, pos, lines)
      : diagnosticAt({ ...issue, message: `${issue.message} (from defaults in ${site.file})` }, site.file, site.pos, site.text);
  };
}

/** Resolves a manifest merged with the config's defaults; `parsed` is asked only when a position is needed (and `quick` has none). */
function resolveMerged(merged: Merged, rel: string, defaultId: string, ctx: AnalyzeContext, parsed: () => ParsedYaml, quick?: QuickLocate): ReturnType<typeof resolveManifest> {
  return resolveManifest(merged.value, resolveContext(merged, rel, defaultId, ctx, parsed, quick));
}

/** A position found without parsing the whole file, or undefined (then `yaml` parses it). */
type QuickLocate = (p: DataPath, at?: 'key' | 'value') => Position | undefined;

/**
 * A dub's `source:` (the one position a clean dub keeps) from the lines of that entry alone, for a manifest the
 * fast parse read: parsing the whole file with `yaml` for it took ~0.1-0.2 ms a dub of a cold load, this ~15 µs.
 */
function sourceFirst(text: string, m: ManifestInput): QuickLocate | undefined {
  const source = m.source;
  if (source === undefined) return undefined;
  return (p, at) => (at !== 'key' && p.length === 1 && p[0] === 'source' ? locateTopLevel(text, 'source', source) : undefined);
}

function resolveContext(merged: Merged, rel: string, defaultId: string, ctx: AnalyzeContext, parsed: () => ParsedYaml, quick?: QuickLocate): ResolveContext {
  return {
    config: ctx.config,
    source: rel,
    defaultId,
    fromDefaults: (p: DataPath) => cameFromDefaults(merged, p),
    locate: (p: DataPath, at?: 'key' | 'value') => quick?.(p, at) ?? locate(parsed(), p, at),
    ...(ctx.languages ? { languages: ctx.languages } : {}),
    defaultsAt: { file: ctx.defaults.file, ...ctx.defaults.pos },
  };
}

/**
 * HeyGen v3 has no voice emotion: a HeyGen build refuses a video that asks for one (and builds the
 * rest); drafts ignore it. Said here, where the emotion comes from, so the writer knows before any
 * build: the `emotion:` the manifest writes, else the `voice:` or `avatar:` whose config alias brings
 * it (config defaults are placed at the config by `placer`).
 */
function emotionWarnings(spec: UnresolvedSpec, m: ManifestInput, configFile: string): Issue[] {
  // Nearly every manifest sets none: told without a map and a closure per manifest of a cold load.
  if (spec.voice?.emotion === undefined && !spec.scenes.some((s) => s.voice?.emotion !== undefined)) return [];
  const found = new Map<string, Issue>();
  spec.scenes.forEach((scene, i) => {
    if (scene.input.type !== 'script') return;
    const written = m.scenes?.[i];
    if (scene.voice?.emotion !== undefined) {
      const issue = emotionIssue(scene.voice, ['scenes', i], written?.voice, written?.avatar, configFile);
      found.set(issue.path.join('/'), issue);
    } else if (!scene.voice && spec.voice?.emotion !== undefined) {
      const issue = emotionIssue(spec.voice, [], m.voice, m.avatar, configFile);
      found.set(issue.path.join('/'), issue);
    }
  });
  return [...found.values()];
}

/** The warning for one voice with an emotion, at what brings it: `voice`, else `avatar` (under `at`). */
function emotionIssue(v: VoiceSpec, at: DataPath, voice: unknown, avatar: unknown, configFile: string): Issue {
  const issue = {
    code: 'W_V3_EMOTION' as const,
    message: 'voice emotion cannot be rendered by HeyGen v3: a HeyGen build refuses this video (and builds the others); drafts ignore it',
    hint: 'remove emotion to render this video with HeyGen',
    severity: 'warning' as const,
  };
  if (isPlainMap(voice) && voice.emotion !== undefined) return { ...issue, path: [...at, 'voice', 'emotion'] };
  const alias = `voice alias "${v.label}" in ${configFile}`;
  const source = { ...issue, message: `${issue.message} (emotion "${v.emotion}" from the ${alias})` };
  if (voice !== undefined) return { ...source, path: [...at, 'voice'], hint: `remove emotion from the ${alias}, or use another voice here` };
  const by = typeof avatar === 'string' ? `avatar alias "${avatar}"` : 'avatar alias';
  return { ...source, path: [...at, avatar !== undefined ? 'avatar' : 'voice'], hint: `remove emotion from the ${alias} (the ${by} speaks with it), or set \`voice:\` here` };
}

/**
 * YAML errors as diagnostics; one caused by an indentation mistake is reported once, at the line where
 * the indentation breaks, instead of where the parser gave up (and its echoes nearby are dropped).
 */
function syntaxDiagnostics(rel: string, errors: readonly SyntaxProblem[], source: SourceLines): Diagnostic[] {
  const first = errors[0];
  const out: Diagnostic[] = [];
  // Only the first error is traced back: the parser's later errors follow from it or stand alone.
  const found = first ? indentationBreak(source, Math.max(1, first.line - 3), (first.endLine ?? first.line) + 1) : undefined;
  if (found) {
    const message = `${found.message} (YAML: ${first!.message})`;
    out.push(diagnosticAt({ code: 'E_YAML_SYNTAX', message, hint: found.hint }, rel, { line: found.line, column: found.column }, source));
  }
  for (const e of errors) {
    if (found && Math.abs(e.line - found.line) <= 1) continue;
    const explained = explainSyntax(e, source);
    out.push(diagnosticAt({ code: 'E_YAML_SYNTAX', ...(explained ?? { message: e.message }) }, rel, { line: e.line, column: e.column }, source));
  }
  return out;
}

const emptyHint = 'a manifest needs at least `scenes:` with one scene; delete the file if it is not a video';

function placer(rel: string, source: SourceLines, parsed: ParsedYaml, merged: Merged, defaults: DefaultsSite): (i: Issue) => Diagnostic {
  return (issue: Issue): Diagnostic => {
    if (cameFromDefaults(merged, issue.path)) {
      return diagnosticAt({ ...issue, message: `${issue.message} (from defaults in ${defaults.file})` }, defaults.file, defaults.pos, defaults.text);
    }
    const pos = locate(parsed, issue.path, issue.at ?? 'value');
    let hint = issue.hint;
    if (hint === undefined && issue.nullValue) {
      if (COMMENT_COLOR.test(source.line(pos.line))) {
        hint = 'in YAML an unquoted # starts a comment: quote colors, e.g. background: "#0F172A"';
      }
    }
    return diagnosticAt(hint === undefined ? issue : { ...issue, hint }, rel, pos, source);
  };
}
