/**
 * The cold path's YAML parse: the direct parser of parse-direct.ts for the plainest manifests,
 * else js-yaml, about five times faster than `yaml`'s parseDocument on a manifest, and used only
 * where the two are known to give the same data. `yaml` stays the source
 * of truth: a manifest with any problem is parsed again by it (source.ts) and every diagnostic,
 * position and message comes from there. This module only answers "what data does this text
 * hold?" for plain manifests, or `undefined` when the text uses anything where the two parsers
 * could disagree, so that the caller takes `yaml`'s path:
 * - a value that goes on over several lines, but for block scalars (`|`, `>`): see parse-shape.ts;
 * - tags, anchors, aliases, merge keys (`<<`), complex (`?`) keys, flow collections used as keys,
 *   directives and document markers (`---`, `...`), an empty node with a comment (`- # todo`):
 *   told from the text, conservatively (a script saying "Q & A" or "*new*" takes the slow path
 *   too, which is only slower);
 * - tabs, carriage returns, control characters, the Unicode line and paragraph separators, BOMs:
 *   the two parsers fold or refuse them differently;
 * - a key that `yaml` would read as something other than a string (`1:`, `true:`, `null:`, `~:`)
 *   or a key longer than `yaml`'s 1,024-character limit for implicit keys;
 * - anything js-yaml refuses (a syntax error, a duplicate key, nesting deeper than its limit of
 *   100) and a document that is not a map.
 * Plain scalars resolve by `yaml`'s core schema, copied below (the same tests and conversions), not
 * by js-yaml's own, which reads `0b1`, `1_000` and `.5e1`-style numbers that `yaml` keeps as strings.
 */

import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import { parseDirect, type CoreSchema } from './parse-direct.js';
import { plainShape } from './parse-shape.js';

type JsYamlModule = typeof JsYaml;

/** Where the two parsers may disagree (see the list above). One pass over the text. */
const UNSAFE = new RegExp(
  [
    // Tabs, CR, control characters, C1 controls, Unicode line breaks, BOM and non-characters.
    '[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ufffe\\uffff]',
    // Node properties start a node: at a line start, after whitespace, or after a flow indicator.
    '(?:^|[\\s[{,:])[!&*]',
    // Directives and document markers.
    '^(?:%|---|\\.\\.\\.)',
    // Merge keys.
    '<<',
    // Complex keys.
    '(?:^|[\\s[{,])\\?(?=\\s|$)',
    // A flow collection used as a key.
    '[\\]}] *:(?=\\s|$)',
    // An empty node followed by a comment (js-yaml can then misplace the next, less indented item).
    '(?:^|\\s)[-:] +#',
  ].join('|'),
  'm',
);

/** `yaml`'s core schema (yaml/dist/schema/core): the plain scalars that are not strings, in its order. */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** `yaml` refuses implicit keys longer than 1,024 characters (quotes included): keep well clear. */
const MAX_KEY = 1000;

/** Not a string by the core schema: one of the tests above may match (a cheap look at the first character). */
function maybeCore(s: string): boolean {
  if (s.length === 0) return true;
  const c = s.charCodeAt(0);
  // 0-9 + - .
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) return true;
  // ~ n N t T f F: null, true, false, at most five characters.
  return s.length <= 5 && (c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70);
}

/** The value `yaml`'s core schema gives a plain scalar, or NOT_CORE for a string; tests in its order. */
const NOT_CORE = Symbol('string');
function core(s: string): unknown {
  if (!maybeCore(s)) return NOT_CORE;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return NOT_CORE;
}

let schema: { mod: JsYamlModule; schema: JsYaml.Schema } | undefined;

/** js-yaml, loaded on first use (a warm plan parses nothing), with `yaml`'s core schema. */
function loader(): NonNullable<typeof schema> {
  if (!schema) {
    const mod = createRequire(import.meta.url)('js-yaml') as JsYamlModule;
    // One implicit type for all of them: js-yaml asks each implicit type about every plain scalar.
    const plain = new mod.Type('tag:yaml.org,2002:core', {
      kind: 'scalar',
      resolve: (s: unknown) => typeof s === 'string' && core(s) !== NOT_CORE,
      construct: (s: string) => core(s),
    });
    schema = { mod, schema: mod.FAILSAFE_SCHEMA.extend({ implicit: [plain] }) };
  }
  return schema;
}

/** Whether every key of every map in `v` is one `yaml` reads as the same string. */
function stringKeys(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (Array.isArray(v)) {
    for (const item of v) if (!stringKeys(item)) return false;
    return true;
  }
  for (const k of Object.keys(v)) {
    if (k.length > MAX_KEY || k === '__proto__') return false;
    // A key `yaml` reads as a number, boolean or null is written differently by its `toJS`.
    if (core(k) !== NOT_CORE) return false;
    if (!stringKeys((v as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * The data of a manifest that is a plain YAML map, as `yaml`'s `parseDocument(text).toJS()` would
 * give it; undefined when the text needs `yaml` (see above), including every text with an error.
 */
export function parseFast(text: string): Record<string, unknown> | undefined {
  // The direct parser makes its own checks (parse-direct.ts); js-yaml is trusted after these only.
  const direct = parseDirect(text, CORE);
  if (direct !== undefined) return direct;
  if (UNSAFE.test(text) || !plainShape(text)) return undefined;
  return parseJsYaml(text);
}

/** What parse-direct.ts needs of the core schema above (exported for its tests). */
export const CORE: CoreSchema = { core, notCore: NOT_CORE, maxKey: MAX_KEY };

/** js-yaml's reading of a text that passed parseFast's checks (exported for the tests comparing the parsers). */
export function parseJsYaml(text: string): Record<string, unknown> | undefined {
  const { mod, schema: s } = loader();
  let data: unknown;
  try {
    data = mod.load(text, { schema: s });
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  return stringKeys(data) ? (data as Record<string, unknown>) : undefined;
}
