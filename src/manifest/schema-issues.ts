/**
 * ajv errors -> plain-words issues. ajv reports every failed branch of an `anyOf`
 * ("must be string", "must have required property 'color'", ...); a person wants the one
 * that matches what they wrote, so branches are pruned first (innermost `anyOf` first).
 */

import type { ErrorObject } from 'ajv';
import { formatPath, parsePointer, quoteList, type Issue } from './issue.js';
import { didYouMean } from '../util/suggest.js';

type SchemaNode = { [key: string]: unknown };

/** Errors that say "the data is not this branch's shape at all". */
const SHAPE_KEYWORDS = new Set(['type', 'required', 'additionalProperties', 'enum', 'pattern', 'const']);

function isNode(v: unknown): v is SchemaNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

/** A pseudo-error standing for a failed `anyOf` with no plausible branch. */
interface Fallback {
  keyword: 'x-fallback';
  instancePath: string;
  schemaPath: string;
  data: unknown;
  parentSchema: SchemaNode;
}

type Err = ErrorObject | Fallback;

function pruneAnyOf(errors: Err[]): Err[] {
  let errs = errors;
  const anyOfs = errs
    .filter((e) => e.keyword === 'anyOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const a of anyOfs) {
    const prefix = `${a.schemaPath}/`;
    const groups = new Map<string, Err[]>();
    for (const e of errs) {
      if (e === a || !e.schemaPath.startsWith(prefix) || !isUnder(e.instancePath, a.instancePath)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      groups.set(branch, [...(groups.get(branch) ?? []), e]);
    }
    let plausible = [...groups.values()].filter(
      (g) => !g.some((e) => e.instancePath === a.instancePath && SHAPE_KEYWORDS.has(e.keyword)),
    );
    if (plausible.length === 0) plausible = onlyMapBranch(a as ErrorObject, groups);
    plausible.sort((x, y) => x.length - y.length);
    const keep = new Set<Err>(plausible[0] ?? []);
    const dropped = new Set<Err>([a, ...[...groups.values()].flat().filter((e) => !keep.has(e))]);
    errs = errs.filter((e) => !dropped.has(e));
    if (plausible.length === 0) {
      const fallback: Fallback = {
        keyword: 'x-fallback',
        instancePath: a.instancePath,
        schemaPath: a.schemaPath,
        data: (a as ErrorObject).data,
        parentSchema: ((a as ErrorObject).parentSchema ?? {}),
      };
      errs.push(fallback);
    }
  }
  return errs;
}

/**
 * A map whose keys all belong to exactly one map branch is that branch missing something
 * (`voice: {speed: 1.2}` lacks `id`): report that branch's errors rather than "must be one of".
 */
function onlyMapBranch(a: ErrorObject, groups: Map<string, Err[]>): Err[][] {
  const data: unknown = a.data;
  const branches = isNode(a.parentSchema) && Array.isArray(a.parentSchema.anyOf) ? a.parentSchema.anyOf : [];
  if (!isNode(data)) return [];
  const keys = Object.keys(data);
  const fits = branches.flatMap((b, i) =>
    isNode(b) && isNode(b.properties) && keys.every((k) => k in (b.properties as SchemaNode)) ? [String(i)] : [],
  );
  const only = fits.length === 1 ? groups.get(fits[0] ?? '') : undefined;
  return only ? [only] : [];
}

function typeWords(t: unknown): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    object: 'a map of keys',
    array: 'a list',
    null: 'empty',
  };
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => words[String(x)] ?? String(x)).join(' or ');
}

