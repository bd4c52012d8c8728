/**
 * Every export in src/ says what it is for: each exported function, class, interface, type alias,
 * enum and variable statement carries a non-empty JSDoc comment (`/** ... *\/`) directly above it.
 * Re-exports (`export { x } from`, `export * from`, `export { x }`) are exempt: the declaration they
 * name is checked in the file that declares it. Generated JSON schemas (src/emulator/schemas) are skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

const SRC = join(REPO, 'src');
const SKIP_DIRS = new Set([join(SRC, 'emulator', 'schemas')]);

/** Files exempt from the rule: none. Add one only with a reason, and remove it once documented. */
const ALLOWED_UNDOCUMENTED = new Set<string>();

const rel = (p: string): string => relative(REPO, p).split('\\').join('/');

function sourceFiles(dir: string): string[] {
  if (SKIP_DIRS.has(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

type Exported =
  | ts.FunctionDeclaration
  | ts.ClassDeclaration
  | ts.InterfaceDeclaration
  | ts.TypeAliasDeclaration
  | ts.EnumDeclaration
  | ts.VariableStatement;

function isExportedDeclaration(node: ts.Statement): node is Exported {
  const kinds =
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isVariableStatement(node);
  return kinds && (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
}

function nameOf(node: Exported): string {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText()).join(', ');
  return node.name?.getText() ?? 'default';
}

/** A `/**` comment in the node's leading trivia with some text in it (`/** *\/` says nothing). */
function hasJsDoc(node: ts.Node, text: string): boolean {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  return ranges.some((r) => {
    const c = text.slice(r.pos, r.end);
    return c.startsWith('/**') && c !== '/**/' && /[A-Za-z0-9]/.test(c.slice(3, -2));
  });
}

/** `file:line:name` for each undocumented export; only the first signature of an overloaded function needs the comment. */
function undocumented(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const seenFunctions = new Set<string>();
  const out: string[] = [];
  for (const node of sf.statements) {
    if (!isExportedDeclaration(node)) continue;
    const name = nameOf(node);
    if (ts.isFunctionDeclaration(node)) {
      if (seenFunctions.has(name)) continue;
      seenFunctions.add(name);
    }
    if (hasJsDoc(node, text)) continue;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push(`${rel(file)}:${line}:${name}`);
  }
  return out;
}

describe('JSDoc on every export in src/', () => {
  const files = sourceFiles(SRC);

  it('finds the source files it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.map(rel).filter((f) => f.startsWith('src/emulator/schemas/'))).toEqual([]);
  });

  it('documents every exported declaration outside the allow-list', () => {
    const missing = files.filter((f) => !ALLOWED_UNDOCUMENTED.has(rel(f))).flatMap(undocumented);
    expect(missing, `exports without a JSDoc comment:\n${missing.join('\n')}`).toEqual([]);
  });

});
