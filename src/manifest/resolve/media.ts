/** Backgrounds, voices and avatars (aliases applied): the parts a video and its scenes share. */

import path from 'node:path';
import type { AvatarSpec, BackgroundSpec, PendingRef, VoiceSpec } from '../../model/spec.js';
import { idNearAlias, isProblem, resolveAvatar, resolveVoice } from '../aliases.js';
import type { DataPath } from '../issue.js';
import { didYouMean } from '../../util/suggest.js';
import type { BackgroundInput, ManifestInput } from '../types.js';
import { assetRef, type Resolving } from './context.js';

/** Resolves a background (colour, image or video); local files are queued for digesting. */
export function background(r: Resolving, b: BackgroundInput, at: DataPath): BackgroundSpec<PendingRef> | undefined {
  if (typeof b === 'string') return { type: 'color', color: b.toUpperCase() };
  if ('color' in b) return { type: 'color', color: b.color.toUpperCase() };
  if ('image' in b) {
    const s = assetRef(r, b.image, [...at, 'image'], 'background image');
    return s && { type: 'image', source: s, fit: b.fit ?? 'cover' };
  }
  const s = assetRef(r, b.video, [...at, 'video'], 'background video');
  return s && { type: 'video', source: s, play: b.play ?? 'loop', fit: b.fit ?? 'cover' };
}

/** Resolves a video's or scene's voice through the alias table, reporting unknown aliases at its data path. */
export function voice(r: Resolving, v: ManifestInput['voice'], at: DataPath): VoiceSpec | undefined {
  if (v === undefined) return undefined;
  warnIdNearAlias(r, 'voice', v, r.config.voices, at);
  const res = resolveVoice(v, r.config.voices);
  if (isProblem(res)) {
    r.issues.push({ code: 'E_UNKNOWN_ALIAS', ...res, path: at });
    return undefined;
  }
  return res;
}

/** `{id: x}` with `x` (nearly) an alias: a warning at the id, which is still used as written. */
function warnIdNearAlias(r: Resolving, what: 'avatar' | 'voice', v: string | { id?: string }, table: Record<string, unknown>, at: DataPath): void {
  if (typeof v === 'string' || v.id === undefined) return;
  const near = idNearAlias(what, v.id, table);
  if (near) r.issues.push({ code: 'W_ALIAS_ID', ...near, severity: 'warning', path: [...at, 'id'] });
}

/**
 * An avatar, and the voice its alias brings (problems with that voice point at the avatar). `failed`: the avatar
 * was already reported, so whether it would have brought a voice is unknown (no follow-on E_NO_VOICE).
 */
export function avatar(r: Resolving, a: ManifestInput['avatar'], at: DataPath): { spec?: AvatarSpec<PendingRef>; voice?: VoiceSpec; failed?: boolean } {
  if (a === undefined) return {};
  if (typeof a !== 'string' && a.photo !== undefined) return photoAvatar(r, a.photo, a, at);
  warnIdNearAlias(r, 'avatar', a, r.config.avatars, at);
  const res = resolveAvatar(a, r.config.avatars);
  if (isProblem(res)) {
    r.issues.push({ code: 'E_UNKNOWN_ALIAS', ...res, path: at });
    return { failed: true };
  }
  if (res.voice === undefined) return { spec: res.spec };
  const v = resolveVoice(res.voice, r.config.voices);
  if (isProblem(v)) {
    // The alias's `voice` is a string in the config: the manifest's `{id: ...}` way out does not apply there.
    const near = didYouMean(res.voice, Object.keys(r.config.voices), 2);
    r.issues.push({
      code: 'E_UNKNOWN_ALIAS',
      message: `avatar alias "${res.spec.label}" names voice "${res.voice}", which is not a voice alias${near ? `; did you mean "${near}"?` : ''}`,
      hint: `fix \`avatars.${res.spec.label}.voice\` in heygen.config.ts (a voice alias from \`voices:\`, or a HeyGen voice id), or define "${res.voice}" under \`voices:\``,
      path: at,
    });
    return { spec: res.spec, failed: true };
  }
  return { spec: res.spec, voice: v };
}

const PHOTO_TYPES = /\.(png|jpe?g)$/i;

/**
 * `avatar: {photo}`: the picture HeyGen animates (`type: image`), queued for digesting like any asset (its bytes
 * are in the key). Its id is the project-relative path or the URL: one name per picture for drafts and plans.
 */
function photoAvatar(r: Resolving, photo: string, a: Exclude<ManifestInput['avatar'], string | undefined>, at: DataPath): { spec?: AvatarSpec<PendingRef>; failed?: boolean } {
  const src = assetRef(r, photo, [...at, 'photo'], 'avatar photo');
  if (!src) return { failed: true };
  if (src.kind === 'local' && !PHOTO_TYPES.test(src.path)) {
    r.issues.push({
      code: 'E_SCHEMA',
      message: `avatar photo "${photo}" must be a PNG or JPEG (HeyGen animates .png, .jpg and .jpeg images)`,
      hint: 'convert the picture to PNG or JPEG and name it so, e.g. assets/me.png',
      path: [...at, 'photo'],
    });
  }
  const id = src.kind === 'local' ? src.path : src.url;
  const spec: AvatarSpec<PendingRef> = {
    id,
    label: src.kind === 'local' ? path.posix.basename(src.path) : id,
    style: a.style ?? 'normal',
    scale: a.scale ?? 1,
    offset: a.offset ? { x: a.offset.x, y: a.offset.y } : { x: 0, y: 0 },
    ...(a.engine !== undefined ? { engine: a.engine } : {}),
    ...(a.expressiveness !== undefined ? { expressiveness: a.expressiveness } : {}),
    ...(a.motion !== undefined ? { motion: a.motion } : {}),
    photo: src,
  };
  return { spec };
}
