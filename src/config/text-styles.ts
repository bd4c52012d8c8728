/**
 * `textStyles` in the config: named overlay styles. The same ranges as an inline `style:` in a
 * manifest (schema/video.schema.json `textStyle`), checked here because the config is code.
 */
import { OVERLAY_FONTS } from '../model/overlay.js';
import { didYouMeanText as didYouMean } from '../util/suggest.js';

const STYLE_KEYS = ['font', 'size', 'color', 'background', 'align', 'padding'];
/** `#RRGGBB` or `#RRGGBBAA`, as in manifests. */
export const TEXT_COLOR = /^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reports every problem of `textStyles` through `fail(path, message)`. */
export function checkTextStyles(raw: unknown, fail: (path: string, msg: string) => void): void {
  if (raw === undefined) return;
  if (!isObject(raw)) return fail('textStyles', 'must be an object of named styles');
  for (const [name, style] of Object.entries(raw)) {
    const p = `textStyles.${name}`;
    if (!isObject(style)) {
      fail(p, 'must be an object such as { font: "sans-bold", size: 40, color: "#FFFFFF" }');
      continue;
    }
    for (const k of Object.keys(style)) if (!STYLE_KEYS.includes(k)) fail(`${p}.${k}`, `is not a style setting${didYouMean(k, STYLE_KEYS)}`);
    const { font, size, color, background, align, padding } = style;
    if (font !== undefined && !OVERLAY_FONTS.includes(font as never)) {
      fail(`${p}.font`, `must be one of ${OVERLAY_FONTS.join(', ')}${typeof font === 'string' ? didYouMean(font, OVERLAY_FONTS) : ''}`);
    }
    if (size !== undefined && !(typeof size === 'number' && size >= 4 && size <= 1000)) fail(`${p}.size`, 'must be a number of pixels from 4 to 1000');
    for (const [k, v] of [['color', color], ['background', background]] as const) {
      if (v !== undefined && !(typeof v === 'string' && TEXT_COLOR.test(v))) fail(`${p}.${k}`, 'must be a color "#RRGGBB" or "#RRGGBBAA"');
    }
    if (align !== undefined && !['left', 'center', 'right'].includes(align as string)) fail(`${p}.align`, 'must be left, center or right');
    if (padding !== undefined && !(typeof padding === 'number' && padding >= 0 && padding <= 500)) fail(`${p}.padding`, 'must be a number of pixels from 0 to 500');
  }
}
