import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { HeygenBuildError } from '../errors.js';

/** The variables heygen-build reads. Values from `.env` never override the real environment. */
export const ENV_KEYS = ['HEYGEN_API_KEY', 'HEYGEN_API_BASE_URL', 'HEYGEN_UPLOAD_BASE_URL', 'HEYGEN_WEBHOOK_URL', 'HEYGEN_WEBHOOK_SECRET'] as const;
/** The name of one environment variable heygen-build reads. */
export type EnvKey = (typeof ENV_KEYS)[number];

/** Where `readEnvSources` says a value came from when the process environment set it (else: the `.env` file's path). */
export const FROM_ENVIRONMENT = 'the environment';

/** The variables heygen-build reads, and where each value came from: `FROM_ENVIRONMENT` or the `.env` file's absolute path. */
export interface EnvRead {
  values: Partial<Record<EnvKey, string>>;
  from: Partial<Record<EnvKey, string>>;
}

/** The variables heygen-build reads, trimmed: the real environment first, then the project's `.env`. */
export function readEnv(root: string, env: NodeJS.ProcessEnv = process.env): Partial<Record<EnvKey, string>> {
  return readEnvSources(root, env).values;
}

/**
 * As `readEnv`, also saying where each value came from, so an error about one names the place to fix
 * it. A variable set in the environment wins over `.env`, even when empty (it then reads as unset).
 */
export function readEnvSources(root: string, env: NodeJS.ProcessEnv = process.env): EnvRead {
  const file = join(root, '.env');
  let fromFile: Record<string, string | undefined> = {};
  try {
    fromFile = parseEnv(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const out: EnvRead = { values: {}, from: {} };
  for (const k of ENV_KEYS) {
    const v = env[k] ?? fromFile[k];
    if (v === undefined || v.trim() === '') continue;
    out.values[k] = v.trim();
    out.from[k] = env[k] !== undefined ? FROM_ENVIRONMENT : file;
  }
  if (out.values.HEYGEN_API_KEY !== undefined) checkApiKey(out.values.HEYGEN_API_KEY, out.from.HEYGEN_API_KEY!);
  return out;
}

/**
 * E_CONFIG for a variable's value (`problem`: what is wrong, `fix`: what to do), saying where it came
 * from and where to change it: never the config file's generic hint, since the config is not at fault.
 */
export function envConfigError(name: EnvKey, from: string, problem: string, fix: string): HeygenBuildError {
  const where = from === FROM_ENVIRONMENT ? 'where the environment sets it (a shell profile, an export, the CI job\'s env: it wins over .env)' : `in ${from}`;
  return new HeygenBuildError('E_CONFIG', `${name} from ${from} ${problem}`, { hint: `change ${name} ${where}: ${fix}` });
}

/**
 * An API key is printable ASCII without spaces. Anything else (a pasted line break, a tab, a
 * smart quote) cannot go into an HTTP header: every request would fail as a network error and be
 * retried until "HeyGen unavailable". Say so at start instead, without printing the key.
 */
function checkApiKey(key: string, from: string): void {
  const at = [...key].findIndex((ch) => !/^[\x21-\x7e]$/.test(ch));
  if (at < 0) return;
  const ch = [...key][at] as string;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const what = /\s/.test(ch) ? 'whitespace' : /[\x00-\x1f\x7f]/.test(ch) ? 'a control character' : 'a non-ASCII character';
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  throw new HeygenBuildError('E_CONFIG_API_KEY', `HEYGEN_API_KEY from ${from} contains ${what} (${code}) at character ${at + 1}`, {
    hint: `set HEYGEN_API_KEY again${from === FROM_ENVIRONMENT ? '' : ` in ${from}`}, copying only the key (find it at app.heygen.com > Settings > API)`,
  });
}
