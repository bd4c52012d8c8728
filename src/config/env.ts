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
  const fromFile = readEnvFile(file);
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

/** The `.env` file's variables: none when there is no such file; E_CONFIG naming it when it is there but cannot be read. */
function readEnvFile(file: string): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    throw unreadableEnv(file, code, e);
  }
  return parseEnv(text);
}

/** Why `file` (a `.env` that exists) could not be read, and what to do: never "fix heygen.config.ts". */
function unreadableEnv(file: string, code: string | undefined, cause: unknown): HeygenBuildError {
  const instead = 'or remove it and set the HEYGEN_* variables in the environment instead';
  if (code === 'EISDIR') {
    return new HeygenBuildError('E_CONFIG', `${file} is a folder: heygen-build reads HEYGEN_* variables from a .env file there`, {
      cause,
      hint: `rename or remove the folder, then write .env as a file of NAME=value lines (HEYGEN_API_KEY=…), ${instead}`,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new HeygenBuildError('E_CONFIG', `${file} cannot be read: permission denied`, {
      cause,
      hint: `let the user running heygen-build read it (\`chmod u+r ${file}\`, or \`chown\` it to that user), ${instead}`,
    });
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new HeygenBuildError('E_CONFIG', `${file} cannot be read: ${reason}`, { cause, hint: `check that ${file} is a readable file of NAME=value lines, ${instead}` });
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
  // `.env`'s HEYGEN_API_KEY="sk_… with no closing quote is read with the quote (node's parseEnv): a key
  // never starts or ends with one, and without this check the first request would be a 401.
  const quote = /^["'`]/.test(key) ? 'starts' : /["'`]$/.test(key) ? 'ends' : undefined;
  if (quote) {
    const there = from === FROM_ENVIRONMENT ? '' : ` in ${from}`;
    throw new HeygenBuildError('E_CONFIG_API_KEY', `HEYGEN_API_KEY from ${from} ${quote} with a quote (${quote === 'starts' ? key[0] : key[key.length - 1]}) that nothing closes`, {
      hint: `write it${there} as HEYGEN_API_KEY=<key> or with a quote on both sides (HEYGEN_API_KEY="<key>"), copying only the key`,
    });
  }
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
