/** Runs the CLI in-process (`main(argv)`), capturing what it writes, with a clean HeyGen environment. */
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * No key, URL or CI from the developer's shell: each test sets what it needs in `env`
 * (undefined removes a variable).
 */
export function stubEnv(env: Record<string, string | undefined> = {}): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('HEYGEN_')) vi.stubEnv(k, undefined);
  for (const k of ['CI', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR']) vi.stubEnv(k, undefined);
  vi.stubEnv('NO_COLOR', '1');
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
}

/** `onStdout` sees each chunk as it is written (to act mid-build, as a user pressing Ctrl-C would). */
export async function cli(args: string[], env: Record<string, string | undefined> = {}, onStdout?: (chunk: string) => void): Promise<InProcessResult> {
  stubEnv(env);
  let stdout = '';
  let stderr = '';
  const capture = (sink: 'out' | 'err') => (chunk: string | Uint8Array): boolean => {
    if (sink === 'out') {
      stdout += String(chunk);
      onStdout?.(String(chunk));
    }
    else stderr += String(chunk);
    return true;
  };
  // `as never`: write() has overloads (callbacks, encodings) the CLI never uses.
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture('out'));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture('err'));
  try {
    const code = await main(['node', 'heygen-build', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}

/** Every line of NDJSON output, parsed (throws on a line that is not JSON). */
export function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
