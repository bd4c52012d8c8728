/**
 * Pointing a check's findings at file:line:col. The checks are pure and know only a manifest's data
 * path or a config key; this reads the few files named (only when there is something to report) and
 * finds the place: the manifest's own field, else the config's `defaults`, for a value inherited from
 * there; a config key by a search of the config's text (it is TypeScript, not data we parse: src/util/search-keys.ts).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import type { Problem, ProblemPlace } from '../execute/provider.js';
import { diagnosticAt } from '../manifest/diagnostic.js';
import { locate, parseYaml, type Position } from '../manifest/source.js';
import { searchKeys } from '../util/search-keys.js';

type Reader = (file: string) => Promise<string | undefined>;

async function placeOne(place: ProblemPlace, read: Reader, configFile: string | undefined): Promise<{ file: string; pos?: Position; text?: string }> {
  const text = await read(place.file);
  if (text === undefined) return { file: place.file };
  if (place.search) {
    const pos = searchKeys(text, place.search);
    return { file: place.file, text, ...(pos ? { pos } : {}) };
  }
  if (!place.path) return { file: place.file, text };
  const parsed = parseYaml(text);
  const [head] = place.path;
  // A video-level avatar or voice the manifest does not write came from the config's defaults.
  if (place.path.length === 1 && typeof head === 'string' && !parsed.doc.hasIn([head]) && configFile) {
    const config = await read(configFile);
    const pos = config === undefined ? undefined : searchKeys(config, ['defaults', head]);
    if (config !== undefined && pos) return { file: configFile, pos, text: config };
  }
  return { file: place.file, text, pos: locate(parsed, place.path) };
}

function withLocation(detail: string, d: Diagnostic, file: string): string {
  const loc = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}` : file;
  // A detail starts with its file (`videos/a.yaml: scenes[0].avatar: ...`): say the place once.
  return detail.startsWith(`${file}: `) ? `${loc}: ${detail.slice(file.length + 2)}` : `${loc}: ${detail}`;
}

/**
 * Problems with `places` get `diagnostics` (each detail at its file:line:col with a code frame), and
 * their details and message say the place. Others are returned as they are.
 */
export async function placeProblems(problems: Problem[], root: string, configFile?: string): Promise<Problem[]> {
  if (!problems.some((p) => p.places)) return problems;
  const cache = new Map<string, Promise<string | undefined>>();
  const read: Reader = (file) => {
    if (!cache.has(file)) cache.set(file, readFile(resolve(root, file), 'utf8').catch(() => undefined));
    return cache.get(file)!;
  };
  return Promise.all(
    problems.map(async (p) => {
      if (!p.places) return p;
      const diagnostics: Diagnostic[] = [];
      const details: string[] = [];
      for (const [i, detail] of p.details.entries()) {
        const place = p.places[i];
        const at = place ? await placeOne(place, read, configFile) : undefined;
        const message = at ? withoutPlace(detail, place!) : detail;
        const d = diagnosticAt({ code: p.code, message, severity: p.effect === 'warning' ? 'warning' : 'error', ...(p.hint ? { hint: p.hint } : {}) }, at?.file ?? '', at?.pos, at?.text);
        if (!at?.pos) delete d.location;
        diagnostics.push(d);
        details.push(at?.pos ? withLocation(detail, d, place!.file) : detail);
      }
      const title = p.message.split('\n')[0] ?? p.message;
      return { ...p, details, diagnostics, message: `${title}\n  - ${details.join('\n  - ')}` };
    }),
  );
}

/** A detail without its leading `file: ` (the diagnostic's location says it). */
function withoutPlace(detail: string, place: ProblemPlace): string {
  return detail.startsWith(`${place.file}: `) ? detail.slice(place.file.length + 2) : detail;
}
