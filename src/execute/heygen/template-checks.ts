/**
 * Template videos checked against their definitions, pure: the same for `plan` and `build`. Each
 * problem is placed where the manifest writes it (`file:line:col`), with a did-you-mean.
 */
import type { Diagnostic, SourceLocation } from '../../errors.js';
import type { SpecPosition, TemplateSpec, VideoSpec } from '../../model/spec.js';
import type { TemplateDefinition } from '../../model/template.js';
import { didYouMeanText } from '../../util/suggest.js';
import type { Problem } from '../provider.js';

const VARIABLE_HINT = "write the template's variables as HeyGen names them (GET /v3/templates/{id} lists them), and every variable the rendered scenes use";

/**
 * `message` placed where the template part is written: in the manifest, or at the config's `defaults:`
 * when they bring it, which the message then says (as manifest diagnostics do). For plan and build alike.
 */
export function templatePlace(spec: VideoSpec, at: SpecPosition, message: string): { message: string; location: SourceLocation } {
  const said = at.file === undefined ? message : `${message} (from defaults in ${at.file})`;
  return { message: said, location: { file: at.file ?? spec.source, line: at.line, column: at.column } };
}

function diagnostic(spec: VideoSpec, at: SpecPosition, code: Diagnostic['code'], message: string, hint: string): Diagnostic {
  return { severity: 'error', code, hint, ...templatePlace(spec, at, message) };
}

/** Variables and scene ids of one template video that its definition does not have, or lacks. */
export function variableDiagnostics(spec: VideoSpec, t: TemplateSpec, def: TemplateDefinition): Diagnostic[] {
  const out: Diagnostic[] = [];
  const declared = Object.keys(def.variables);
  for (const name of Object.keys(t.variables)) {
    if (def.variables[name] !== undefined) continue;
    const at = t.at.variables[name] ?? t.at.template;
    out.push(diagnostic(spec, at, 'E_TEMPLATE_VARIABLE', `template "${def.name}" (${def.id}) has no variable "${name}"${didYouMeanText(name, declared)}`, VARIABLE_HINT));
  }
  const sceneIds = def.scenes.map((s) => s.id);
  (t.sceneIds ?? []).forEach((id, i) => {
    if (sceneIds.includes(id)) return;
    const at = t.at.scenes[i] ?? t.at.template;
    out.push(diagnostic(spec, at, 'E_TEMPLATE_VARIABLE', `template "${def.name}" (${def.id}) has no scene "${id}"${didYouMeanText(id, sceneIds)}`, `use scene ids the template has: ${sceneIds.join(', ')}`));
  });
  // Only what the rendered scenes use is needed; a template without scene details needs every variable.
  const rendered = new Set(t.sceneIds ?? sceneIds);
  const used = def.scenes.length === 0 ? new Set(declared) : new Set(def.scenes.filter((s) => rendered.has(s.id)).flatMap((s) => s.variables));
  const missing = declared.filter((n) => used.has(n) && t.variables[n] === undefined);
  if (missing.length > 0) {
    const list = missing.map((n) => `"${n}"`).join(', ');
    out.push(diagnostic(spec, t.at.variableList ?? t.at.template, 'E_TEMPLATE_VARIABLE', `template "${def.name}" (${def.id}) needs variable${missing.length === 1 ? '' : 's'} ${list}, missing from template.variables`, `add ${missing.map((n) => `${n}: ...`).join(', ')} under template.variables`));
  }
  if (t.dimension && def.aspectRatio && !sameAspect(t.dimension, def.aspectRatio)) {
    out.push(diagnostic(spec, t.at.template, 'E_TEMPLATE_VARIABLE', `dimension ${t.dimension.width}x${t.dimension.height} does not match the template's aspect ratio ${def.aspectRatio}`, "remove dimension: (the template renders at its own size), or pick a size of the template's aspect ratio"));
  }
  return out;
}

