/**
 * Text overlays as resolved from a manifest: titles, lower thirds and calls to action that the
 * compositor lays over the video. They belong to the composition (see src/hash/key.ts), never to a
 * scene clip: editing one composes again and costs nothing.
 */

/** A named place on the frame; `lower-third` is the broadcast name-and-title spot (left, above the bottom). */
export type OverlayAnchor = 'top-left' | 'top' | 'top-right' | 'center' | 'bottom-left' | 'bottom' | 'bottom-right' | 'lower-third';

/** Every anchor a manifest may name, in the order the README lists them. */
export const OVERLAY_ANCHORS: readonly OverlayAnchor[] = [
  'top-left', 'top', 'top-right', 'center', 'bottom-left', 'bottom', 'bottom-right', 'lower-third',
];

/** A coordinate: pixels, or a percentage of the frame's width (x) or height (y). */
export interface OverlayLength {
  readonly value: number;
  readonly unit: 'px' | '%';
}

/** Where an overlay goes: a named anchor, or the point `{x, y}` its text is aligned on. */
export type OverlayPosition = { readonly anchor: OverlayAnchor } | { readonly x: OverlayLength; readonly y: OverlayLength };

/** The fonts shipped with heygen-build (package `dejavu-fonts-ttf`): text looks the same on every machine. */
export type OverlayFont = 'sans' | 'sans-bold' | 'serif' | 'serif-bold' | 'mono' | 'mono-bold' | 'condensed' | 'condensed-bold';

/** Every font name a style may use. */
export const OVERLAY_FONTS: readonly OverlayFont[] = ['sans', 'sans-bold', 'serif', 'serif-bold', 'mono', 'mono-bold', 'condensed', 'condensed-bold'];

/** How an overlay's text looks, every field filled in. Colors are `#RRGGBB` or `#RRGGBBAA`. */
export interface TextStyle {
  readonly font: OverlayFont;
  /** Font size in pixels. */
  readonly size: number;
  readonly color: string;
  /** The box behind the text; none when absent. */
  readonly background?: string;
  /** Each line starts at, is centred on, or ends at the position's x. */
  readonly align: 'left' | 'center' | 'right';
  /** Pixels of background around the text. */
  readonly padding: number;
}

/** One overlay: its text per language, where, when, and how it looks. */
export interface TextOverlaySpec {
  /** `default` always; other keys are translation languages as the manifest writes them. */
  readonly value: Readonly<Record<string, string>>;
  readonly position: OverlayPosition;
  /** Seconds from its owner's start, or from the word when `at` is given. */
  readonly start: number;
  /** Seconds from the same origin; the overlay lasts to its owner's end when absent. */
  readonly end?: number;
  /** Start when the script says this word (or words). */
  readonly at?: { readonly word: string };
  readonly style: TextStyle;
  /** The config style it came from, for messages only: never hashed. */
  readonly styleName?: string;
}

/** The text of an overlay in a language: the language's own value, else the default. */
export function overlayText(o: TextOverlaySpec, language?: string): string {
  return (language !== undefined ? o.value[language] : undefined) ?? o.value.default ?? '';
}
