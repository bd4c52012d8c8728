import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { CONFIG_CACHE_FILE, selfContained } from '../../src/config/ts-cache.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-config-cache-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const config = (outDir: string): string =>
  `import { defineConfig, type HeygenBuildConfig } from 'heygen-build';\nconst o: string = '${outDir}';\nexport default defineConfig({ outDir: o } satisfies HeygenBuildConfig);\n`;

describe('a TypeScript config, transpiled once per content', () => {
  it('is kept after jiti loads it, and the next load runs the kept code', async () => {
    const dir = project({ 'heygen.config.ts': config('first') });
    expect((await loadConfig({ cwd: dir, env: {} })).outDir).toBe('first');
    const file = join(dir, CONFIG_CACHE_FILE);
    expect(existsSync(file)).toBe(true);
    // Proof the kept code is what runs: change what it returns, keeping the key of these bytes.
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; code: string };
    writeFileSync(file, JSON.stringify({ ...stored, code: stored.code.replace("'first'", "'from-cache'") }));
    expect((await loadConfig({ cwd: dir, env: {} })).outDir).toBe('from-cache');
  });

  it('an edited config is loaded again, never the kept code of the old bytes', async () => {
    const dir = project({ 'heygen.config.ts': config('first') });
    await loadConfig({ cwd: dir, env: {} });
    writeFileSync(join(dir, 'heygen.config.ts'), config('second'));
    expect((await loadConfig({ cwd: dir, env: {} })).outDir).toBe('second');
    expect((await loadConfig({ cwd: dir, env: {} })).outDir).toBe('second');
  });

  it('kept code still reads this run’s environment', async () => {
    const dir = project({ 'heygen.config.ts': `export default { outDir: process.env.HB_TEST_OUT ?? 'none' };\n` });
    process.env.HB_TEST_OUT = 'a';
    try {
      expect((await loadConfig({ cwd: dir, env: {} })).outDir).toBe('a');
      expect(existsSync(join(dir, CONFIG_CACHE_FILE))).toBe(true);
      process.env.HB_TEST_OUT = 'b';
      expect((await loadConfig({ cwd: dir, env: {} })).outDir).toBe('b');
    } finally {
      delete process.env.HB_TEST_OUT;
    }
  });

  it('a config importing another file stays with jiti: an edit to that file is seen', async () => {
    const dir = project({
      'shared.ts': `export const out: string = 'one';\n`,
      'heygen.config.ts': `import { out } from './shared';\nexport default { outDir: out };\n`,
    });
    expect((await loadConfig({ cwd: dir, env: {} })).outDir).toBe('one');
    expect(existsSync(join(dir, CONFIG_CACHE_FILE))).toBe(false);
    writeFileSync(join(dir, 'shared.ts'), `export const out: string = 'two';\n`);
    expect((await loadConfig({ cwd: dir, env: {} })).outDir).toBe('two');
  });

  it('a kept config that throws is still E_CONFIG_LOAD', async () => {
    const dir = project({ 'heygen.config.ts': `if (process.env.HB_TEST_THROW) throw new Error('boom');\nexport default {};\n` });
    await loadConfig({ cwd: dir, env: {} });
    process.env.HB_TEST_THROW = '1';
    try {
      await expect(loadConfig({ cwd: dir, env: {} })).rejects.toMatchObject({ code: 'E_CONFIG_LOAD', message: expect.stringContaining('boom') });
    } finally {
      delete process.env.HB_TEST_THROW;
    }
  });

  it('only code requiring nothing but heygen-build is self-contained', () => {
    expect(selfContained('var _h = require("heygen-build"); exports.default = (0, _h.defineConfig)({});')).toBe(true);
    expect(selfContained('exports.default = {};')).toBe(true);
    expect(selfContained('var _h = require("heygen-build"); var x = require("./x");')).toBe(false);
    expect(selfContained('var x = require("node:fs");')).toBe(false);
    expect(selfContained('const m = import("./x");')).toBe(false);
    expect(selfContained('const u = import.meta.url;')).toBe(false);
  });
});
