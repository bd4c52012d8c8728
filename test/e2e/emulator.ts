/** Starts the HeyGen emulator for a test and gives the env that points the CLI at it. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

export const API_KEY = 'test-key-e2e-5f1c9a';

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

export async function emulator(opts: EmulatorOptions = {}): Promise<{ emu: Emulator; env: Record<string, string> }> {
  const emu = await startEmulator({ renderMs: 200, translateMs: 200, apiKey: API_KEY, ...opts });
  running.push(emu);
  return {
    emu,
    env: { HEYGEN_API_KEY: API_KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url },
  };
}

export function posts(emu: Emulator, path?: RegExp): number {
  return emu.requests.filter((r) => r.method === 'POST' && (!path || path.test(r.path))).length;
}

/** The env that points the CLI at `emu` with `apiKey`. */
export function envFor(emu: Emulator, apiKey: string): Record<string, string> {
  return { HEYGEN_API_KEY: apiKey, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url };
}

/**
 * One emulator for a whole test file, started before its first test and stopped after its last (one
 * per file keeps the suite fast): `set` receives it and the env that points the CLI at it.
 */
export function sharedEmulator(opts: EmulatorOptions & { apiKey: string }, set: (emu: Emulator, env: Record<string, string>) => void): void {
  let emu: Emulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator(opts);
    set(emu, envFor(emu, opts.apiKey));
  });
  afterAll(() => emu?.stop());
}
