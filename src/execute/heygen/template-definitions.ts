/**
 * Template definitions for the plan: `GET /v3/templates/{id}` is free, so with an API key every plan
 * and build asks HeyGen (the definition's digest decides whether a video is rendered again, so a stale
 * copy would be wrong, not just slow), and keeps a copy in `.heygen/templates/`. Without a key (a
 * pull-request job, drafts) the copy is used, of any age, or nothing.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../fsx/atomic.js';
import { definitionDigest } from '../../hash/template.js';
import type { ResolvedConfig } from '../../model/config.js';
import type { VideoSpec } from '../../model/spec.js';
import type { TemplateDefinition, TemplateSceneDefinition } from '../../model/template.js';
import type { HeygenClient } from '../../providers/heygen/index.js';
import type { StateMode } from '../provider.js';

/** Definitions by template id; `null`: HeyGen has no such template (404). Absent: unknown. */
export type TemplateDefinitions = Map<string, TemplateDefinition | null>;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Where a definition is cached: one file per template, its id made safe as a file name. */
export function templateCachePath(root: string, id: string): string {
  return join(root, '.heygen', 'templates', `${encodeURIComponent(id)}.json`);
}

/** Reads HeyGen's answer (the `data` of TemplateGet) into a definition. */
export function parseDefinition(id: string, raw: unknown, origin: TemplateDefinition['origin']): TemplateDefinition {
  const d = obj(raw);
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(obj(d.variables))) variables[name] = str(obj(value).type) ?? 'text';
  const scenes: TemplateSceneDefinition[] = (Array.isArray(d.scenes) ? d.scenes : []).map((s) => {
    const scene = obj(s);
    const used = Array.isArray(scene.variables) ? scene.variables.map((v) => str(obj(v).name)).filter((n): n is string => n !== undefined) : [];
    const script = str(scene.script);
    return { id: str(scene.scene_id) ?? '', ...(script !== undefined ? { script } : {}), variables: used };
  });
  const aspectRatio = str(d.aspect_ratio);
  return {
    id: str(d.id) ?? id,
    name: str(d.name) ?? id,
    ...(aspectRatio !== undefined ? { aspectRatio } : {}),
    variables,
    scenes,
    digest: definitionDigest(d),
    origin,
  };
}

async function cached(root: string, id: string): Promise<TemplateDefinition | undefined> {
  try {
    const file = obj(JSON.parse(await readFile(templateCachePath(root, id), 'utf8')));
    return file.data === undefined ? undefined : parseDefinition(id, file.data, 'cached');
  } catch {
    return undefined; // no copy (or a damaged one): unknown
  }
}

async function remember(root: string, id: string, data: unknown): Promise<void> {
  try {
    await mkdir(join(root, '.heygen', 'templates'), { recursive: true });
    await writeFileAtomic(templateCachePath(root, id), JSON.stringify({ fetchedAt: new Date().toISOString(), data }));
  } catch {
    // A copy we cannot write (read-only checkout) only matters to a later run without a key.
  }
}

/**
 * The definitions of every template the specs use. A build must have them (its key depends on them)
 * and fails if HeyGen cannot be asked; a plan falls back to the cached copy.
 */
export async function templateDefinitions(
  config: ResolvedConfig,
  specs: readonly VideoSpec[],
  mode: StateMode,
  client: HeygenClient | undefined,
): Promise<TemplateDefinitions> {
  const ids = [...new Set(specs.flatMap((s) => (s.template ? [s.template.id] : [])))];
  const out: TemplateDefinitions = new Map();
  await Promise.all(
    ids.map(async (id) => {
      if (client?.getTemplate) {
        try {
          const data = await client.getTemplate(id);
          out.set(id, data === undefined ? null : parseDefinition(id, data, 'fetched'));
          if (data !== undefined) await remember(config.root, id, data);
          return;
        } catch (e) {
          if (mode === 'build') throw e;
          // plan: offline or refused; the cached copy (if any) still says what the last run saw.
        }
      }
      const copy = await cached(config.root, id);
      if (copy) out.set(id, copy);
    }),
  );
  return out;
}

/** The known definitions only (what the planner keys on). */
export function knownDefinitions(defs: TemplateDefinitions): Map<string, TemplateDefinition> {
  const known = new Map<string, TemplateDefinition>();
  for (const [id, d] of defs) if (d) known.set(id, d);
  return known;
}
