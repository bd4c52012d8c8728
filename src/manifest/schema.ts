/**
 * The manifest schema, compiled once per process (lazily: commands that never read a manifest
 * never pay for ajv). Two validators: the full one for manifests, and one without `required`
 * for `defaults` in heygen.config.ts, which may give any subset of keys.
 */

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';

/** A JSON Schema node, as plain data. */
type SchemaNode = { [key: string]: unknown };

// Works from src/manifest (tsx, vitest) and from dist/manifest alike: both are two levels down.
const SCHEMA_URL = new URL('../../schema/video.schema.json', import.meta.url);

/** Keywords the schema carries for editors only: completion snippets, Markdown hover, enum help. */
const EDITOR_KEYWORDS = ['markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'defaultSnippets'] as const;

let raw: { text: string; schema: SchemaNode } | undefined;
let compiled: { manifest: ValidateFunction; defaults: ValidateFunction; schema: SchemaNode } | undefined;

function rawSchema(): { text: string; schema: SchemaNode } {
  if (!raw) {
    const text = readFileSync(SCHEMA_URL, 'utf8');
    raw = { text, schema: JSON.parse(text) as SchemaNode };
  }
  return raw;
}

/** sha256 of the schema file: part of the warm cache's key, so a new schema rebuilds it. */
export function schemaDigest(): string {
  return createHash('sha256').update(rawSchema().text).digest('hex');
}

function isNode(v: unknown): v is SchemaNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Inline every local `$ref`. ajv reports errors inside a referenced definition with the
 * definition's own schemaPath, which would hide which `anyOf` branch an error belongs to;
 * with refs inlined every schemaPath is a path from the root. The schema has no recursion.
 */
function deref(node: unknown, root: SchemaNode): unknown {
  if (Array.isArray(node)) return node.map((n) => deref(n, root));
  if (!isNode(node)) return node;
  if (typeof node.$ref === 'string') {
    const target = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((acc, key) => (isNode(acc) ? acc[key] : undefined), root);
    if (target === undefined) throw new Error(`schema: unresolved $ref ${node.$ref}`);
    const { $ref: _ref, ...rest } = node;
    return deref({ ...(target as SchemaNode), ...rest }, root);
  }
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'definitions') continue;
    out[k] = k === 'properties' && isNode(v) ? mapValues(v, (p) => deref(p, root)) : deref(v, root);
  }
  return out;
}

function mapValues(o: SchemaNode, f: (v: unknown) => unknown): SchemaNode {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/** The schema for `defaults`: no `required`, and no "exactly one of" built from `required` alone. */
function withoutRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRequired);
  if (!isNode(node)) return node;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'required') continue;
    if (k === 'oneOf' && Array.isArray(v) && v.every((b) => isNode(b) && Object.keys(b).every((x) => x === 'required'))) continue;
    out[k] = k === 'properties' && isNode(v) ? mapValues(v, withoutRequired) : withoutRequired(v);
  }
  return out;
}

function compile(): NonNullable<typeof compiled> {
  if (!compiled) {
    const source = rawSchema().schema;
    const schema = deref(source, source) as SchemaNode;
    delete schema.$schema;
    // The $id names the schema for editors; both validators below come from it, and one ajv
    // instance refuses two schemas with the same $id.
    delete schema.$id;
    // verbose: errors carry parentSchema and data, which the messages use.
    // strictTypes/strictRequired off: `oneOf: [{required: [...]}]` branches name properties
    // declared by their parent and have no `type`, by design.
    // Loaded on first use (ajv is CommonJS): a fully warm run never pays its ~50 ms import.
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
    // Editor-only annotations (yaml-language-server, VS Code): known to strict mode, never validated.
    for (const keyword of EDITOR_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'array'] });
    compiled = {
      manifest: ajv.compile(schema),
      defaults: ajv.compile(withoutRequired(schema) as SchemaNode),
      schema,
    };
  }
  return compiled;
}

/** Validates merged manifest data against schema/video.schema.json; empty when valid. */
export function validateManifestData(data: unknown): ErrorObject[] {
  const v = compile().manifest;
  return v(data) ? [] : [...(v.errors ?? [])];
}

/** Validates the config's `defaults` against the manifest schema with nothing required; empty when valid. */
export function validateDefaultsData(data: unknown): ErrorObject[] {
  const v = compile().defaults;
  return v(data) ? [] : [...(v.errors ?? [])];
}
