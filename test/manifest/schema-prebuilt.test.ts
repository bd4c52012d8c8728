/**
 * The build's yes/no validators (schema-codegen.ts) say "valid" only when the compiled schema does,
 * and agree with it on every example and fixture (they differ only on strings of astral characters
 * near a maxLength, which they leave to it); the ones in dist/ were generated from today's schema:
 * a schema edit without a rebuild fails here (and at run time such validators are ignored, see schema.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { minLengthAbove1, prebuiltValidatorsCode, withoutBranchErrors } from '../../src/manifest/schema-codegen.js';
import { PREBUILT_FILE, schemaDigest, validateDefaultsData, validateManifestData } from '../../src/manifest/schema.js';
import { FIXTURES, REPO } from './helpers.js';
import { withOneMemberReplaced } from '../helpers/damage.js';

const code = prebuiltValidatorsCode();
/** The generated CommonJS module, run as Node would run it from dist/ (its requires resolve to ajv's runtime). */
function load(text: string): { schemaSha256: string; manifest: (d: unknown) => boolean; defaults: (d: unknown) => boolean } {
  const exports = {};
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating generated code is what is under test
  const run = new Function('exports', 'require', text) as (exports: object, require: NodeJS.Require) => void;
  run(exports, createRequire(path.join(REPO, 'dist', 'manifest', PREBUILT_FILE)));
  return exports as ReturnType<typeof load>;
}
const prebuilt = load(code);

/** Every YAML document under a folder, parsed by `yaml` (unparsable files skipped). */
function documents(folder: string): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const e of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !/\.ya?ml$/.test(e.name)) continue;
    const file = path.join(e.parentPath, e.name);
    try {
      out.push([file, parse(readFileSync(file, 'utf8'))]);
    } catch {
      // A syntax-error fixture: nothing to validate.
    }
  }
  return out;
}

const base = { avatar: { id: 'Daisy' }, voice: { id: 'v1' }, scenes: [{ script: 'Hello.' }] };
const variants: [string, unknown][] = [
  ['valid', base],
  ['unknown key', { ...base, scenez: [] }],
  ['no scenes', { avatar: base.avatar }],
  ['wrong type', { ...base, caption: 'sometimes' }],
  ['bad scene', { ...base, scenes: [{ script: 5 }] }],
  ['empty scenes', { ...base, scenes: [] }],
  ['not a map', ['a']],
  ['long title', { ...base, title: 'x'.repeat(100_000) }],
];

describe('prebuilt schema validators', () => {
  it('carry the digest of the schema they were made from', () => {
    expect(prebuilt.schemaSha256).toBe(schemaDigest());
  });

  it('agree with the compiled schema on every example, fixture and variant', () => {
    const cases = [...documents(path.join(REPO, 'examples')), ...documents(FIXTURES), ...variants];
    expect(cases.length).toBeGreaterThan(20);
    let valid = 0;
    for (const [name, data] of cases) {
      const full = validateManifestData(data).length === 0;
      valid += full ? 1 : 0;
      expect(prebuilt.manifest(data), name).toBe(full);
      expect(prebuilt.defaults(data), name).toBe(validateDefaultsData(data).length === 0);
    }
    // Both answers occur: the comparison is not vacuous.
    expect(valid).toBeGreaterThan(0);
    expect(valid).toBeLessThan(cases.length);
  });

  it('count lengths in UTF-16 units: a script of 5,000 emoji is left to the compiled schema, which accepts it', () => {
    const emoji = { ...base, scenes: [{ script: '\u{1F600}'.repeat(5000) }] };
    const tooLong = { ...base, scenes: [{ script: '\u{1F600}'.repeat(5001) }] };
    expect(prebuilt.manifest(emoji)).toBe(false);
    expect(validateManifestData(emoji)).toEqual([]);
    expect(prebuilt.manifest(tooLong)).toBe(false);
    expect(validateManifestData(tooLong).map((e) => e.keyword)).toContain('maxLength');
    // Counting in units could only accept too much with a minLength above 1: the schema has none.
    expect(minLengthAbove1(JSON.parse(readFileSync(path.join(REPO, 'schema', 'video.schema.json'), 'utf8')))).toBe(false);
    expect(minLengthAbove1({ properties: { a: { type: 'string', minLength: 2 } } })).toBe(true);
  });

  it('build no error object for a branch that does not match, and agree with the schema on edited examples', () => {
    // A valid manifest goes through dozens of anyOf/oneOf branches that fail: none leaves an object behind.
    expect(code).not.toMatch(/vErrors\.push/);
    const docs = documents(path.join(REPO, 'examples')).map(([, d]) => d);
    const edit = fc.tuple(fc.constantFrom(...docs), fc.nat(), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(edit, ([doc, pick, value]) => {
        // One member anywhere in the document replaced by any JSON value (often invalid, sometimes not).
        const copy = withOneMemberReplaced(doc, pick, value);
        expect(prebuilt.manifest(copy)).toBe(validateManifestData(copy).length === 0);
      }),
      { numRuns: 300, seed: 27 },
    );
  });

  it('keep the errors ajv builds when the code merges a list it cannot prove unread', () => {
    const branch = 'const err0 = {keyword:"type"};if(vErrors === null){vErrors = [err0];}else {vErrors.push(err0);}errors++;';
    expect(withoutBranchErrors(`${branch}return errors === 0;`)).toBe('errors++;return errors === 0;');
    const merged = `${branch}if(!validate11(x)){vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);errors = vErrors.length;}`;
    expect(withoutBranchErrors(merged)).toBe(merged);
  });

  it('in dist/ are the ones the schema gives today (run npm run build after a schema change)', () => {
    const built = path.join(REPO, 'dist', 'manifest', PREBUILT_FILE);
    expect(existsSync(built)).toBe(true);
    expect(readFileSync(built, 'utf8')).toBe(code);
  });
});
