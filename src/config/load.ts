/**
 * Finds and loads `heygen.config.ts` (or .mts/.js/.mjs), then merges CLI flags > environment > config >
 * defaults into a ResolvedConfig.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HeygenBuildError } from '../errors.js';
import { canonicalJson, sha256Hex } from '../hash/canonical.js';
import type { HeygenBuildConfig, ProviderName, ResolvedConfig } from '../model/config.js';
import * as D from './defaults.js';
import { envConfigError, readEnvSources, type EnvRead } from './env.js';
import { baseUrlProblem, isHttpUrl } from './base-url.js';
import { evaluateTranspiled, readTranspiled, writeTranspiled } from './ts-cache.js';
import { validateConfig } from './validate.js';
import { findConfigFile } from './find.js';
import { displayUrl } from '../util/url-secrets.js';

/** Settings given on the command line; they win over everything else. */
export interface ConfigOverrides {
  provider?: ProviderName;
  concurrency?: number;
  maxCredits?: number;
  api?: 'v3' | 'v2';
}

/** Where to load the config from, command-line overrides, and the environment to read the API key from. */
export interface LoadConfigOptions {
  cwd?: string;
  /** `--config PATH`; otherwise the first of CONFIG_FILES found in cwd, or in the nearest folder above it (findConfigFile). */
  configFile?: string;
  overrides?: ConfigOverrides;
  env?: NodeJS.ProcessEnv;
}

/**
 * The module `heygen-build` stands for in a TypeScript config. jiti loads whatever it imports through
 * its own transform, and the whole library is ~150 ms of CPU at every start: a config that takes only
 * `defineConfig` (and types) from it gets the module that defines it. Anything else gets the library.
 */
