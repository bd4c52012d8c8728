/**
 * The text overlay layer: one more layer of the one composition, drawn over the joined scenes (and
 * over burned captions). Each overlay's window comes from the timeline as it really is: a scene's
 * overlays count from where the scene landed, and `at: {word}` from when the scene's clip says the
 * word (its captions), else from the draft's spread of the script. Windows are whole frames.
 */
import { HeygenBuildError } from '../../errors.js';
import { overlayText, type TextOverlaySpec } from '../../model/overlay.js';
import type { Dimension, VideoSpec } from '../../model/spec.js';
import type { TextFiles } from '../decorate.js';
import { bundledFont, cjkFallbacks } from '../fonts.js';
import type { Decoration } from '../graph.js';
import { ffmpegColor } from '../layout.js';
import type { TimelineScene } from '../timeline.js';
import type { LayerFacts } from '../types.js';
import { readCoverage, type Coverage } from './cmap.js';
import { ASCENT, overlayBox, textLines } from './layout.js';
import { cueWords, findWord, spreadWords, type TimedWord } from './words.js';

/** One overlay placed on the timeline: its first frame and the frame after its last. */
export interface PlacedOverlay {
  overlay: TextOverlaySpec;
  /** Where the manifest has it, for messages: `text[0]`, `scenes[1].text[2]`. */
  where: string;
  from: number;
  to: number;
}

// Defined with the spec, so that the plan's checks load no compositor.
export { hasOverlays } from '../../model/spec.js';

/** The facts of a timeline the compositor built. */
export function layerFacts(timeline: readonly TimelineScene[], fps: number): LayerFacts {
  return { fps, scenes: timeline.map((t) => ({ frames: t.frames, words: sceneWords(t) })) };
}

/** Every overlay with its window in frames. */
export function placeOverlays(spec: VideoSpec, facts: LayerFacts): PlacedOverlay[] {
  const { fps } = facts;
  const out: PlacedOverlay[] = [];
  const total = facts.scenes.reduce((n, t) => n + t.frames, 0);
  let first = 0;
  const all: TimedWord[] = [];
  facts.scenes.forEach((t, i) => {
    for (const w of t.words) all.push({ word: w.word, start: w.start + first / fps });
    for (const [k, o] of (spec.scenes[i]?.text ?? []).entries()) {
      out.push(place(o, `scenes[${i}].text[${k}]`, first, first + t.frames, t.words, fps));
    }
    first += t.frames;
  });
  for (const [k, o] of (spec.text ?? []).entries()) out.push(place(o, `text[${k}]`, 0, total, all, fps));
  return out;
}

/**
 * The overlays as video-level ones at absolute times (no `at`): what a translated video, one clip
 * with the source's timing, is laid over with.
 */
export function absoluteOverlays(spec: VideoSpec, facts: LayerFacts): TextOverlaySpec[] {
  return placeOverlays(spec, facts).map((p) => {
    const { at: _at, ...rest } = p.overlay;
    return { ...rest, start: p.from / facts.fps, end: p.to / facts.fps };
  });
}

/** When a scene says each word: its clip's captions, else the script spread over its real length. */
function sceneWords(t: TimelineScene): TimedWord[] {
  if (t.captions && t.captions.length > 0) return cueWords(t.captions);
  return t.script !== undefined ? spreadWords(t.script, t.seconds) : [];
}

function place(o: TextOverlaySpec, where: string, ownerFrom: number, ownerTo: number, words: readonly TimedWord[], fps: number): PlacedOverlay {
  const origin = o.at ? (findWord(words, o.at.word) ?? 0) : 0;
  const frame = (s: number): number => ownerFrom + Math.round((origin + s) * fps);
  // Kept inside its owner; validation refuses windows outside it, but a real clip may run shorter than its estimate.
  const from = Math.min(Math.max(ownerFrom, frame(o.start)), ownerTo - 1);
  const to = Math.max(from + 1, Math.min(ownerTo, o.end !== undefined ? frame(o.end) : ownerTo));
  return { overlay: o, where, from, to };
}

/** Font coverage, read once per file per process. */
const coverage = new Map<string, Promise<Coverage>>();
function coverageOf(file: string): Promise<Coverage> {
  let c = coverage.get(file);
  if (!c) {
    c = readCoverage(file);
    coverage.set(file, c);
  }
  return c;
}

/** The first font with a glyph for every character of `text`: the style's font, then the CJK fallbacks. */
export async function fontFor(o: TextOverlaySpec, text: string, where: string): Promise<string> {
  const primary = bundledFont(o.style.font);
  const missing = (await coverageOf(primary)).missing(text);
  if (missing.length === 0) return primary;
  for (const f of cjkFallbacks(o.style.font)) if ((await coverageOf(f)).missing(text).length === 0) return f;
  throw new HeygenBuildError('E_OVERLAY_FONT', `${where}: no installed font has glyphs for ${missing.slice(0, 8).map((c) => `"${c}"`).join(' ')}`, {
    hint: 'install @expo-google-fonts/noto-sans-sc (Chinese, Japanese kana) or @expo-google-fonts/noto-sans-kr (Korean) next to heygen-build',
  });
}

/** The drawtext decorations of the layer: one per line of each overlay, enabled in its window. */
export async function textLayer(
  placed: readonly PlacedOverlay[],
  ctx: { dim: Dimension; texts: TextFiles; language?: string },
): Promise<Decoration[]> {
  const out: Decoration[] = [];
  for (const p of placed) {
    const o = p.overlay;
    const text = overlayText(o, ctx.language);
    const font = await fontFor(o, text, p.where);
    const lines = textLines(text);
    const box = overlayBox(o.position, o.style, lines.length, ctx.dim);
    const s = o.style;
    const x = s.align === 'left' ? String(box.x) : s.align === 'center' ? `${box.x}-text_w/2` : `${box.x}-text_w`;
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue; // an empty line is space between lines, drawn as nothing
      out.push({
        kind: 'text',
        file: await ctx.texts.write(line),
        font,
        size: s.size,
        x,
        // The same baseline for every line whatever its glyphs: drawtext puts the tallest glyph at y.
        y: `${box.lineTops[i]! + Math.round(ASCENT * s.size)}-max_glyph_a`,
        color: ffmpegColor(s.color),
        ...(s.background !== undefined ? { box: ffmpegColor(s.background), border: s.padding } : {}),
        enable: `between(n,${p.from},${p.to - 1})`,
      });
    }
  }
  return out;
}
