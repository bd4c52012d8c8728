/**
 * The product does not carry the emulator: nothing reachable from the library (src/index.ts) or from
 * the CLI's start (src/cli/main.ts) imports src/emulator, except one lazy `import()` that runs only
 * for `heygen-build emulator`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

interface Edge {
  from: string;
  to: string;
  dynamic: boolean;
}

const SRC = join(REPO, 'src');
const rel = (p: string): string => relative(REPO, p).split('\\').join('/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Imports and re-exports (type-only ones too: they would tie the product's types to the emulator) and `import()` calls. */
function edgesOf(file: string): Edge[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Edge[] = [];
  const add = (spec: string, dynamic: boolean): void => {
    if (!spec.startsWith('.')) return; // packages and node: builtins
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    if (!existsSync(target)) missing.push(`${rel(file)} imports ${spec}`);
    out.push({ from: rel(file), to: rel(target), dynamic });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, true);
      else computed.add(rel(file));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Files with an `import()` of a computed path: an edge this scan cannot see. */
const computed = new Set<string>();
/** Relative imports of files that do not exist: an edge this scan would follow nowhere. */
const missing: string[] = [];
const ALL = sourceFiles(SRC).flatMap(edgesOf);

function reachable(roots: string[], follow: (e: Edge) => boolean): Set<string> {
  const seen = new Set<string>(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    const f = queue.shift()!;
    for (const e of ALL) {
      if (e.from === f && follow(e) && !seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
    }
  }
  return seen;
}

const inEmulator = (f: string): boolean => f.startsWith('src/emulator/');
const LAZY_EDGE: Edge = { from: 'src/cli/emulator.ts', to: 'src/emulator/cli.ts', dynamic: true };

describe('import graph', () => {
  it('sees the imports (the scan is not empty)', () => {
    expect(ALL).toContainEqual({ from: 'src/index.ts', to: 'src/errors.ts', dynamic: false });
    expect(ALL).toContainEqual({ from: 'src/cli/main.ts', to: 'src/cli/build.ts', dynamic: true });
  });

  it('every relative import names a file that exists', () => {
    expect(missing).toEqual([]);
  });

  it('no import() hides its target, except loading the user\'s heygen.config.ts', () => {
    expect([...computed]).toEqual(['src/config/load.ts']);
  });

  it('the library (src/index.ts), static and dynamic imports alike, never reaches src/emulator', () => {
    const lib = reachable(['src/index.ts'], () => true);
    expect(lib.has('src/api/build.ts')).toBe(true);
    expect([...lib].filter(inEmulator)).toEqual([]);
  });

  it('the only way from outside src/emulator into it is the lazy import of `heygen-build emulator`', () => {
    const into = ALL.filter((e) => !inEmulator(e.from) && inEmulator(e.to));
    expect(into).toEqual([LAZY_EDGE]);
    // And that command's module is itself only ever loaded lazily, by the CLI.
    const toCommand = ALL.filter((e) => e.to === LAZY_EDGE.from);
    expect(toCommand).toEqual([{ from: 'src/cli/main.ts', to: 'src/cli/emulator.ts', dynamic: true }]);
  });

  it('every other command of the CLI never reaches src/emulator', () => {
    const cli = reachable(['src/cli/main.ts'], (e) => e.to !== LAZY_EDGE.from);
    expect(cli.has('src/cli/watch.ts')).toBe(true);
    expect([...cli].filter(inEmulator)).toEqual([]);
  });

  it('only `plan` reads the plan snapshot, and `build` keeps it at its end: watch and the library never reach src/plan-cache', () => {
    const inCache = (f: string): boolean => f.startsWith('src/plan-cache/');
    // plan-full.ts takes a type from it (erased); plan.ts loads it; plan-after.ts is the build's last step.
    // The cold load's workers feed a running trace: parallel.ts asks active.ts (no imports of its own)
    // whether one runs, and worker.ts imports trace.ts only when told that one does. The manifest read
    // (state.ts) asks it too, to hand the trace each file's stat as it was read.
    expect([...new Set(ALL.filter((e) => !inCache(e.from) && inCache(e.to)).map((e) => e.from))].sort()).toEqual([
      'src/cli/plan-after.ts',
      'src/cli/plan-full.ts',
      'src/cli/plan.ts',
      'src/manifest/load/parallel.ts',
      'src/manifest/load/state.ts',
      'src/manifest/load/worker.ts',
    ]);
    expect(ALL.filter((e) => e.from.startsWith('src/manifest/') && inCache(e.to)).map((e) => `${e.from} -> ${e.to}${e.dynamic ? ' (dynamic)' : ''}`).sort()).toEqual([
      'src/manifest/load/parallel.ts -> src/plan-cache/active.ts',
      'src/manifest/load/state.ts -> src/plan-cache/active.ts',
      'src/manifest/load/worker.ts -> src/plan-cache/active.ts',
      'src/manifest/load/worker.ts -> src/plan-cache/trace.ts (dynamic)',
    ]);
    expect(ALL.filter((e) => e.to === 'src/cli/plan.ts' && !e.from.startsWith('src/cli/plan-full')).map((e) => e.from)).toEqual(['src/cli/main.ts']);
    // The build loads that step (once a render is submitted, else when it ends), and nothing else loads it.
    expect(ALL.filter((e) => e.to === 'src/cli/plan-after.ts')).toEqual([{ from: 'src/cli/build.ts', to: 'src/cli/plan-after.ts', dynamic: true }]);
    for (const root of ['src/index.ts', 'src/cli/watch.ts', 'src/api/build.ts']) {
      // Not through main.ts: it is the dispatcher, which imports every command.
      const reached = reachable([root], (e) => e.to !== 'src/cli/main.ts');
      expect([...reached].filter((f) => f === 'src/cli/plan.ts' || f === 'src/plan-cache/index.ts'), root).toEqual([]);
    }
  });

  it("a plan whose lockfile has a parsed copy loads neither the lockfile's YAML reader nor its writer", () => {
    // Static imports only: parse.ts, serialize.ts and the shard merge are imported when used.
    const plan = reachable(['src/cli/plan-full.ts', 'src/execute/heygen/provider.ts'], (e) => !e.dynamic);
    expect(plan.has('src/lockfile/store.ts')).toBe(true);
    const lazy = ['src/lockfile/parse.ts', 'src/lockfile/serialize.ts', 'src/lockfile/merge.ts', 'src/lockfile/merge-shard.ts', 'src/fsx/sweep.ts'];
    expect(lazy.filter((f) => plan.has(f))).toEqual([]);
  });

  it('a plan answered by its snapshot loads no module of the planner (lazy imports)', () => {
    // Values imported at load time (type-only imports are erased): none in plan.ts, built-ins only in src/plan-cache.
    const valueImports = (f: string): string[] =>
      [...readFileSync(join(REPO, f), 'utf8').matchAll(/^import (?!type )[^;]*? from '([^']+)'/gm)].map((m) => m[1]!).filter((spec) => !spec.startsWith('node:'));
    expect(valueImports('src/cli/plan.ts')).toEqual([]);
    // Besides their own modules, the project root as the commands find it (config/find.ts): node:fs, node:path and the defaults table.
    for (const f of ['index', 'snapshot', 'stamp', 'trace', 'after-build']) {
      expect(valueImports(`src/plan-cache/${f}.ts`).every((spec) => spec.startsWith('./') || spec === '../config/find.js'), f).toBe(true);
    }
    expect(valueImports('src/config/find.ts')).toEqual(['./defaults.js']);
    expect(valueImports('src/config/defaults.ts')).toEqual([]);
  });
});