export function selfEntry(source: string): string {
  const FULL = '../index.js';
  // Every place the module is named, as a string: imports, requires, re-exports.
  const uses = [...source.matchAll(/(['"`])heygen-build(?:\/[^'"`]*)?\1/g)].length;
  const imports = [...source.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*(['"])heygen-build\3/g)];
  if (uses === 0 || imports.length !== uses) return FULL;
  for (const [, typeOnly, names] of imports) {
    if (typeOnly) continue;
    const list = (names ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (!list.every((n) => n === 'defineConfig' || /^type\s+[\w$]+$/.test(n))) return FULL;
  }
  return './define.js';
}

async function importConfig(file: string, shown = file): Promise<unknown> {
  try {
    if (/\.[mc]?ts$/.test(file)) {
      const source = await readFile(file, 'utf8');
      const kept = readTranspiled(file, source);
      if (kept !== undefined) return evaluateTranspiled(kept, file);
      // jiti transpiles TypeScript on Node 20, which cannot strip types itself, and caches the result.
      const { createJiti } = await import('jiti');
      // `import { defineConfig } from 'heygen-build'` resolves to this copy of the tool, even where
      // the project has not installed it (npx, a global install).
      const entry = selfEntry(source);
      const self = fileURLToPath(new URL(entry, import.meta.url));
      const jiti = createJiti(import.meta.url, { moduleCache: false, alias: { 'heygen-build': self } });
      const config = await jiti.import(file, { default: true });
      // Only a config that needs `defineConfig` at most can run without jiti next time (see ts-cache.ts).
      if (entry === './define.js' || !source.includes('heygen-build')) {
        await writeTranspiled(file, source, jiti.transform({ source, filename: file, ts: true }));
      }
      return config;
    }
    const mod = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { default?: unknown };
    return mod.default ?? mod;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // jiti ends a syntax error with its place on a line of its own ("ParseError: Unexpected token  \n /abs/heygen.config.ts:9:2"):
    // said as file:line:col first, the way every other error places itself.
    const at = /^([\s\S]*?)\s*\n\s*(\S+):(\d+):(\d+)\s*$/.exec(msg);
    const placed = at && resolve(at[2]!) === resolve(file);
    const what = placed ? `${shown}:${at[3]}:${at[4]}: ${at[1]}` : `${shown}: ${msg}`;
    // The place as fields too (`--json`'s file/line/column, a `github` annotation on the line).
    const location = placed ? { file: shown, line: Number(at[3]), column: Number(at[4]) } : undefined;
    throw new HeygenBuildError('E_CONFIG_LOAD', `could not load ${what}`, {
      hint: `fix ${placed ? `the syntax at ${shown}:${at[3]}:${at[4]} or just before it (a missing comma, bracket or quote)` : `${shown} as the message says`}; the config must \`export default defineConfig({...})\``,
      ...(location ? { location } : {}),
      cause: e,
    });
  }
}

/** The config's text, to place a problem at its line; undefined when it cannot be read (the setting's path still names it). */
function readConfigText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Loads, validates and defaults the config into absolute-path form; throws coded errors naming what to fix. */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const isDir = statSync(cwd, { throwIfNoEntry: false })?.isDirectory();
  if (isDir !== true) {
    // A file there (-C file) would otherwise fail later as an internal error (ENOTDIR on its .env).
    throw new HeygenBuildError('E_PATH_NOT_FOUND', isDir === false ? `not a folder: ${opts.cwd ?? cwd}` : `no such folder: ${opts.cwd ?? cwd}`, { hint: 'check the --cwd path' });
  }
  let configFile: string | undefined;
  if (opts.configFile) {
    configFile = isAbsolute(opts.configFile) ? opts.configFile : resolve(cwd, opts.configFile);
    if (!existsSync(configFile)) {
      throw new HeygenBuildError('E_CONFIG_MISSING', `config file not found: ${opts.configFile}`, {
        hint: 'check the --config path, or leave it out to use heygen.config.ts in the current folder',
      });
    }
  } else {
    configFile = findConfigFile(cwd);
  }
  // Named as the user would type it: relative to the working folder (`heygen.config.ts:7:3: outdir is not a setting`).
  const shown = configFile ? relative(cwd, configFile) || configFile : '';
  const user: HeygenBuildConfig = configFile ? validateConfig(await importConfig(configFile, shown), shown, () => readConfigText(configFile)) : {};
  const root = configFile ? dirname(configFile) : cwd;
  return resolveConfig(user, { root, configFile, overrides: opts.overrides, env: opts.env });
}

/**
 * `n` when it is a positive integer (jobs at once); else E_CONFIG. `build()` asks it too when given an opened
 * project. `from`: the flag (`--concurrency`, or `build()`'s `concurrency`), whose hint is its own (the config
 * is not at fault), or `heygen.concurrency` of a config given to `resolveConfig` unvalidated.
 */
export function checkConcurrency(n: number, from: 'flag' | 'config' = 'flag'): number {
  if (Number.isInteger(n) && n >= 1) return n;
  if (from === 'config') throw new HeygenBuildError('E_CONFIG', `heygen.concurrency must be a positive integer (got ${n})`);
  throw new HeygenBuildError('E_CONFIG', `--concurrency must be a positive integer (got ${n})`, {
    hint: `give --concurrency (build()'s \`concurrency\` option) a whole number of jobs at once, 1 or more, or leave it out to use heygen.concurrency from the config (default ${D.DEFAULT_CONCURRENCY})`,
  });
}

/**
 * HEYGEN_API_BASE_URL and HEYGEN_UPLOAD_BASE_URL: a host without its scheme (api.heygen.com) would fail deep
 * in a build, as an internal error; a query, fragment or userinfo would misroute or drop silently (base-url.ts).
 */
function checkEnvBaseUrls({ values, from }: EnvRead): void {
  for (const name of ['HEYGEN_API_BASE_URL', 'HEYGEN_UPLOAD_BASE_URL'] as const) {
    const v = values[name];
    if (v === undefined) continue;
    const problem = baseUrlProblem(v);
    if (problem) throw envConfigError(name, from[name]!, `${problem.why} (got ${JSON.stringify(displayUrl(v))})`, problem.fix);
  }
}

/** HEYGEN_WEBHOOK_URL, else the config's `webhook.url` (validateConfig checks it for a loaded config): an http(s) URL. */
function webhookUrlOf(user: HeygenBuildConfig, { values, from }: EnvRead): string | undefined {
  const url = values.HEYGEN_WEBHOOK_URL ?? user.webhook?.url;
  if (url === undefined || isHttpUrl(url)) return url;
  const why = `must be an http(s) URL (got ${JSON.stringify(displayUrl(url))})`;
  const fix = 'set it to the public URL of `heygen-build webhooks listen`, e.g. https://hooks.example.com/heygen';
  if (values.HEYGEN_WEBHOOK_URL !== undefined) throw envConfigError('HEYGEN_WEBHOOK_URL', from.HEYGEN_WEBHOOK_URL!, why, fix);
  throw new HeygenBuildError('E_CONFIG', `webhook.url ${why}`, { hint: fix });
}

/** Pure merge of a user config with environment, overrides and defaults. */
export function resolveConfig(
  user: HeygenBuildConfig,
  ctx: { root: string; configFile?: string; overrides?: ConfigOverrides; env?: NodeJS.ProcessEnv },
): ResolvedConfig {
  const read = readEnvSources(ctx.root, ctx.env);
  const env = read.values;
  const o = ctx.overrides ?? {};
  const manifests = user.manifests === undefined ? D.DEFAULT_MANIFESTS : ([] as string[]).concat(user.manifests);
  const outDir = user.outDir ?? D.DEFAULT_OUT_DIR;
  const defaults = user.defaults ?? {};
  const avatars = user.avatars ?? {};
  const voices = user.voices ?? {};
  const concurrency = o.concurrency !== undefined ? checkConcurrency(o.concurrency) : checkConcurrency(user.heygen?.concurrency ?? D.DEFAULT_CONCURRENCY, 'config');
  const maxCredits = o.maxCredits ?? user.budget?.maxCredits;
  const webhookUrl = webhookUrlOf(user, read);
  checkEnvBaseUrls(read);
  return {
    root: ctx.root,
    configFile: ctx.configFile,
    manifests,
    outDir,
    lockfile: user.lockfile ?? D.DEFAULT_LOCKFILE,
    provider: o.provider ?? user.provider ?? 'auto',
    heygen: {
      api: o.api ?? user.heygen?.api ?? 'v3',
      baseUrl: env.HEYGEN_API_BASE_URL ?? user.heygen?.baseUrl ?? D.DEFAULT_BASE_URL,
      uploadBaseUrl: env.HEYGEN_UPLOAD_BASE_URL ?? user.heygen?.uploadBaseUrl ?? D.DEFAULT_UPLOAD_BASE_URL,
      concurrency,
      poll: { ...D.DEFAULT_POLL, ...user.heygen?.poll },
      apiKey: env.HEYGEN_API_KEY,
    },
    defaults,
    avatars,
    voices,
    textStyles: user.textStyles ?? {},
    budget: maxCredits === undefined ? {} : { maxCredits },
    ...(webhookUrl !== undefined ? { webhook: { url: webhookUrl } } : {}),
    ...(user.exports ? { exports: user.exports } : {}),
    review: { srt: user.review?.srt ?? D.DEFAULT_REVIEW_SRT },
    ...(user.remote ? { remote: user.remote } : {}),
    // Everything that changes how a manifest resolves; the manifest cache is only valid under the same one.
    fingerprint: sha256Hex(canonicalJson({ defaults, avatars, voices, outDir, manifests, textStyles: user.textStyles, review: user.review?.srt })),
  };
}
