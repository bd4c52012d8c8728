/**
 * How text overlays enter keys. They belong to the composition key (the video's content key), never
 * to a scene clip's key (src/plan/scenes.ts picks its fields explicitly), so an overlay edit costs a
 * recomposition and nothing at HeyGen. A translation is made from the composition without overlays
 * (`baseValue` leaves them out), so fixing an overlay never pays for a translation again. Which
 * language's text is drawn is hashed by whoever draws it: the video's key holds the default text, a
 * translation's layer its language's (`layerDigest`).
 */
import { overlayText, type TextOverlaySpec } from '../model/overlay.js';
import type { VideoSpec } from '../model/spec.js';
import { canonicalJson, sha256Hex } from './canonical.js';

/** Explicit picks: `styleName` (a label) is never hashed, and a field added later must be chosen. */
function overlayValue(o: TextOverlaySpec, language: string | undefined): Record<string, unknown> {
  const s = o.style;
  return {
    text: overlayText(o, language),
    position: o.position,
    start: o.start,
    end: o.end,
    at: o.at?.word,
    style: { font: s.font, size: s.size, color: s.color, background: s.background, align: s.align, padding: s.padding },
  };
}

/** The overlays of a video and its scenes in one language, or undefined when it has none (keys stay as before). */
export function overlaysValue(spec: VideoSpec, language?: string): unknown {
  // Most videos have none: told without building two lists (this runs for every content key of a cold plan).
  if (!spec.text?.length && !spec.scenes.some((s) => s.text?.length)) return undefined;
  const video = (spec.text ?? []).map((o) => overlayValue(o, language));
  const scenes = spec.scenes.map((s) => (s.text ?? []).map((o) => overlayValue(o, language)));
  if (video.length === 0 && scenes.every((s) => s.length === 0)) return undefined;
  return { video, scenes };
}

/** The digest of a language's text layer ('' when the video has no overlays). */
export function layerDigest(spec: VideoSpec, language?: string): string {
  const v = overlaysValue(spec, language);
  return v === undefined ? '' : sha256Hex(canonicalJson(v));
}

/** Plan parts of the overlays: `text[0].value`, `scenes[1].text[0].style`, ... (the default language). */
export function overlayParts(spec: VideoSpec, leaf: (name: string, value: unknown) => void): void {
  const list = (prefix: string, items: readonly TextOverlaySpec[] | undefined): void => {
    if (!items || items.length === 0) return;
    leaf(`${prefix}text.length`, items.length);
    items.forEach((o, i) => {
      const v = overlayValue(o, undefined);
      const p = `${prefix}text[${i}].`;
      leaf(`${p}value`, o.value);
      leaf(`${p}position`, v.position);
      leaf(`${p}timing`, { start: v.start, end: v.end, at: v.at });
      leaf(`${p}style`, v.style);
    });
  };
  list('', spec.text);
  spec.scenes.forEach((s, i) => list(`scenes[${i}].`, s.text));
}
