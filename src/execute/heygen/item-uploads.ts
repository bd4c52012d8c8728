/**
 * The files of `plan`'s upload warnings (upload-facts.ts) that a plan item's own request uploads, beside
 * its scene clips': a template render's `image`, `audio` and `video` variable files, which the build checks
 * before it sends that render (template-video.ts), and a dub's source video, which it checks before any of
 * the dub's languages sends it (dub.ts). Pure and light: the provider asks it whether to load upload-facts at all.
 */
import { PAID_ACTIONS, type Plan, type PlanItem } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { TemplateDefinition } from '../../model/template.js';
import { dubUploadsOf, templateUploadsOf, type UploadToCheck } from './upload-files.js';

/** Template definitions by id, as the provider read them (`null`: HeyGen has no such template). */
export type Definitions = ReadonlyMap<string, TemplateDefinition | null>;

/**
 * Whether the build sends `item`'s request with local files of `spec`, and so checks them first: a new or
 * changed template render, or dub language (not one unchanged, in flight or downloaded), and not one restored
 * from the remote store.
 */
function sendsFiles(item: PlanItem, spec: VideoSpec): boolean {
  if (item.restore !== undefined || !PAID_ACTIONS.has(item.action)) return false;
  return item.kind === 'video' ? spec.template?.files !== undefined : spec.dub?.video.kind === 'local';
}

/**
 * The files `item`'s request would upload that the build checks, each with where the manifest uses it. A
 * template's are none when its definition is unknown: the build needs it, and says so (W_TEMPLATE_UNKNOWN).
 * Every language of a dub sends the same source: the caller says it once per video.
 */
export function itemUploads(item: PlanItem, spec: VideoSpec, defs: Definitions): UploadToCheck[] {
  if (!sendsFiles(item, spec)) return [];
  return spec.dub ? dubUploadsOf(spec) : templateUploadsOf(spec, defs.get(spec.template!.id) ?? undefined);
}

/** Whether `plan` sends a template render with a variable given as a local file, or a dub of a local source. */
export function sendsItemFiles(plan: Plan, specs: readonly VideoSpec[]): boolean {
  const withFiles = new Map<string, VideoSpec>();
  for (const s of specs) if (s.template?.files !== undefined || s.dub?.video.kind === 'local') withFiles.set(s.id, s);
  if (withFiles.size === 0) return false;
  return plan.items.some((i) => {
    const spec = withFiles.get(i.videoId);
    return spec !== undefined && sendsFiles(i, spec);
  });
}
