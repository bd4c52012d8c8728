/**
 * A schema-valid manifest (defaults merged in) -> an unresolved spec: everything but the
 * digests of its local files, which are listed as `pending` and digested afterwards, once per
 * distinct file, before `finishSpec` builds the VideoSpec. Synchronous and without I/O.
 */

import type { PendingRef, SceneSpec, UnresolvedSpec } from '../../model/spec.js';
import { isAudioOutput } from '../../model/outputs.js';
import type { ManifestInput } from '../types.js';
import { startResolving, type ResolveContext, type Resolution } from './context.js';
import { captionMode, resolveDimension } from './dimension.js';
import { outputPath, videoId } from './identity.js';
import { avatar, background, voice } from './media.js';
import { scene } from './scenes.js';
import { translations } from './translations.js';
import { templateSpec } from './template.js';
import { dubSource, kindIssues } from './kinds.js';
import { textOverlays } from './text.js';
import { promptDimension, promptPicks, promptSpec } from './prompt.js';
import { engineIssues, transparentIssues } from './engines.js';

export type { PendingAsset, ResolveContext, Resolution } from './context.js';
export { resolveDimension } from './dimension.js';
export { ID_PATTERN, outDirRel } from './identity.js';

/**
 * Resolves a validated manifest into an unresolved spec (aliases applied, paths checked), collecting problems instead
 * of throwing.
 */
export function resolveManifest(m: ManifestInput, ctx: ResolveContext): Resolution {
  const r = startResolving(ctx);
  const id = videoId(r, m);
  const videoAvatar = avatar(r, m.avatar, ['avatar']);
  // The video's voice: its own, else the one its avatar alias brings.
  const ownVoice = voice(r, m.voice, ['voice']);
  const videoVoice = ownVoice ?? videoAvatar.voice;
  // A transparent video has no background: one the config's defaults bring does not apply to it.
  const defaultBackground = m.transparent === true && r.fromDefaults(['background']);
  const videoBackground = m.background === undefined || defaultBackground ? undefined : background(r, m.background, ['background']);
  const output = outputPath(r, m, id);
  // A voiceover always has its sidecar (unless `caption: false`); nothing can be burned into audio.
  const caption = isAudioOutput(output) ? (m.caption === false ? 'none' : 'file') : captionMode(m.caption);
  const video = { voice: videoVoice, avatarFailed: videoAvatar.failed === true };
  const prompt = promptSpec(r, m);
  const dimension = prompt ? promptDimension(prompt) : resolveDimension(m.dimension);
  // Pushed, not mapped: one kind of array whichever tier runs this (see finish.ts).
  const scenes: SceneSpec<PendingRef>[] = [];
  const written = m.scenes ?? [];
  for (let i = 0; i < written.length; i++) scenes.push(scene(r, m, written[i]!, i, video, dimension));
  const text = textOverlays(r, m.text, ['text'], dimension);
  const template = m.template && templateSpec(r, m, m.template);
  const langs = translations(r, m, caption, id);
  const dub = dubSource(r, m);
  kindIssues(r, m, output);
  // A prompt video sends only the avatar and voice its manifest writes (see prompt.ts).
  const picks = prompt ? promptPicks(r, m, videoAvatar, ownVoice) : undefined;
  engineIssues(r, m, { avatar: videoAvatar.spec, voice: videoVoice }, scenes);
  transparentIssues(r, m, output);

  // Keys in a fixed order, optional ones only when present, so specs compare and serialize stably.
  // Set member by member rather than spread from `cond ? {…} : {}` parts: no throwaway object per
  // member, and one object shape for the common manifest (this runs once per manifest of a cold load).
  const spec: Partial<Writable<UnresolvedSpec>> = { id, source: ctx.source };
  if (m.title !== undefined) spec.title = m.title;
  if (m.description !== undefined) spec.description = m.description;
  spec.tags = m.tags ? m.tags.slice() : [];
  spec.output = output;
  spec.dimension = dimension;
  spec.caption = caption;
  // A template video takes none of these (its template decides them; see template.ts).
  if (picks) Object.assign(spec, picks);
  else if (!template) {
    if (videoAvatar.spec) spec.avatar = videoAvatar.spec;
    if (m.engine !== undefined) spec.engine = m.engine;
    if (videoVoice) spec.voice = videoVoice;
  }
  if (m.transparent === true) spec.transparent = true;
  if (videoBackground && !template && !prompt) spec.background = videoBackground;
  spec.scenes = scenes;
  spec.translations = langs;
  if (template) spec.template = template;
  if (dub) spec.dub = dub;
  if (prompt) spec.prompt = prompt;
  if (text) spec.text = text;
  // Every required member is set above (tags to translations), in the order the type lists them.
  return { spec: spec as UnresolvedSpec, pending: r.pending, issues: r.issues };
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
