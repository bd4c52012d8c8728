import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** The variables heygen-build reads. Values from `.env` never override the real environment. */
export const ENV_KEYS = ['HEYGEN_API_KEY', 'HEYGEN_API_BASE_URL', 'HEYGEN_UPLOAD_BASE_URL'] as const;
export type EnvKey = (typeof ENV_KEYS)[number];

export function readEnv(root: string, env: NodeJS.ProcessEnv = process.env): Partial<Record<EnvKey, string>> {
  let fromFile: Record<string, string | undefined> = {};
  try {
    fromFile = parseEnv(readFileSync(join(root, '.env'), 'utf8')) as Record<string, string | undefined>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const out: Partial<Record<EnvKey, string>> = {};
  for (const k of ENV_KEYS) {
    const v = env[k] ?? fromFile[k];
    if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}
