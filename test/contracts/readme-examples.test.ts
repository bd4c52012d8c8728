/**
 * The README's TypeScript examples compile against the published types (dist/*.d.ts, through the
 * package's exports map), the way a user's editor would check them after pasting.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO, tempProject } from '../helpers/cli.js';

function tsBlocks(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('README examples', () => {
  it('every ```ts block type-checks against the package as installed', () => {
    const blocks = tsBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const dir = tempProject({ 'package.json': '{"name":"consumer","private":true,"type":"module"}\n' });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(REPO, join(dir, 'node_modules', 'heygen-build'), 'dir');
    // Each block is its own module (top-level await allowed, as in an ES module script).
    const files = blocks.map((code, i) => {
      const f = join(dir, `example${i}.ts`);
      writeFileSync(f, `${code}\nexport {};\n`);
      return f;
    });
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(REPO, 'node_modules', '@types')],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });
});
