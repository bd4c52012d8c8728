/** What the v3 and v2 request mappers share: the context, asset references, problem reporting. */
import { HeygenBuildError, type Diagnostic } from '../../errors.js';
import type { AssetRef, VideoSpec } from '../../model/spec.js';

/** What mapping a spec to a HeyGen request needs from the executor: uploaded asset ids and the ids to echo back. */
export interface MapContext {
  /** The HeyGen asset id of an uploaded local file (undefined when not uploaded). */
  assetId(ref: AssetRef): string | undefined;
  /** Echoed by HeyGen in status and webhooks: lets a later run recognise its own job. */
  callbackId: string;
  /** Dashboard title; defaults to the video's title, else its id. */
  title?: string;
}

/** Something the chosen API cannot express, at a field path of the video (`scenes[1].background`). */
export interface MapProblem {
  path: string;
  message: string;
  hint: string;
}

/** What to do about a manifest v3 cannot express (v2 is legacy and ended: never the advice). */
export const HINT_V3_LIMIT = 'change the manifest to what HeyGen v3 accepts (see the README, "Scene by scene on HeyGen v3"), or build free drafts with --provider local';

/** `<video id>: <path>: <message>`, the shape every provider problem is reported in. */
export function formatProblem(videoId: string, p: MapProblem): string {
  return `${videoId}: ${p.path}: ${p.message}`;
}

/** Throws the first problem as E_UNSUPPORTED, carrying all of them as diagnostics. */
export function throwIfProblems(spec: VideoSpec, problems: MapProblem[]): void {
  const [first] = problems;
  if (!first) return;
  const diagnostics: Diagnostic[] = problems.map((p) => ({
    severity: 'error',
    code: 'E_UNSUPPORTED',
    message: formatProblem(spec.id, p),
    hint: p.hint,
  }));
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new HeygenBuildError('E_UNSUPPORTED', `${formatProblem(spec.id, first)}${more}`, { hint: first.hint, diagnostics });
}

/** Adds a problem unless the same path and message is already there (inherited fields repeat). */
export function addProblem(list: MapProblem[], p: MapProblem): void {
  if (!list.some((q) => q.path === p.path && q.message === p.message)) list.push(p);
}

/** How a request names a media file: by public URL, or by the asset id of an upload. */
export type AssetSource = { url: string } | { assetId: string };

/** A URL passes through; a local file must have been uploaded first (the executor's job). */
export function assetSource(ref: AssetRef, ctx: MapContext, where: string): AssetSource {
  if (ref.kind === 'url') return { url: ref.url };
  const id = ctx.assetId(ref);
  if (id === undefined) {
    throw new HeygenBuildError('E_ASSET_NOT_UPLOADED', `${where}: ${ref.path} has not been uploaded to HeyGen yet`, {
      hint: 'this is a bug in heygen-build: local assets are uploaded before the video is submitted',
    });
  }
  return { assetId: id };
}

/** The title a HeyGen job gets: the executor's choice, else the manifest's title, else the video id. */
export function titleOf(spec: VideoSpec, ctx: MapContext): string {
  return ctx.title ?? spec.title ?? spec.id;
}

/** The field path of a scene's property, or the video's when the scene inherits it. */
export function fieldPath(spec: VideoSpec, index: number, field: 'avatar' | 'voice' | 'background'): string {
  const scene = spec.scenes[index];
  return scene && scene[field] !== undefined ? `scenes[${index}].${field}` : field;
}
