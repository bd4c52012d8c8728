/**
 * The real avatar on a draft: the look's preview image in the placeholder's place, scaled to cover the
 * avatar's shape (style, scale and offset, as `avatarPlacement` gives it for a final's avatar clip),
 * cut to what is visible, and to a circle for the circle style. A still: read once, like the
 * placeholder, and repeated with the scene.
 */
import type { AvatarSpec, Dimension } from '../model/spec.js';
import { num, opts } from './escape.js';
import { avatarPlacement, type AvatarPlacement } from './layout.js';

/** A scene's preview image and where it goes. */
export interface AvatarImage {
  file: string;
  place: AvatarPlacement;
}

/** The image of `avatar` placed on a frame of `dim`, when `images` has one and the avatar is on the frame. */
export function avatarImage(avatar: AvatarSpec | undefined, dim: Dimension, images: ReadonlyMap<string, string> | undefined): AvatarImage | undefined {
  const file = avatar ? images?.get(avatar.id) : undefined;
  const place = file && avatar ? avatarPlacement(avatar, dim) : undefined;
  return file && place ? { file, place } : undefined;
}

/**
 * The filter chain that makes `[av<i>]` from the image input `input`: the visible part of the picture
 * scaled to cover the avatar's shape (cut first, then scaled: fewer pixels), opaque, or cut to the
 * inscribed circle. One frame, no `fps` filter: a still has one frame, and the scene repeats it.
 */
export function avatarImageChain(input: number, i: number, p: AvatarPlacement): string {
  const { width: w, height: h, crop: c } = p;
  const k = `max(${w}/iw,${h}/ih)`; // the cover scale factor
  const cut = opts({ w: `${c.w}/${k}`, h: `${c.h}/${k}`, x: `(iw-${w}/${k})/2+${c.x}/${k}`, y: `(ih-${h}/${k})/2+${c.y}/${k}` });
  const sized = `[${input}:v]trim=end_frame=1,crop=${cut},scale=${c.w}:${c.h},format=rgba`;
  if (!p.circle) return `${sized}[av${i}]`;
  const r = w / 2;
  const alpha = `clip((${num(r)}-hypot(X+${c.x}-${num(r)},Y+${c.y}-${num(h / 2)}))+0.5,0,1)*255`;
  return `${sized},geq=${opts({ r: 'r(X,Y)', g: 'g(X,Y)', b: 'b(X,Y)', a: alpha })}[av${i}]`;
}
