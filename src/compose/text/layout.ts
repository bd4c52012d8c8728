/**
 * Where an overlay's lines go on the frame. Pure geometry shared by the compositor (which draws each
 * line with drawtext) and `validate` (which warns when text cannot fit). Each line is drawn on its
 * own so that `align` holds for every line: a line starts at, is centred on, or ends at the anchor x.
 *
 * Anchors keep a margin of 5% of the frame's shorter side; `lower-third` sits at the left, its block
 * ending 15% above the bottom edge. `{x, y}` is the top of the text at x (aligned by `align`).
 */
import type { Dimension } from '../../model/spec.js';
import type { OverlayFont, OverlayLength, OverlayPosition, TextStyle } from '../../model/overlay.js';

/** A line's height as a share of the font size (DejaVu's ascender plus descender is 1.164 em). */
const LINE_HEIGHT = 1.2;
/** DejaVu's ascender in em: every line's baseline sits this far below its top. */
export const ASCENT = 0.93;

/** Average advance of a character in em, per font: enough to warn about text far too wide, not to typeset. */
const ADVANCE: Record<OverlayFont, number> = {
  sans: 0.58,
  'sans-bold': 0.65,
  serif: 0.58,
  'serif-bold': 0.65,
  mono: 0.61,
  'mono-bold': 0.61,
  condensed: 0.52,
  'condensed-bold': 0.58,
};

/** Where one overlay's lines go: the x every line aligns on, and each line's top. */
export interface OverlayBox {
  /** The x each line starts at (left), is centred on (center) or ends at (right). */
  x: number;
  /** The top of each line's text. */
  lineTops: number[];
  /** Distance between line tops. */
  step: number;
}

/** The margin anchors keep from the frame's edges. */
export function margin(dim: Dimension): number {
  return Math.round(Math.min(dim.width, dim.height) * 0.05);
}

/** The lines of an overlay's text (`\n` breaks a line; empty lines are kept as space). */
export function textLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

/** Lays out `lines` lines of `style` at `position` on a frame of `dim`. */
export function overlayBox(position: OverlayPosition, style: TextStyle, lines: number, dim: Dimension): OverlayBox {
  const pad = style.padding;
  const step = Math.round(style.size * LINE_HEIGHT) + 2 * pad;
  const blockH = lines * step;
  const m = margin(dim);
  let x: number;
  let top: number; // the block's top, padding included
  if ('anchor' in position) {
    const a = position.anchor;
    if (a === 'lower-third') {
      x = m + pad;
      top = Math.round(dim.height * 0.85) - blockH;
    } else {
      x = a.endsWith('left') ? m + pad : a.endsWith('right') ? dim.width - m - pad : Math.round(dim.width / 2);
      top = a.startsWith('top') ? m : a.startsWith('bottom') ? dim.height - m - blockH : Math.round((dim.height - blockH) / 2);
    }
  } else {
    x = Math.round(px(position.x, dim.width));
    top = Math.round(px(position.y, dim.height)) - pad;
  }
  return { x, step, lineTops: Array.from({ length: lines }, (_, i) => top + pad + i * step) };
}

function px(l: OverlayLength, full: number): number {
  return l.unit === '%' ? (l.value / 100) * full : l.value;
}

/** Estimated width of a line in pixels: wide (CJK, fullwidth) characters count one em. */
export function lineWidth(line: string, style: TextStyle): number {
  let em = 0;
  for (const ch of line) em += isWide(ch.codePointAt(0)!) ? 1 : ADVANCE[style.font];
  return em * style.size;
}

function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x20000 && cp <= 0x3fffd);
}

/** How far (in pixels) the overlay's estimated extent leaves the frame; 0 when it fits. */
export function overflow(text: string, position: OverlayPosition, style: TextStyle, dim: Dimension): number {
  const lines = textLines(text);
  const box = overlayBox(position, style, lines.length, dim);
  let worst = 0;
  const pad = style.padding;
  for (const line of lines) {
    const w = lineWidth(line, style);
    const left = style.align === 'left' ? box.x : style.align === 'center' ? box.x - w / 2 : box.x - w;
    worst = Math.max(worst, -(left - pad), left + w + pad - dim.width);
  }
  const top = box.lineTops[0]! - pad;
  const bottom = box.lineTops[box.lineTops.length - 1]! - pad + box.step;
  worst = Math.max(worst, -top, bottom - dim.height);
  return Math.max(0, Math.round(worst));
}
