/**
 * The error-code contract: every code the sources can raise is in the `ERROR_CODES` table (hence in the
 * `ErrorCode` union), and the README's table lists exactly that table, with the same advice.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { REPO } from '../helpers/cli.js';

const CODE_LITERAL = /['"`]([EW]_[A-Z0-9_]+)['"`]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** code -> the first file using it, for a readable failure. */
function codesInSources(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of sourceFiles(join(REPO, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(CODE_LITERAL)) {
      if (!used.has(m[1]!)) used.set(m[1]!, relative(REPO, file));
    }
  }
  return used;
}

/** The rows of the README's "Error codes" table, in order. */
function readmeTable(): [string, string][] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('## Error codes');
  expect(start, 'README has an "## Error codes" section').toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^\| `([EW]_[A-Z0-9_]+)` \| (.*) \|$/gm)].map((m) => [m[1]!, m[2]!]);
}

describe('error codes', () => {
  it('every code used in src/ is in the ERROR_CODES table (and so in the ErrorCode union)', () => {
    const used = codesInSources();
    // The scan must see the codes we know are there, or it is scanning nothing.
    expect(used.has('E_SCHEMA') && used.has('E_BUDGET')).toBe(true);
    const missing = [...used].filter(([code]) => !Object.hasOwn(ERROR_CODES, code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('the README table lists exactly the ERROR_CODES table, with the same advice, in the same order', () => {
    const rows = readmeTable();
    expect(rows.map(([code]) => code)).toEqual(Object.keys(ERROR_CODES));
    expect(Object.fromEntries(rows)).toEqual(ERROR_CODES);
  });

  it('codes are E_/W_ words and every one says what to do', () => {
    for (const [code, todo] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[EW]_[A-Z0-9_]+$/);
      expect(todo.length, code).toBeGreaterThan(10);
      // A pipe would split the README table's cell.
      expect(todo, code).not.toContain('|');
    }
  });
});
