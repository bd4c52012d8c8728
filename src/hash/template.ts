/**
 * What of a template video changes its render. The manifest's side (template id, variables, scene
 * ids, fps, a requested size) is in the spec; the template's definition lives in HeyGen and enters
 * the key by its digest (`definitionDigest`), so an edit in HeyGen's app renders the video again.
 */
import type { TemplateSpec } from '../model/spec.js';
import { canonicalJson, sha256Hex } from './canonical.js';

/** The part name under which the definition's digest is recorded; the plan says "template changed" for it. */
export const TEMPLATE_DEFINITION_PART = 'template definition';

/** The hashed value of a template spec: explicit picks, never `at` (where it is written). */
export function templateValue(t: TemplateSpec): Record<string, unknown> {
  return {
    id: t.id,
    variables: { ...t.variables },
    // A local file's bytes, not only its path: replacing the image renders again.
    files: t.files ? Object.fromEntries(Object.entries(t.files).map(([n, f]) => [n, f.sha256 ?? null])) : undefined,
    sceneIds: t.sceneIds ? [...t.sceneIds] : undefined,
    fps: t.fps,
    dimension: t.dimension ? { width: t.dimension.width, height: t.dimension.height } : undefined,
  };
}

/** Part digests of the manifest's side: one per variable, so the plan names the variable that changed. */
export function templateParts(t: TemplateSpec, leaf: (name: string, value: unknown) => void): void {
  leaf('template.id', t.id);
  for (const [name, value] of Object.entries(t.variables)) {
    const file = t.files?.[name];
    leaf(`template.variables.${name}`, file ? { path: value, sha256: file.sha256 ?? null } : value);
  }
  leaf('template.scenes', t.sceneIds);
  leaf('template.fps', t.fps);
  leaf('template.dimension', t.dimension);
}

/**
 * A definition's digest: canonical JSON of what HeyGen's `GET /v3/templates/{id}` says about it,
 * without fields that change without changing a render (timestamps, the thumbnail's URL).
 */
export function definitionDigest(definition: unknown): string {
  const d = typeof definition === 'object' && definition !== null ? { ...(definition as Record<string, unknown>) } : {};
  delete d.created_at;
  delete d.updated_at;
  delete d.thumbnail_url;
  return sha256Hex(canonicalJson(d));
}

/**
 * The key of a template video: its content key (the manifest's side) with the definition's digest.
 * `null`: the definition is unknown (no API key and nothing cached), keyed on the manifest alone.
 */
export function templateVideoKey(contentKey: string, digest: string | null): string {
  return sha256Hex(canonicalJson({ content: contentKey, definition: digest }));
}
