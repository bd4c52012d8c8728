/**
 * The template side of `plan`'s upload warnings (upload-facts.ts): the local files a template video the plan
 * renders would upload as an `image`, `audio` or `video` variable, which the build checks before it sends
 * that render (template-video.ts). Pure and light: the provider asks it whether to load upload-facts at all.
 */
import { PAID_ACTIONS, type Plan, type PlanItem } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { TemplateDefinition } from '../../model/template.js';
import { templateUploadsOf, type UploadToCheck } from './upload-files.js';

/** Template definitions by id, as the provider read them (`null`: HeyGen has no such template). */
export type Definitions = ReadonlyMap<string, TemplateDefinition | null>;

/**
 * Whether the build sends `item`'s template render, and so checks its files first: a new or changed
 * render (not an unchanged video, a render in flight or a download), and not one restored from the remote store.
 */
function sendsTemplate(item: PlanItem, spec: VideoSpec): boolean {
  return item.kind === 'video' && item.restore === undefined && PAID_ACTIONS.has(item.action) && spec.template?.files !== undefined;
}

/**
 * The files of `spec`'s image, audio and video variables the build would check for `item`, each with where the
 * manifest uses it. None when the definition is unknown: the build needs it, and says so (W_TEMPLATE_UNKNOWN).
 */
export function templateUploads(item: PlanItem, spec: VideoSpec, defs: Definitions): UploadToCheck[] {
  if (!sendsTemplate(item, spec)) return [];
  return templateUploadsOf(spec, defs.get(spec.template!.id) ?? undefined);
}

/** Whether `plan` sends a template render with a variable given as a local file. */
export function sendsTemplateFiles(plan: Plan, specs: readonly VideoSpec[]): boolean {
  const withFiles = new Map<string, VideoSpec>();
  for (const s of specs) if (s.template?.files !== undefined) withFiles.set(s.id, s);
  if (withFiles.size === 0) return false;
  return plan.items.some((i) => {
    const spec = withFiles.get(i.videoId);
    return spec !== undefined && sendsTemplate(i, spec);
  });
}
