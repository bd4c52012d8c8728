import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { HeygenBuildError } from '../errors.js';

/** The variables heygen-build reads. Values from `.env` never override the real environment. */
export const ENV_KEYS = ['HEYGEN_API_KEY', 'HEYGEN_API_BASE_URL', 'HEYGEN_UPLOAD_BASE_URL', 'HEYGEN_WEBHOOK_URL', 'HEYGEN_WEBHOOK_SECRET'] as const;
/** The name of one environment variable heygen-build reads. */
export type EnvKey = (typeof ENV_KEYS)[number];

/** The variables heygen-build reads, trimmed: the real environment first, then the project's `.env`. */
export function readEnv(root: string, env: NodeJS.ProcessEnv = process.env): Partial<Record<EnvKey, string>> {
  let fromFile: Record<string, string | undefined> = {};
  try {
    fromFile = parseEnv(readFileSync(join(root, '.env'), 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const out: Partial<Record<EnvKey, string>> = {};
  for (const k of ENV_KEYS) {
    const v = env[k] ?? fromFile[k];
    if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  }
  if (out.HEYGEN_API_KEY !== undefined) checkApiKey(out.HEYGEN_API_KEY, env.HEYGEN_API_KEY !== undefined ? 'the environment' : join(root, '.env'));
  return out;
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
    hint: `set HEYGEN_API_KEY again${from === 'the environment' ? '' : ` in ${from}`}, copying only the key (find it at app.heygen.com > Settings > API)`,
  });
}