function got(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

const PATTERN_WORDS: Record<string, string> = {
  '^#[0-9A-Fa-f]{6}$': 'a color like "#0F172A"',
  '^[A-Za-z0-9][A-Za-z0-9._/-]*$': 'a letter or digit followed by letters, digits, ".", "_", "/" or "-"',
  '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$': 'a locale like "en-US"',
};

function isDimensionSide(path: (string | number)[]): boolean {
  return path.length === 2 && path[0] === 'dimension' && (path[1] === 'width' || path[1] === 'height');
}

/** The nearest even value in 128..4096. */
export function nearestDimension(n: number): number {
  const clamped = Math.min(4096, Math.max(128, Math.round(n)));
  return clamped % 2 === 0 ? clamped : clamped - 1;
}

function objectBranchKeys(schema: SchemaNode): string[] {
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : [];
  const keys = new Set<string>();
  for (const b of branches) if (isNode(b) && isNode(b.properties)) for (const k of Object.keys(b.properties)) keys.add(k);
  return [...keys];
}

function stringBranchValues(schema: SchemaNode): string[] {
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : [];
  return branches.flatMap((b) => (isNode(b) && Array.isArray(b.enum) ? b.enum.map(String) : []));
}

function fromFallback(e: Fallback): Issue[] {
  const path = parsePointer(e.instancePath);
  const where = formatPath(path);
  const desc = typeof e.parentSchema.description === 'string' ? e.parentSchema.description : 'valid';
  if (isNode(e.data)) {
    const known = objectBranchKeys(e.parentSchema);
    const unknown = Object.keys(e.data).filter((k) => !known.includes(k));
    if (unknown.length > 0) return unknown.map((k) => unknownKey(path, k, known));
  }
  const issue: Issue = { code: 'E_SCHEMA', message: `${where} must be ${desc} (got ${got(e.data)})`, path };
  if (typeof e.data === 'string') {
    const guess = didYouMean(e.data, stringBranchValues(e.parentSchema));
    if (guess) issue.message += `; did you mean "${guess}"?`;
  }
  if (e.data === null) issue.nullValue = true;
  return [issue];
}

function unknownKey(parent: (string | number)[], key: string, known: string[]): Issue {
  const guess = didYouMean(key, known);
  const issue: Issue = {
    code: 'E_UNKNOWN_KEY',
    message: `unknown key "${key}" in ${formatPath(parent)}${guess ? `; did you mean "${guess}"?` : ''}`,
    hint: `known keys here: ${known.join(', ')}`,
    path: [...parent, key],
    at: 'key',
  };
  if (guess) issue.suggests = guess;
  return issue;
}

function fromError(e: ErrorObject): Issue[] {
  const path = parsePointer(e.instancePath);
  const where = formatPath(path);
  const parent = (e.parentSchema ?? {}) as SchemaNode;
  const p = e.params as Record<string, unknown>;
  const issue = (message: string, code: Issue['code'] = 'E_SCHEMA'): Issue[] => [
    { code, message, path, ...(e.data === null ? { nullValue: true } : {}) },
  ];

  if (isDimensionSide(path) && typeof e.data === 'number') {
    const nearest = nearestDimension(e.data);
    if (e.keyword !== 'type') return issue(`${where} ${e.data} must be an even number from 128 to 4096; the nearest valid value is ${nearest}`, 'E_DIMENSION');
    return issue(`${where} ${e.data} must be a whole even number; the nearest valid value is ${nearest}`, 'E_DIMENSION');
  }

  switch (e.keyword) {
    case 'type':
      // A list where a whole manifest should be: most likely the YAML data of a `rows:` manifest, caught by the glob.
      if (path.length === 0 && Array.isArray(e.data)) {
        return [{ code: 'E_SCHEMA', message: `${where} must be ${typeWords(p.type)} (got ${got(e.data)})`, path, hint: 'a manifest is a map of keys; if this list is the data of a rows: manifest, move it out of the manifests globs (or name it .csv or .jsonl)' }];
      }
      break;
    case 'maxLength':
      return maxLengthIssue(e, path, where, issue);
    case 'required': {
      const key = String(p.missingProperty);
      return [{ code: 'E_MISSING_KEY', message: `${where} is missing the key "${key}"`, path, missing: [key] }];
    }
    case 'additionalProperties':
      return [unknownKey(path, String(p.additionalProperty), Object.keys(isNode(parent.properties) ? parent.properties : {}))];
    case 'oneOf':
      return [oneOfIssue(parent, p, path, where)];
  }
  return issue(valueMessage(e, where, parent));
}

/** What an error about one value says (its type, its choices, its range, its length, its form, its count), `where` it is. */
function valueMessage(e: ErrorObject, where: string, parent: SchemaNode): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `${where} must be ${typeWords(p.type)} (got ${got(e.data)})`;
    case 'enum': {
      const allowed = (Array.isArray(p.allowedValues) ? p.allowedValues : []).map(String);
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      return `${where} must be one of ${allowed.join(', ')} (got ${got(e.data)})${guess ? `; did you mean "${guess}"?` : ''}`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${where} must be ${String(p.comparison)} ${String(p.limit)} (got ${got(e.data)})`;
    case 'multipleOf':
      return `${where} must be a multiple of ${String(p.multipleOf)} (got ${got(e.data)})`;
    case 'minLength':
      return p.limit === 1 ? `${where} must not be empty` : `${where} must be at least ${String(p.limit)} characters`;
    case 'pattern': {
      const words = PATTERN_WORDS[String(p.pattern)] ?? (typeof parent.description === 'string' ? parent.description : `text matching ${String(p.pattern)}`);
      return `${where} must be ${words} (got ${got(e.data)})`;
    }
    case 'minItems':
      return `${where} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${where} must have at most ${String(p.limit)} items (it has ${Array.isArray(e.data) ? e.data.length : '?'})`;
    default:
      return `${where} ${e.message ?? 'is not valid'}`;
  }
}

type IssueOf = (message: string, code?: Issue['code']) => Issue[];

/** A string over its limit; a script's says to split it into scenes. */
function maxLengthIssue(e: ErrorObject, path: (string | number)[], where: string, issue: IssueOf): Issue[] {
  // ajv counts code points (an emoji is one character), and so do we.
  const len = typeof e.data === 'string' ? [...e.data].length : 0;
  const limit = Number((e.params as Record<string, unknown>).limit);
  if (path[path.length - 1] === 'script') {
    return [
      {
        code: 'E_SCRIPT_TOO_LONG',
        message: `${where} is ${len.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}`,
        hint: 'split the text into several scenes',
        path,
      },
    ];
  }
  return issue(`${where} must be at most ${limit} characters (it has ${len})`);
}

/**
 * "Exactly one of" uses oneOf (a scene's script, audio, silence; a manifest's scenes, template or
 * source; id or alias): its branches are `required` alone. None given, or more than one.
 */
function oneOfIssue(parent: SchemaNode, p: Record<string, unknown>, path: (string | number)[], where: string): Issue {
  const names = (Array.isArray(parent.oneOf) ? parent.oneOf : []).flatMap((b) => (isNode(b) && Array.isArray(b.required) ? b.required.map(String) : []));
  const manifest = names.includes('source');
  const passing = Array.isArray(p.passingSchemas) ? p.passingSchemas.map((i) => names[Number(i)] ?? '?') : [];
  if (passing.length === 0) {
    const hint = manifest ? { hint: 'write `scenes:` to render a new video, `template:` to render a HeyGen template with its variables, `source:` to dub a video you already have, or `prompt:` to have Video Agent write one' } : {};
    return { code: 'E_MISSING_KEY', message: `${where} needs one of ${quoteList(names)}`, ...hint, path, missing: names };
  }
  return {
    code: 'E_SCHEMA',
    message: `${where} has both ${quoteList(passing, 'and')}; use exactly one of ${quoteList(names)}`,
    hint: manifest
      ? 'keep one of `scenes:` (a new video), `template:` (a HeyGen template), `source:` (a dub of an existing video) or `prompt:` (a Video Agent video): one manifest each'
      : names.includes('script')
        ? 'split it into two scenes'
        : `keep one: ${quoteList(names, 'or')}`,
    path: [...path, passing[passing.length - 1] ?? ''],
    at: 'key',
  };
}

/** ajv errors -> issues in plain words, one per problem. */
export function schemaIssues(errors: ErrorObject[]): Issue[] {
  let errs = pruneAnyOf(errors);
  // A value of the wrong type makes every other complaint about it noise.
  const typeAt = new Set(errs.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  errs = errs.filter((e) => e.keyword === 'type' || !typeAt.has(e.instancePath));
  // Drop the branch errors of oneOf (they are the bare `required`s it is made of).
  const oneOfs = errs.filter((e) => e.keyword === 'oneOf');
  errs = errs.filter(
    (e) => !oneOfs.some((o) => o !== e && e.schemaPath.startsWith(`${o.schemaPath}/`) && e.instancePath === o.instancePath),
  );
  const issues = errs.flatMap((e) => (e.keyword === 'x-fallback' ? fromFallback(e as Fallback) : fromError(e as ErrorObject)));
  // `scirpt:` is both an unknown key and the missing `script`: keep only the first.
  const suggested = new Map<string, Set<string>>();
  for (const i of issues) {
    if (i.suggests) {
      const parentKey = JSON.stringify(i.path.slice(0, -1));
      suggested.set(parentKey, (suggested.get(parentKey) ?? new Set()).add(i.suggests));
    }
  }
  const seen = new Set<string>();
  return issues.filter((i) => {
    if (i.missing && i.missing.some((k) => suggested.get(JSON.stringify(i.path))?.has(k))) return false;
    const key = `${i.code}|${JSON.stringify(i.path)}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
