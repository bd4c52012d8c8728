/**
 * Planning a template video: its key holds the template definition's digest, and its length is
 * estimated from the definition's scene scripts with the text variables filled in.
 */
import { contentKey, diffParts, videoParts } from '../hash/index.js';
import { rowReasons } from './row-reasons.js';
import { TEMPLATE_DEFINITION_PART, templateVideoKey } from '../hash/template.js';
import type { LockEntry } from '../model/lock.js';
import type { VideoSpec } from '../model/spec.js';
import type { TemplateDefinition } from '../model/template.js';
import { breakSeconds, round2, speechSeconds } from './estimate.js';

/**
 * A template video whose definition is unknown (no API key, nothing cached) is priced as this many
 * seconds: HeyGen's own template gallery is mostly 15-60 s videos; 30 s is the middle of it.
 */
export const UNKNOWN_TEMPLATE_SECONDS = 30;

/** What the planner needs of a template video: its key, its part digests and how to explain a change. */
export interface TemplatePlanning {
  key: string;
  parts: Record<string, string>;
  /** Why it changed, given its lockfile entry: "template changed" for the definition. */
  changed: (entry: LockEntry) => string[];
  seconds: number;
}

/**
 * The key is the manifest's side plus the definition's digest. With no definition at hand, the digest
 * last recorded in the lockfile stands in for it (the template is assumed unchanged), and with none
 * recorded either the key holds the manifest alone: see README "HeyGen templates".
 */
export function planTemplate(spec: VideoSpec, definition: TemplateDefinition | undefined, entry: LockEntry | undefined): TemplatePlanning {
  const digest = definition?.digest ?? entry?.parts[TEMPLATE_DEFINITION_PART] ?? null;
  const parts = videoParts(spec);
  if (digest !== null) parts[TEMPLATE_DEFINITION_PART] = digest;
  return {
    key: templateVideoKey(contentKey(spec), digest),
    parts,
    changed: (e) => {
      const inHeyGen = e.parts[TEMPLATE_DEFINITION_PART] !== parts[TEMPLATE_DEFINITION_PART] ? ['template changed (edited in HeyGen)'] : [];
      // A row's entry keeps only its cells' digest: its cells or the manifest changed, or the definition alone.
      if (spec.row) return e.parts.row === parts.row && inHeyGen.length > 0 ? inHeyGen : [...rowReasons(e.parts.row, spec.row), ...inHeyGen];
      return diffParts(e.parts, parts).map((p) => (p === TEMPLATE_DEFINITION_PART ? 'template changed (edited in HeyGen)' : p));
    },
    seconds: definition ? templateSeconds(spec, definition) : UNKNOWN_TEMPLATE_SECONDS,
  };
}

/** The rendered scenes' scripts spoken at 150 words a minute, text variables filled in; 1 s at least per scene. */
export function templateSeconds(spec: VideoSpec, definition: TemplateDefinition): number {
  const t = spec.template;
  if (!t) return 0;
  const byId = new Map(definition.scenes.map((s) => [s.id, s]));
  const ids = t.sceneIds ?? definition.scenes.map((s) => s.id);
  let total = 0;
  for (const id of ids) {
    const script = (byId.get(id)?.script ?? '').replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_m, name: string) => t.variables[name] ?? name);
    total += Math.max(1, speechSeconds(script) + breakSeconds(script));
  }
  return round2(total);
}
