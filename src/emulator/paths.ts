/**
 * Where the emulator's data files live. tsc does not copy non-TS files, so from
 * `dist/emulator/*.js` we read them out of `src/emulator/` (two levels up, then down);
 * from the TS sources (vitest) the same relative path lands on the same folder.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The absolute path of one of the emulator's data files, from the built dist/ or from the sources alike. */
export function dataFile(folder: 'assets' | 'schemas', name: string): string {
  const candidates = [
    new URL(`./${folder}/${name}`, import.meta.url),
    new URL(`../../src/emulator/${folder}/${name}`, import.meta.url),
  ];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`heygen emulator: data file ${folder}/${name} not found next to ${import.meta.url}`);
}
