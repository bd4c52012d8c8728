/**
 * Text overlays: a style name looked up in the config's `textStyles` (an unknown one is an error that
 * suggests the nearest name), an inline style filled in with defaults, positions parsed. Timing against
 * the script is checked once the spec is resolved (src/manifest/overlay-checks.ts).
 */
import type { TextStyleInput } from '../../model/config.js';
import type { Dimension } from '../../model/spec.js';
import type { OverlayAnchor, OverlayFont, OverlayLength, OverlayPosition, TextOverlaySpec, TextStyle } from '../../model/overlay.js';
import { didYouMean } from '../../util/suggest.js';
import type { DataPath } from '../issue.js';
import type { TextOverlayInput, TextPositionInput } from '../types.js';
import type { Resolving } from './context.js';

/** Text size when no style says: 5% of the frame's shorter side (36 px at 720p). */
export function defaultTextSize(dim: Dimension): number {
  return Math.max(12, Math.round(Math.min(dim.width, dim.height) * 0.05));
}

/** Resolves a `text:` list (of the video or of a scene), reporting problems at each overlay. */
export function textOverlays(r: Resolving, list: readonly TextOverlayInput[] | undefined, at: DataPath, dim: Dimension): TextOverlaySpec[] | undefined {
  if (list === undefined || list.length === 0) return undefined;
  return list.map((o, i) => overlay(r, o, [...at, i], dim));
}

function overlay(r: Resolving, o: TextOverlayInput, at: DataPath, dim: Dimension): TextOverlaySpec {
  const position = parsePosition(o.position);
  const named = typeof o.style === 'string' ? namedStyle(r, o.style, [...at, 'style']) : undefined;
  const input: TextStyleInput = typeof o.style === 'object' ? o.style : (named ?? {});
  const value = typeof o.value === 'string' ? { default: o.value } : { ...o.value };
  return {
    value,
    position,
    start: o.start ?? 0,
    ...(o.end !== undefined ? { end: o.end } : {}),
    ...(o.at ? { at: { word: o.at.word } } : {}),
    style: fillStyle(input, position, dim),
    ...(typeof o.style === 'string' ? { styleName: o.style } : {}),
  };
}

function namedStyle(r: Resolving, name: string, at: DataPath): TextStyleInput | undefined {
  const styles = r.config.textStyles ?? {};
  if (Object.hasOwn(styles, name)) return styles[name];
  const names = Object.keys(styles);
  const nearest = didYouMean(name, names);
  const suggestion = nearest !== undefined ? `; did you mean "${nearest}"?` : '';
  r.issues.push({
    code: 'E_UNKNOWN_STYLE',
    message: `unknown text style "${name}"${names.length > 0 ? suggestion : ' (the config has no textStyles)'}`,
    hint:
      names.length > 0
        ? `use one of the config's textStyles (${names.map((n) => `"${n}"`).join(', ')}), or write the style inline`
        : 'add textStyles: { name: { font, size, color, ... } } to heygen.config.ts, or write the style inline',
    path: at,
  });
  return undefined;
}

/** Every style field filled: text is white on no box, left/centre/right by where it sits. */
function fillStyle(s: TextStyleInput, position: OverlayPosition, dim: Dimension): TextStyle {
  const size = s.size ?? defaultTextSize(dim);
  return {
    font: (s.font ?? 'sans') as OverlayFont, // the schema and the config check allow only OVERLAY_FONTS
    size,
    color: (s.color ?? '#FFFFFF').toUpperCase(),
    ...(s.background !== undefined ? { background: s.background.toUpperCase() } : {}),
    align: s.align ?? defaultAlign(position),
    padding: s.padding ?? (s.background !== undefined ? Math.round(size * 0.3) : 0),
  };
}

function defaultAlign(p: OverlayPosition): TextStyle['align'] {
  if (!('anchor' in p)) return 'left';
  if (p.anchor.endsWith('left') || p.anchor === 'lower-third') return 'left';
  return p.anchor.endsWith('right') ? 'right' : 'center';
}

function parsePosition(p: TextPositionInput | undefined): OverlayPosition {
  if (p === undefined) return { anchor: 'bottom' };
  if (typeof p === 'string') return { anchor: p as OverlayAnchor }; // the schema allows only the anchors
  return { x: length(p.x), y: length(p.y) };
}

function length(v: number | string): OverlayLength {
  if (typeof v === 'number') return { value: v, unit: 'px' };
  return { value: Number.parseFloat(v), unit: '%' }; // the schema allows only "<number>%"
}
