/**
 * A TypeScript config, transpiled once per content. Loading jiti costs ~50 ms of CPU at every start
 * (a 190 KB bundle to compile, plus its own cache lookups), a third of a no-op plan of a small
 * project. So after jiti has loaded a config once, its transpiled CommonJS is kept in
 * `<root>/.heygen/cache/config.json`, keyed by the config's path and bytes, jiti's version and this
 * format; the next run evaluates that code directly and never loads jiti.
 *
 * Only a self-contained config is kept: its code may require nothing but `heygen-build` for
 * `defineConfig` (the usual `import { defineConfig } from 'heygen-build'`), and uses no dynamic
 * import and no `import.meta`. Anything else (a config importing a helper file or a package) keeps
 * going through jiti, which resolves and watches those imports itself. The code is evaluated at every
 * run, so a config reading `process.env` sees this run's environment.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { writeFileAtomic } from '../fsx/atomic.js';
import { defineConfig } from './define.js';

const FORMAT = 1;
/** Where the transpiled config is kept, relative to the config's folder. */
export const CONFIG_CACHE_FILE = join('.heygen', 'cache', 'config.json');

interface Stored {
  key: string;
  code: string;
}

let jitiVersion: string | undefined;

/** The cache key of a config's code: its path and bytes, and what transpiled them. */
export function transpiledKey(file: string, source: string): string {
  jitiVersion ??= (createRequire(import.meta.url)('jiti/package.json') as { version: string }).version;
  return createHash('sha256').update(JSON.stringify([FORMAT, jitiVersion, file, source])).digest('hex');
}

/** Whether transpiled code needs nothing jiti would have to resolve: no import other than `heygen-build`. */
export function selfContained(code: string): boolean {
  const requires = code.match(/\brequire\s*\(/g)?.length ?? 0;
  const self = code.match(/\brequire\("heygen-build"\)/g)?.length ?? 0;
  return requires === self && !/\bimport\s*\(|\bimport\.meta\b|\bjiti/.test(code);
}

function wrapper(code: string, file: string): Script {
  return new Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: file });
}

/** The code kept for this config's exact bytes, or undefined (none, another version, unreadable). */
export function readTranspiled(file: string, source: string): string | undefined {
  try {
    const stored = JSON.parse(readFileSync(join(dirname(file), CONFIG_CACHE_FILE), 'utf8')) as Partial<Stored>;
    return stored.key === transpiledKey(file, source) && typeof stored.code === 'string' ? stored.code : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the code for next time when it is self-contained and compiles; a failed write only costs speed. */
export async function writeTranspiled(file: string, source: string, code: string): Promise<void> {
  if (!selfContained(code)) return;
  try {
    wrapper(code, file);
    const target = join(dirname(file), CONFIG_CACHE_FILE);
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, JSON.stringify({ key: transpiledKey(file, source), code } satisfies Stored));
  } catch {
    // Code we cannot compile as a function body (top-level await) stays with jiti; an unwritable folder costs speed.
  }
}

/** Runs kept CommonJS code as jiti would have: `heygen-build` is this tool's `defineConfig`; the default export wins. */
export function evaluateTranspiled(code: string, file: string): unknown {
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string): unknown => {
    if (id === 'heygen-build') return { defineConfig };
    // selfContained() let no other require through; a hand-edited cache file is not trusted further.
    throw new Error(`the cached config requires ${id}: delete ${CONFIG_CACHE_FILE}`);
  };
  const fn = wrapper(code, file).runInThisContext() as (...args: unknown[]) => void;
  fn(module.exports, require, module, file, dirname(file));
  const exported = module.exports;
  return 'default' in exported ? exported.default : exported;
}
