import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverManifests, loadConfig, manifestsRoot, resolveConfig } from '../../src/config/index.js';
import { selfEntry } from '../../src/config/load.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-config-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

describe('config', () => {
  it('uses the documented defaults when there is no config file', async () => {
    const dir = project({});
    const c = await loadConfig({ cwd: dir, env: {} });
    expect(c.root).toBe(dir);
    expect(c.configFile).toBeUndefined();
    expect(c.manifests).toEqual(['videos/**/*.{yaml,yml}']);
    expect(c.outDir).toBe('out');
    expect(c.lockfile).toBe('heygen.lock.yaml');
    expect(c.provider).toBe('auto');
    expect(c.heygen).toMatchObject({ api: 'v3', baseUrl: 'https://api.heygen.com', concurrency: 10 });
    expect(c.heygen.apiKey).toBeUndefined();
  });

  it('loads heygen.config.ts with TypeScript syntax and defineConfig', async () => {
    const dir = project({
      'heygen.config.ts': `
        interface Extra { n: number }
        const extra: Extra = { n: 4 };
        export default { manifests: 'clips/*.yaml', outDir: 'dist', heygen: { concurrency: extra.n, api: 'v2' as const } };
      `,
    });
    const c = await loadConfig({ cwd: dir, env: {} });
    expect(c.configFile).toBe(join(dir, 'heygen.config.ts'));
    expect(c.manifests).toEqual(['clips/*.yaml']);
    expect(c.outDir).toBe('dist');
    expect(c.heygen.concurrency).toBe(4);
    expect(c.heygen.api).toBe('v2');
  });

  it('loads .mjs configs and --config paths', async () => {
    const dir = project({ 'conf/my.mjs': `export default { outDir: 'rendered' };` });
    const c = await loadConfig({ cwd: dir, configFile: 'conf/my.mjs', env: {} });
    expect(c.outDir).toBe('rendered');
    await expect(loadConfig({ cwd: dir, configFile: 'nope.ts', env: {} })).rejects.toMatchObject({ code: 'E_CONFIG_MISSING' });
  });

  it('run from a folder inside the project, finds the config above it: that folder is the project root', async () => {
    const dir = project({ 'heygen.config.mjs': `export default { outDir: 'rendered' };`, 'videos/deep/a.yaml': 'scenes: []\n' });
    for (const sub of ['videos', 'videos/deep']) {
      const c = await loadConfig({ cwd: join(dir, sub), env: {} });
      expect(c.configFile).toBe(join(dir, 'heygen.config.mjs'));
      expect(c.root).toBe(dir);
      expect(c.outDir).toBe('rendered');
    }
  });

  it('the search upward stops at the repository root (.git): a config outside the repository is not used', async () => {
    const dir = project({ 'heygen.config.mjs': `export default { outDir: 'rendered' };`, 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/videos/a.yaml': 'scenes: []\n' });
    const c = await loadConfig({ cwd: join(dir, 'repo/videos'), env: {} });
    expect(c.configFile).toBeUndefined();
    expect(c.root).toBe(join(dir, 'repo/videos'));
  });

  it('CLI flags beat the environment, which beats the config, which beats defaults', async () => {
    const dir = project({
      'heygen.config.mjs': `export default { provider: 'local', heygen: { baseUrl: 'http://from-config', concurrency: 3 } };`,
      '.env': 'HEYGEN_API_KEY=from-dotenv\nHEYGEN_API_BASE_URL=http://from-dotenv\n',
    });
    const c1 = await loadConfig({ cwd: dir, env: {} });
    expect(c1.provider).toBe('local');
    expect(c1.heygen.baseUrl).toBe('http://from-dotenv');
    expect(c1.heygen.apiKey).toBe('from-dotenv');
    const c2 = await loadConfig({
      cwd: dir,
      env: { HEYGEN_API_KEY: 'real-env', HEYGEN_API_BASE_URL: 'http://from-env' },
      overrides: { provider: 'heygen', concurrency: 7 },
    });
    expect(c2.heygen.apiKey).toBe('real-env');
    expect(c2.heygen.baseUrl).toBe('http://from-env');
    expect(c2.provider).toBe('heygen');
    expect(c2.heygen.concurrency).toBe(7);
  });

  it('an API key with a control character, inner whitespace or an unclosed quote is E_CONFIG_API_KEY at load, naming where it came from but never the key', async () => {
    const secret = 'sk-abc123';
    const fromEnv = await loadConfig({ cwd: project({}), env: { HEYGEN_API_KEY: `${secret}\u0008xyz` } }).catch((e: unknown) => e);
    expect(fromEnv).toMatchObject({ code: 'E_CONFIG_API_KEY', message: expect.stringMatching(/HEYGEN_API_KEY from the environment contains a control character \(U\+0008\) at character 10/) });
    const dotenv = project({ '.env': `HEYGEN_API_KEY="${secret} xyz"\n` });
    const fromFile = await loadConfig({ cwd: dotenv, env: {} }).catch((e: unknown) => e);
    expect(fromFile).toMatchObject({ code: 'E_CONFIG_API_KEY', message: expect.stringMatching(/HEYGEN_API_KEY from .*\.env contains whitespace/) });
    for (const e of [fromEnv, fromFile]) expect(JSON.stringify({ m: (e as Error).message, h: (e as { hint?: string }).hint })).not.toContain(secret);
    // A quote .env opens and never closes is read with the key (node's parseEnv): refused at load, not a 401 later.
    const unclosed = project({ '.env': `HEYGEN_API_KEY="${secret}\nHEYGEN_API_BASE_URL=http://localhost:1\n` });
    const quoted = await loadConfig({ cwd: unclosed, env: {} }).catch((e: unknown) => e);
    expect(quoted).toMatchObject({ code: 'E_CONFIG_API_KEY', message: expect.stringMatching(/HEYGEN_API_KEY from .*\.env starts with a quote \("\) that nothing closes/) });
    expect(JSON.stringify({ m: (quoted as Error).message, h: (quoted as { hint?: string }).hint })).not.toContain(secret);
    // Quoted on both sides, it is the key.
    expect((await loadConfig({ cwd: project({ '.env': `HEYGEN_API_KEY="${secret}"\n` }), env: {} })).heygen.apiKey).toBe(secret);
    // Surrounding whitespace (a trailing newline or CR) is trimmed, not an error.
    expect((await loadConfig({ cwd: project({}), env: { HEYGEN_API_KEY: ` ${secret}\r\n` } })).heygen.apiKey).toBe(secret);
  });

  it('a bad variable is E_CONFIG saying whether it came from .env (which one) or the environment, with a hint to change it there, never "fix heygen.config.ts"', async () => {
    const dir = project({ 'heygen.config.mjs': 'export default {};\n', '.env': 'HEYGEN_API_BASE_URL=api.heygen.com\nHEYGEN_UPLOAD_BASE_URL=https://up.example/?t=1\nHEYGEN_WEBHOOK_URL=hooks.example.com\n' });
    const dotenv = join(dir, '.env');
    const fail = (env: NodeJS.ProcessEnv): Promise<{ code: string; message: string; hint?: string }> =>
      loadConfig({ cwd: dir, env }).then(
        () => ({ code: 'none', message: '' }),
        (e: unknown) => e as { code: string; message: string; hint?: string },
      );
    const ok = { HEYGEN_API_BASE_URL: 'http://127.0.0.1:4010', HEYGEN_UPLOAD_BASE_URL: 'http://127.0.0.1:4010', HEYGEN_WEBHOOK_URL: 'https://hooks.example.com/h' };
    const cases = [
      { env: { ...ok, HEYGEN_API_BASE_URL: undefined }, name: 'HEYGEN_API_BASE_URL', from: dotenv },
      { env: { ...ok, HEYGEN_UPLOAD_BASE_URL: undefined }, name: 'HEYGEN_UPLOAD_BASE_URL', from: dotenv },
      { env: { ...ok, HEYGEN_WEBHOOK_URL: undefined }, name: 'HEYGEN_WEBHOOK_URL', from: dotenv },
      // The environment wins over .env, so a bad value there is the one to change.
      { env: { ...ok, HEYGEN_API_BASE_URL: 'gw.example' }, name: 'HEYGEN_API_BASE_URL', from: 'the environment' },
      { env: { ...ok, HEYGEN_WEBHOOK_URL: 'ftp://x' }, name: 'HEYGEN_WEBHOOK_URL', from: 'the environment' },
    ];
    for (const c of cases) {
      const e = await fail(c.env);
      expect(e.code, c.name).toBe('E_CONFIG');
      expect(e.message).toMatch(new RegExp(`^${c.name} from ${c.from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} must be`));
      expect(e.hint).toMatch(c.from === dotenv ? `change ${c.name} in ${dotenv}: ` : `change ${c.name} where the environment sets it (`);
      expect(e.hint).not.toContain('heygen.config');
    }
  });

  const loadError = (cwd: string): Promise<{ code: string; message: string; hint?: string }> =>
    loadConfig({ cwd, env: {} }).then(
      () => ({ code: 'none', message: '' }),
      (x: unknown) => x as { code: string; message: string; hint?: string },
    );

  it('a .env that is there but cannot be read is E_CONFIG naming it and the fix, not an internal error', async () => {
    const folder = project({ '.env/keep': '' });
    const e = await loadError(folder);
    expect(e).toMatchObject({ code: 'E_CONFIG', message: `${join(folder, '.env')} is a folder: heygen-build reads HEYGEN_* variables from a .env file there` });
    expect(e.hint).toMatch(/^rename or remove the folder, then write \.env as a file of NAME=value lines/);
    expect(e.hint).not.toContain('heygen.config');
  });

  // root reads any file whatever its mode: there is nothing to deny.
  it.skipIf(process.getuid?.() === 0)('a .env without read permission is E_CONFIG naming it and the chmod', async () => {
    const dir = project({ '.env': 'HEYGEN_API_KEY=k\n' });
    chmodSync(join(dir, '.env'), 0o000);
    const e = await loadError(dir);
    expect(e).toMatchObject({ code: 'E_CONFIG', message: `${join(dir, '.env')} cannot be read: permission denied` });
    expect(e.hint).toContain(`chmod u+r ${join(dir, '.env')}`);
  });

  it('rejects unknown and mistyped settings with a did-you-mean, naming the file', async () => {
    const dir = project({ 'heygen.config.mjs': `export default { outdir: 'x', provider: 'heygenn', heygen: { concurency: 2 } };` });
    const err = await loadConfig({ cwd: dir, env: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_CONFIG' });
    const msg = (err as Error).message;
    expect(msg).toContain('heygen.config.mjs');
    expect(msg).toContain('outdir is not a setting (did you mean "outDir"?)');
    expect(msg).toContain('did you mean "heygen"');
    expect(msg).toContain('heygen.concurency is not a setting (did you mean "concurrency"?)');
  });

  it('places each mistyped setting at its line in the config, named as the user would type it', async () => {
    const text = "import { defineConfig } from 'heygen-build';\n\nexport default defineConfig({\n  outdir: 'x',\n  heygen: { api: 'v3', concurency: 2 },\n});\n";
    const dir = project({ 'heygen.config.ts': text });
    const msg = ((await loadError(dir)) as { message: string }).message;
    expect(msg.split('\n')).toEqual([
      'heygen.config.ts: invalid config:',
      '  - heygen.config.ts:4:3: outdir is not a setting (did you mean "outDir"?)',
      '  - heygen.config.ts:5:24: heygen.concurency is not a setting (did you mean "concurrency"?)',
    ]);
    // From a folder below, the path leads to the same file.
    mkdirSync(join(dir, 'videos'));
    expect((await loadError(join(dir, 'videos'))).message).toContain('  - ../heygen.config.ts:4:3: outdir is not a setting');
  });

  it('a syntax error in a TypeScript config is placed at file:line:col', async () => {
    const dir = project({ 'heygen.config.ts': "export default {\n  outDir: 'out'\n  lockfile: 'x.yaml',\n};\n" });
    const e = await loadError(dir);
    expect(e.code).toBe('E_CONFIG_LOAD');
    expect(e.message).toMatch(/^could not load heygen\.config\.ts:3:2: ParseError: Unexpected token, expected ","$/);
  });

  it('reports a config that throws as a coded error, not a crash', async () => {
    const dir = project({ 'heygen.config.ts': `throw new Error('boom'); export default {};` });
    await expect(loadConfig({ cwd: dir, env: {} })).rejects.toMatchObject({ code: 'E_CONFIG_LOAD' });
  });

  it('the fingerprint changes with defaults and aliases, not with the concurrency', () => {
    const base = resolveConfig({ voices: { a: 'v1' } }, { root: '/p', env: {} });
    expect(resolveConfig({ voices: { a: 'v1' }, heygen: { concurrency: 2 } }, { root: '/p', env: {} }).fingerprint).toBe(base.fingerprint);
    expect(resolveConfig({ voices: { a: 'v2' } }, { root: '/p', env: {} }).fingerprint).not.toBe(base.fingerprint);
    expect(resolveConfig({ voices: { a: 'v1' }, defaults: { caption: true } }, { root: '/p', env: {} }).fingerprint).not.toBe(base.fingerprint);
  });
});

describe('discovery', () => {
  it('finds manifests by the config globs, and command-line paths replace them', async () => {
    const dir = project({
      'videos/a.yaml': '',
      'videos/sub/b.yml': '',
      'videos/notes.txt': '',
      'other/c.yaml': '',
      'out/ignored.yaml': '',
      'videos/heygen.lock.yaml': '',
    });
    const c = resolveConfig({ lockfile: 'videos/heygen.lock.yaml', manifests: ['videos/**/*.{yaml,yml}'] }, { root: dir, env: {} });
    expect(manifestsRoot(c)).toBe('videos');
    const all = await discoverManifests(c, [], dir);
    expect(all.map((f) => f.slice(dir.length + 1))).toEqual(['videos/a.yaml', 'videos/sub/b.yml']);
    const some = await discoverManifests(c, ['other', 'videos/a.yaml'], dir);
    expect(some.map((f) => f.slice(dir.length + 1))).toEqual(['other/c.yaml', 'videos/a.yaml']);
    await expect(discoverManifests(c, ['missing.yaml'], dir)).rejects.toMatchObject({ code: 'E_PATH_NOT_FOUND', message: 'no such file or folder: missing.yaml' });
    // A typo of a name that is there is named with what it probably meant.
    await expect(discoverManifests(c, ['videos/a.yml'], dir)).rejects.toMatchObject({ message: 'no such file or folder: videos/a.yml; did you mean "videos/a.yaml"?' });
    await expect(discoverManifests(c, ['video'], dir)).rejects.toMatchObject({ message: 'no such file or folder: video; did you mean "videos"?' });
    // Outside the project: refused, not walked (`..` would read every project beside this one).
    for (const outside of ['..', '../other/videos', '/etc/hostname']) {
      await expect(discoverManifests(c, [outside], dir)).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE', message: expect.stringContaining(`${outside} is outside the project`) as string });
    }
  });
});

describe('config: alias tables and paths', () => {
  it('names unknown keys and bad values inside alias tables', async () => {
    const dir = project({
      'heygen.config.mjs': `export default { avatars: { presenter: { id: 'x', voise: 'narrator', style: 'close' } }, voices: { narrator: { id: 'v', sped: 1.2, speed: 3 } } };`,
    });
    const err = (await loadConfig({ cwd: dir, env: {} }).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('avatars.presenter.voise is not a setting (did you mean "voice"?)');
    expect(err.message).toContain('avatars.presenter.style must be normal, closeUp or circle');
    expect(err.message).toContain('voices.narrator.sped is not a setting (did you mean "speed"?)');
    expect(err.message).toContain('voices.narrator.speed must be a number from 0.5 to 1.5');
  });

  it('a --cwd that does not exist is an error, not a new folder', async () => {
    await expect(loadConfig({ cwd: join(tmpdir(), 'hb-does-not-exist-xyz'), env: {} })).rejects.toMatchObject({ code: 'E_PATH_NOT_FOUND' });
  });
});

describe('config: importing the package', () => {
  it("resolves `from 'heygen-build'` to this copy even where the project has not installed it", async () => {
    const dir = project({
      'heygen.config.ts': `import { defineConfig } from 'heygen-build';\nexport default defineConfig({ outDir: 'rendered' });\n`,
    });
    const c = await loadConfig({ cwd: dir, env: {} });
    expect(c.outDir).toBe('rendered');
  });

  it('a config that takes more than defineConfig from the package gets the whole library', async () => {
    const dir = project({
      'heygen.config.ts': `import { defineConfig, PLAN_ENGINE } from 'heygen-build';\nexport default defineConfig({ outDir: \`out-\${typeof PLAN_ENGINE}\` });\n`,
    });
    expect((await loadConfig({ cwd: dir, env: {} })).outDir).toBe('out-string');
  });

  it('only a config that takes just defineConfig (and types) is given the light module', () => {
    const light = './define.js';
    expect(selfEntry(`import { defineConfig } from 'heygen-build';\n// a heygen-build project\n`)).toBe(light);
    expect(selfEntry(`import { defineConfig, type HeygenBuildConfig } from "heygen-build";`)).toBe(light);
    expect(selfEntry(`import type { HeygenBuildConfig } from 'heygen-build';\nimport { defineConfig } from 'heygen-build';`)).toBe(light);
    expect(selfEntry(`import { defineConfig, loadConfig } from 'heygen-build';`)).toBe('../index.js');
    expect(selfEntry(`import { defineConfig as d } from 'heygen-build';`)).toBe('../index.js');
    expect(selfEntry(`import * as hb from 'heygen-build';`)).toBe('../index.js');
    expect(selfEntry(`import { defineConfig } from 'heygen-build';\nconst x = await import('heygen-build');`)).toBe('../index.js');
    expect(selfEntry(`export default {};`)).toBe('../index.js');
  });
});
