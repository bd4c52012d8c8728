/**
 * Request validation against HeyGen's official v3 schemas (copied verbatim into `schemas/`).
 * The schemas come from an OpenAPI generator: `discriminator` carries a `mapping` to components
 * that are not in the file, and branches name their tag only in prose ("Must be 'avatar'").
 * We turn that prose into `const` so ajv's own discriminator support picks the branch and
 * reports errors from that branch only.
 *
 * Every object the schema lists properties of is closed (`additionalProperties: false`, which the
 * schemas leave unsaid): a field HeyGen does not know is answered with a 400 naming it, so a client
 * that misspells or invents a field fails here instead of being silently ignored.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ApiError } from './envelopes.js';
import { dataFile } from './paths.js';

type Json = Record<string, unknown>;

/** One of HeyGen's official endpoint schema files, as stored in src/emulator/schemas. */
export interface OfficialSchema {
  Endpoint: string;
  Method: string;
  RequestSchema?: Json;
  ResponseSchema?: Json;
}

/** Reads an official endpoint schema by name. */
export function loadOfficialSchema(name: string): OfficialSchema {
  return JSON.parse(readFileSync(dataFile('schemas', `${name}.json`), 'utf8')) as OfficialSchema;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The tag value of one oneOf branch: from "Must be 'x'", else from the mapping key it requires or names. */
function tagOf(branch: Json, tag: string, keys: string[]): string | undefined {
  const prop = isObject(branch.properties) ? branch.properties[tag] : undefined;
  const description = isObject(prop) && typeof prop.description === 'string' ? prop.description : '';
  const said = /Must be '([^']+)'/.exec(description)?.[1];
  if (said !== undefined) return said;
  const required = Array.isArray(branch.required) ? branch.required : [];
  const byRequired = keys.filter((k) => required.includes(k));
  if (byRequired.length === 1) return byRequired[0];
  const text = (typeof branch.description === 'string' ? branch.description : '').toLowerCase();
  const byText = keys.filter((k) => text.includes(k.toLowerCase()));
  return byText.length === 1 ? byText[0] : undefined;
}

/** Rewrites one schema node (recursively, in place) into something ajv compiles. */
function prepare(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(prepare);
    return;
  }
  if (!isObject(node)) return;
  for (const value of Object.values(node)) prepare(value);

  const disc = node.discriminator;
  if (isObject(disc) && Array.isArray(node.oneOf)) {
    const tag = String(disc.propertyName);
    const keys = isObject(disc.mapping) ? Object.keys(disc.mapping) : [];
    const branches = node.oneOf.filter(isObject);
    const tags = branches.map((b) => tagOf(b, tag, keys));
    if (tags.every((t) => t !== undefined) && new Set(tags).size === tags.length) {
      branches.forEach((b, i) => {
        const props = isObject(b.properties) ? b.properties : (b.properties = {});
        props[tag] = { ...(props[tag] as Json), const: tags[i] };
      });
      node.discriminator = { propertyName: tag };
    } else {
      delete node.discriminator;
    }
  }
  // An object with no listed properties is a map (template `variables`): left open.
  if (node.type === 'object' && isObject(node.properties) && Object.keys(node.properties).length > 0 && node.additionalProperties === undefined) {
    node.additionalProperties = false;
  }
  // ajv's `nullable` needs a sibling `type`; OpenAPI puts it beside oneOf too.
  if (node.nullable === true && node.type === undefined) {
    const rest = { ...node };
    delete rest.nullable;
    for (const key of Object.keys(node)) delete node[key];
    node.anyOf = [{ type: 'null' }, rest];
  }
}

// verbose: errors carry their parent schema, so a bad tag can list the allowed ones.
const ajv = new Ajv({ discriminator: true, strict: false, allErrors: false, verbose: true });
const compiled = new Map<string, ValidateFunction>();

/** The compiled validator for an endpoint's official request schema, compiled once per process. */
export function requestValidator(name: string): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    const schema = structuredClone(loadOfficialSchema(name).RequestSchema ?? {});
    prepare(schema);
    fn = ajv.compile(schema);
    compiled.set(name, fn);
  }
  return fn;
}

/** `/scenes/0/input/type` -> `scenes[0].input.type` */
function paramOf(err: ErrorObject): string {
  let path = err.instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  const extra =
    err.keyword === 'required'
      ? String(err.params.missingProperty)
      : err.keyword === 'discriminator'
        ? String(err.params.tag)
        : err.keyword === 'additionalProperties'
          ? String(err.params.additionalProperty)
          : '';
  if (extra) path = path ? `${path}.${extra}` : extra;
  return path;
}

function messageOf(err: ErrorObject, param: string): string {
  if (err.keyword === 'required') {
    const parent = param.includes('.') ? param.slice(0, param.lastIndexOf('.')) : 'body';
    return `${parent} ${err.message ?? 'is missing a property'}`;
  }
  if (err.keyword === 'additionalProperties') return `${param} is not a field of this request (HeyGen's schema has no such property)`;
  let message = err.message ?? 'is invalid';
  if (err.keyword === 'enum') message = `must be one of: ${(err.params.allowedValues as unknown[]).join(', ')}`;
  if (err.keyword === 'const') message = `must be ${JSON.stringify(err.params.allowedValue)}`;
  if (err.keyword === 'discriminator') {
    const branches = isObject(err.parentSchema) && Array.isArray(err.parentSchema.oneOf) ? err.parentSchema.oneOf : [];
    const tags = branches
      .map((b: unknown) => (isObject(b) && isObject(b.properties) ? (b.properties[param.split('.').pop() ?? ''] as Json)?.const : undefined))
      .filter((t: unknown) => t !== undefined);
    message = `must be one of: ${tags.map((t) => JSON.stringify(t)).join(', ')} (got ${JSON.stringify(err.params.tagValue)})`;
  }
  return `${param || 'body'} ${message}`;
}

/**
 * The most useful of ajv's errors: `nullable` fields become anyOf[null, X], whose "must be null"
 * and wrapper errors say nothing; the error from inside X does.
 */
function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  const useful = errors.filter(
    (e) => !(e.keyword === 'type' && e.params.type === 'null') && e.keyword !== 'anyOf' && e.keyword !== 'oneOf',
  );
  return useful[0] ?? errors[0];
}

/** Throws the 400 `validation_error` HeyGen answers for a body the schema rejects. */
export function assertValid(name: string, body: unknown): void {
  const validate = requestValidator(name);
  if (validate(body)) return;
  const err = pickError(validate.errors ?? []);
  if (!err) throw new ApiError(400, 'validation_error', 'body is invalid');
  const param = paramOf(err);
  throw new ApiError(400, 'validation_error', messageOf(err, param), param || undefined);
}