function sameAspect(d: { width: number; height: number }, ratio: string): boolean {
  const [w, h] = ratio.split(':').map(Number);
  if (!w || !h) return true; // an aspect we cannot read: HeyGen decides
  return Math.abs(d.width * h - d.height * w) <= Math.max(w, h);
}

/** One diagnostic per place and message: the rows of one manifest share its template's mistakes. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, { d: Diagnostic; n: number }>();
  for (const d of diagnostics) {
    const id = `${d.location!.file}:${d.location!.line}:${d.location!.column}:${d.message}`;
    const had = seen.get(id);
    if (had) had.n++;
    else seen.set(id, { d, n: 1 });
  }
  return [...seen.values()].map(({ d, n }) => (n === 1 ? d : { ...d, message: `${d.message} (in ${n} rows)` }));
}

function asProblem(all: Diagnostic[]): Problem | undefined {
  if (all.length === 0) return undefined;
  const diagnostics = dedupe(all);
  const lines = diagnostics.map((d) => `${d.location!.file}:${d.location!.line}:${d.location!.column}: ${d.message}`);
  const code = diagnostics.some((d) => d.code === 'E_TEMPLATE') ? 'E_TEMPLATE' : 'E_TEMPLATE_VARIABLE';
  const hint = diagnostics[0]!.hint ?? VARIABLE_HINT;
  // The problem's hint is the first one's: another problem with another fix says its own under it.
  const listed = lines.map((l, i) => (diagnostics[i]!.hint !== undefined && diagnostics[i]!.hint !== hint ? `${l}\n      hint: ${diagnostics[i]!.hint}` : l));
  return {
    code,
    message: `${diagnostics.length === 1 ? 'a template video does not match its template' : `${diagnostics.length} template problems`}:\n  - ${listed.join('\n  - ')}`,
    hint,
    effect: 'error',
    details: lines,
    diagnostics,
  };
}

/**
 * Problems of the template videos: templates that do not exist, variables and scenes that do not
 * match, templates on the legacy API (errors); definitions nobody could read (one warning line).
 */
export function templateProblems(specs: readonly VideoSpec[], defs: ReadonlyMap<string, TemplateDefinition | null> | undefined, api: 'v3' | 'v2'): Problem[] {
  // Before the definitions are read (the first, I/O-free round of checks) there is nothing to say.
  if (!defs) return [];
  const diagnostics: Diagnostic[] = [];
  const unknown = new Set<string>();
  for (const spec of specs) {
    const t = spec.template;
    if (!t) continue;
    if (api === 'v2') {
      diagnostics.push(diagnostic(spec, t.at.template, 'E_TEMPLATE', 'HeyGen templates are rendered through API v3 (POST /v3/templates/{id})', "remove heygen.api (v3 is the default), or set heygen: { api: 'v3' }"));
      continue;
    }
    const def = defs?.get(t.id);
    if (def === null) {
      diagnostics.push(diagnostic(spec, t.at.id ?? t.at.template, 'E_TEMPLATE', `HeyGen has no template "${t.id}" (GET /v3/templates/${t.id} answered 404)`, 'check the template id (GET /v3/templates lists those with variables), and that the API key belongs to its workspace'));
    } else if (def) {
      diagnostics.push(...variableDiagnostics(spec, t, def));
    } else {
      unknown.add(t.id);
    }
  }
  const problems: Problem[] = [];
  const error = asProblem(diagnostics);
  if (error) problems.push(error);
  if (unknown.size > 0) {
    const message = `template definition unknown (no API key and no copy in .heygen/templates/) for ${[...unknown].join(', ')}: variables are not checked, and the key holds the manifest alone (or the definition last recorded)`;
    problems.push({ code: 'W_TEMPLATE_UNKNOWN', message, hint: 'plan with HEYGEN_API_KEY set once (a free request) to check the variables and key on the definition', effect: 'warning', details: [message] });
  }
  return problems;
}
