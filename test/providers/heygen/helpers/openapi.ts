/**
 * Compiles HeyGen's OpenAPI-flavoured schemas with ajv. They use `nullable: true` and
 * `discriminator` with `mapping`s to components we do not have, and their discriminator
 * properties carry no `const`. So we rewrite them into plain JSON Schema: nullable -> type unions,
 * each discriminated branch gets a `const` tag, and (for our checks) objects with declared
 * properties reject unknown ones, so a misspelled field name fails.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;

const FIXTURES = fileURLToPath(new URL('../../../fixtures/heygen-v3/', import.meta.url));

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The tag of one discriminated branch: from "Must be 'x'" in its description, else a required key naming it. */
function branchTag(branch: Schema, prop: string, tags: string[], taken: Set<string>): string {
  const props = isSchema(branch.properties) ? branch.properties : {};
  const field = props[prop];
  const desc = isSchema(field) && typeof field.description === 'string' ? field.description : '';
  const quoted = [...desc.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1] as string).find((t) => tags.includes(t) && !taken.has(t));
  if (quoted) return quoted;
  const required = Array.isArray(branch.required) ? (branch.required as string[]) : [];
  const byField = tags.find((t) => !taken.has(t) && required.includes(t));
  if (byField) return byField;
  const rest = tags.filter((t) => !taken.has(t) && !tags.some((u) => u !== t && required.includes(u)));
  const left = rest.find((t) => !Object.keys(props).includes(t));
  if (!left) throw new Error(`cannot tag a discriminated branch (${desc})`);
  return left;
}

export function toJsonSchema(input: unknown, closed = true): unknown {
  if (Array.isArray(input)) return input.map((x) => toJsonSchema(x, closed));
  if (!isSchema(input)) return input;
  const out: Schema = {};
  for (const [k, v] of Object.entries(input)) out[k] = toJsonSchema(v, closed);

  const disc = out.discriminator;
  if (isSchema(disc) && Array.isArray(out.oneOf)) {
    const prop = String(disc.propertyName);
    const tags = Object.keys(isSchema(disc.mapping) ? disc.mapping : {});
    const taken = new Set<string>();
    out.oneOf = (out.oneOf as Schema[]).map((branch) => {
      const tag = branchTag(branch, prop, tags, taken);
      taken.add(tag);
      const props = { ...(branch.properties as Schema) };
      props[prop] = { ...(props[prop] as Schema), const: tag };
      return { ...branch, properties: props };
    });
  }
  delete out.discriminator;

  if (closed && out.type === 'object' && isSchema(out.properties) && Object.keys(out.properties).length > 0 && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [{ type: 'null' }, out] };
    }
  }
  delete out.nullable;
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });

export function loadOperation(name: string): Schema {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as Schema;
}

export function validator(name: string, part: 'RequestSchema' | 'ResponseSchema'): ValidateFunction {
  return ajv.compile(toJsonSchema(loadOperation(name)[part]) as Schema);
}

/** Asserts `value` matches, with ajv's errors in the message when it does not. */
export function check(validate: ValidateFunction, value: unknown): void {
  if (!validate(value)) throw new Error(`schema mismatch: ${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(value, null, 2)}`);
}
