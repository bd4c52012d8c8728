/**
 * The manifest schema, compiled once per process (lazily: commands that never read a manifest
 * never pay for ajv). Two validators: the full one for manifests, and one without `required`
 * for `defaults` in heygen.config.ts, which may give any subset of keys. `npm run build` also
 * writes both as standalone code (schema-codegen.ts) that only says valid or not: data they
 * accept needs no compile at all (~0.5 s per thread); anything else is validated by the compiled
 * schema, whose errors the messages are made from, exactly as before.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv as AjvClass, ErrorObject, Options, ValidateFunction } from 'ajv';

/** The build's yes/no validators (CommonJS, as ajv's standalone code is), next to the compiled schema.js. */
export const PREBUILT_FILE = 'schema-validators.cjs';

/** A JSON Schema node, as plain data. */
export type SchemaNode = { [key: string]: unknown };

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

/** The two schemas validators are compiled from: every `$ref` inlined, no `$id`; `defaults` without `required`. */
export function schemaSources(): { manifest: SchemaNode; defaults: SchemaNode } {
  const source = rawSchema().schema;
  const schema = deref(source, source) as SchemaNode;
  delete schema.$schema;
  // The $id names the schema for editors; both validators come from it, and one ajv instance
  // refuses two schemas with the same $id.
  delete schema.$id;
  return { manifest: schema, defaults: withoutRequired(schema) as SchemaNode };
}

/**
 * ajv's console logger, less its deprecation notice for `unicode: false` when we set it on purpose:
 * ajv 8 still honours the option (limitLength reads it), and `npm install` would otherwise print the
 * notice to every new user. Every other warning is printed as ajv prints it.
 */
function quietAboutUnicode(unicode: boolean | undefined): Options['logger'] {
  const warn = (...args: unknown[]): void => {
    if (unicode === false && typeof args[0] === 'string' && args[0].startsWith('DEPRECATED: option unicode')) return;
    console.warn(...args);
  };
  return { log: console.log, warn, error: console.error };
}

/**
 * An ajv instance set up for the schema. strictTypes/strictRequired off: `oneOf: [{required: [...]}]`
 * branches name properties declared by their parent and have no `type`, by design. `extra` only
 * sets options that shape errors (allErrors, verbose) or emit code, and `unicode: false` for the
 * build's yes/no validators (schema-codegen.ts says why that never accepts invalid data).
 */
export function schemaAjv(extra: Pick<Options, 'allErrors' | 'verbose' | 'code' | 'unicode'>): AjvClass {
  // Loaded on first use (ajv is CommonJS): a fully warm run never pays its ~50 ms import.
  const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
  const ajv = new Ajv({ ...extra, strict: true, strictTypes: false, strictRequired: false, logger: quietAboutUnicode(extra.unicode) });
  // Editor-only annotations (yaml-language-server, VS Code): known to strict mode, never validated.
  for (const keyword of EDITOR_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'array'] });
  return ajv;
}

function compile(): NonNullable<typeof compiled> {
  if (!compiled) {
    const sources = schemaSources();
    // allErrors and verbose: every problem at once, and errors carry parentSchema and data, which the messages use.
    const ajv = schemaAjv({ allErrors: true, verbose: true });
    compiled = { manifest: ajv.compile(sources.manifest), defaults: ajv.compile(sources.defaults), schema: sources.manifest };
  }
  return compiled;
}

/** Yes/no validators compiled at build time (schema-codegen.ts), used only when built from this very schema. */
interface Prebuilt {
  schemaSha256: string;
  manifest: (data: unknown) => boolean;
  defaults: (data: unknown) => boolean;
}
let prebuilt: Prebuilt | null | undefined;

/**
 * The build's validators, or null when there are none (running from the sources) or they were
 * generated from another schema: then ajv compiles the schema here, as it always did.
 */
function prebuiltValidators(): Prebuilt | null {
  if (prebuilt === undefined) {
    prebuilt = null;
    const file = new URL(`./${PREBUILT_FILE}`, import.meta.url);
    if (existsSync(file)) {
      const mod = createRequire(import.meta.url)(fileURLToPath(file)) as Partial<Prebuilt>;
      if (mod.schemaSha256 === schemaDigest() && mod.manifest && mod.defaults) prebuilt = mod as Prebuilt;
    }
  }
  return prebuilt;
}

/** Whether the build's validators are in use (for tests and the benchmark). */
export function usesPrebuiltValidators(): boolean {
  return prebuiltValidators() !== null;
}

/** Makes validation ready (a worker does this before taking work): loads the build's validators, or compiles. */
export function prepareValidation(): void {
  if (!prebuiltValidators()) compile();
}

/** Validates merged manifest data against schema/video.schema.json; empty when valid. */
export function validateManifestData(data: unknown): ErrorObject[] {
  // Valid data (nearly every manifest) needs no error objects: the build's validator says so without compiling anything.
  if (prebuiltValidators()?.manifest(data)) return [];
  const v = compile().manifest;
  return v(data) ? [] : [...(v.errors ?? [])];
}

/** Validates the config's `defaults` against the manifest schema with nothing required; empty when valid. */
export function validateDefaultsData(data: unknown): ErrorObject[] {
  if (prebuiltValidators()?.defaults(data)) return [];
  const v = compile().defaults;
  return v(data) ? [] : [...(v.errors ?? [])];
}
