/**
 * Where things go on a draft frame. Pure geometry, in pixels.
 *
 * Avatar placeholder, by style (before `scale` and `offset`):
 *   normal  - a rounded box 80% of the frame height tall, standing on the bottom edge, centred;
 *   closeUp - a rounded box 95% of the frame height tall and wider, also standing on the bottom;
 *   circle  - a circle half the frame's shorter side across, centred in the frame.
 * `scale` grows or shrinks the shape about its anchor (bottom-centre for boxes, centre for the
 * circle). `offset` follows HeyGen's convention of fractions of the frame: x = 0.1 moves the avatar
 * right by 10% of the frame width, y = 0.1 moves it down by 10% of the frame height.
 */
import type { AvatarSpec, Dimension } from '../model/spec.js';

/** A rectangle on the frame, in pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where the placeholder avatar is drawn, with its corner radius (a circle for the circle style). */
export interface AvatarShape extends Rect {
  /** Corner radius; `min(w, h) / 2` for the circle. */
  radius: number;
}

/** Where and how large an avatar appears on a frame of that size, from its style, scale and offset. */
export function avatarShape(avatar: AvatarSpec, dim: Dimension): AvatarShape {
  const { width: W, height: H } = dim;
  const scale = avatar.scale > 0 ? avatar.scale : 1;
  let w: number;
  let h: number;
  let cx: number;
  let cy: number;
  if (avatar.style === 'circle') {
    w = h = 0.5 * Math.min(W, H) * scale;
    cx = W / 2;
    cy = H / 2;
  } else {
    const tall = avatar.style === 'closeUp' ? 0.95 : 0.8;
    const wide = avatar.style === 'closeUp' ? 0.75 : 0.45;
    const baseH = tall * H;
    const baseW = Math.min(0.9 * W, wide * baseH);
    w = baseW * scale;
    h = baseH * scale;
    cx = W / 2;
    cy = H - h / 2; // anchored on the bottom edge
  }
  cx += avatar.offset.x * W;
  cy += avatar.offset.y * H;
  const radius = avatar.style === 'circle' ? w / 2 : 0.12 * Math.min(w, h);
  return { x: cx - w / 2, y: cy - h / 2, w, h, radius };
}

/** The part of `r` inside the frame, in whole pixels, or undefined when none is. */
export function visible(r: Rect, dim: Dimension): Rect | undefined {
  const x0 = Math.max(0, Math.round(r.x));
  const y0 = Math.max(0, Math.round(r.y));
  const x1 = Math.min(dim.width, Math.round(r.x + r.w));
  const y1 = Math.min(dim.height, Math.round(r.y + r.h));
  return x1 - x0 >= 2 && y1 - y0 >= 2 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : undefined;
}

/** The background colour of a scene that names none. */
export const DEFAULT_BACKGROUND = '#1F2937';

/**
 * A colour ffmpeg understands: `#RGB`, `#RRGGBB`, `#RRGGBBAA` become `0xRRGGBB[AA]`, plain colour
 * names pass through, anything else becomes the default background (drafts never fail on colour).
 */
export function ffmpegColor(color: string | undefined): string {
  const c = (color ?? '').trim();
  let m = /^#?([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(c);
  if (m) return `0x${m[1]}${m[1]}${m[2]}${m[2]}${m[3]}${m[3]}`;
  m = /^#?([0-9a-f]{6}(?:[0-9a-f]{2})?)$/i.exec(c);
  if (m) return `0x${m[1]}`;
  if (/^[a-z]{3,30}$/i.test(c)) return c;
  return ffmpegColor(DEFAULT_BACKGROUND);
}

/** Font sizes scale with the frame's shorter side so portrait and landscape drafts read alike. */
export function fontSizes(dim: Dimension): { mark: number; label: number; banner: number; caption: number } {
  const s = Math.min(dim.width, dim.height);
  const px = (f: number, min: number): number => Math.max(min, Math.round(s * f));
  return { mark: px(0.035, 8), label: px(0.05, 9), banner: px(0.08, 12), caption: px(0.055, 9) };
}

/** Where a transparent avatar clip goes: scaled to cover its shape, cut to the visible part. */
export interface AvatarPlacement {
  /** The size the clip is scaled to (covering the shape, even for the chroma planes). */
  width: number;
  height: number;
  /** The visible part, in the scaled clip's coordinates. */
  crop: Rect;
  /** Where that part goes on the frame. */
  at: { x: number; y: number };
  /** Cut to the circle inscribed in the shape. */
  circle: boolean;
}

/**
 * The same geometry as the draft's placeholder (`avatarShape`), so a draft and its final put the
 * avatar in the same place; undefined when the avatar is entirely off the frame.
 */
export function avatarPlacement(avatar: AvatarSpec, dim: Dimension): AvatarPlacement | undefined {
  const shape = avatarShape(avatar, dim);
  const vis = visible(shape, dim);
  if (!vis) return undefined;
  const even = (n: number): number => Math.max(2, 2 * Math.round(n / 2));
  const width = even(shape.w);
  const height = even(shape.h);
  const x = Math.max(0, Math.min(width - vis.w, vis.x - Math.round(shape.x)));
  const y = Math.max(0, Math.min(height - vis.h, vis.y - Math.round(shape.y)));
  return {
    width,
    height,
    crop: { x, y, w: Math.min(vis.w, width), h: Math.min(vis.h, height) },
    at: { x: vis.x, y: vis.y },
    circle: avatar.style === 'circle',
  };
}
