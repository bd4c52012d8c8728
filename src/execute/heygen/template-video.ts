/**
 * A template video through its life: the same journal, poll and download as any whole-video render
 * (video.ts), with `POST /v3/templates/{id}` as the paid request. Its lockfile entry records the
 * definition's digest among its parts, so the next plan can say "template changed".
 */
import { HeygenBuildError } from '../../errors.js';
import type { PlanItem } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { TemplateDefinition } from '../../model/template.js';
import { planTemplate } from '../../plan/template.js';
import { toV3TemplateRequest } from '../../providers/heygen/map-v3-template.js';
import type { RunContext } from './context.js';
import { runVideo } from './video.js';
import { uploadOnce } from './assets.js';
import { templatePlace } from './template-checks.js';
import { checkUploads } from './upload-check.js';
import { templateUploadsOf } from './upload-files.js';

/** Renders (or resumes, or restores) one template video. Returns false when it failed (already reported). */
export async function runTemplateVideo(ctx: RunContext, spec: VideoSpec, item: PlanItem, def: TemplateDefinition | undefined): Promise<boolean> {
  const t = spec.template!;
  if (item.action !== 'download' && (!def || !ctx.client.createFromTemplate)) {
    // The checks stop a build before this; reaching here means they were skipped. Said at the template's id.
    const { message, location } = templatePlace(spec, t.at.id ?? t.at.template, `${spec.id}: template "${t.id}" could not be read from HeyGen, so it cannot be rendered`);
    throw new HeygenBuildError('E_TEMPLATE', message, {
      location,
      hint: `run \`heygen-build plan\` to check the template against HeyGen (GET /v3/templates/${t.id}), then build again; report it if it persists`,
    });
  }
  const { parts } = planTemplate(spec, def, ctx.store.lock.videos[spec.id]);
  // Uploaded before the render's intent is journaled, like every other asset.
  // A new render's files are checked before any goes, as a scene clip's are: a bad one fails the video with
  // nothing sent. A resumed one was checked before its intent, and a render in flight is followed whatever.
  if (item.action === 'create' || item.action === 'update') await checkUploads(ctx, templateUploadsOf(spec, def));
  const assets = item.action === 'download' ? {} : await variableAssets(ctx, spec);
  return runVideo(ctx, spec, item, parts, (idempotencyKey) =>
    ctx.client.createFromTemplate!(t.id, toV3TemplateRequest(spec, def!, idempotencyKey, assets), { idempotencyKey }),
  );
}

/**
 * Variable name -> asset id for the variables written as local files, uploading each content once (the
 * lockfile's asset table dedupes by sha256 across videos and builds, as for every asset).
 */
async function variableAssets(ctx: RunContext, spec: VideoSpec): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [name, f] of Object.entries(spec.template?.files ?? {})) {
    ids[name] = await uploadOnce(ctx, { path: f.path, sha256: f.sha256!, size: f.size ?? 0 }, spec.id, ctx.soft);
  }
  return ids;
}
