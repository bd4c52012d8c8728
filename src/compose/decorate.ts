/**
 * What is written on a frame: on placeholder scenes the DRAFT mark with the video id, the avatar's
 * label and notes about assets not fetched offline; on every scene the translation banner; and
 * (fallback only) caption cues. A final's scenes carry only the banner, when asked for.
 * Text goes through files (`drawtext textfile=`) so user text never needs filter escaping.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AvatarSpec, Dimension } from '../model/spec.js';
import { buildCues, type Cue } from './captions.js';
import type { Decoration, ScenePart } from './graph.js';
import { avatarImage, type AvatarImage } from './avatar-image.js';
import { avatarShape, fontSizes, visible, type AvatarShape, type Rect } from './layout.js';
import type { TimelineScene } from './timeline.js';

const BANNER_COLOR = '0xB45309@0.92';
const TEXT_BOX = 'black@0.5';

/**
 * Writes text to numbered files in a work folder, so drawtext reads user text from a file and nothing needs escaping.
 */
export class TextFiles {
  private n = 0;
  constructor(private readonly dir: string) {}
  async write(text: string): Promise<string> {
    const file = path.join(this.dir, `text${this.n++}.txt`);
    // No trailing newline: drawtext would draw an empty last line.
    await writeFile(file, text.replace(/\s+$/, ''), 'utf8');
    return file;
  }
}

/** What is drawn on one scene: the placeholder avatar's shape (drafts) and the text overlays. */
export interface SceneDecor {
  avatar?: { shape: AvatarShape; visible: Rect; image?: AvatarImage };
  decorations: Decoration[];
}

/** What decorating one scene needs: the frame's size, which scene of which video, its translation's language. */
type DecorContext = { dim: Dimension; videoId: string; index: number; count: number; language?: string; texts: TextFiles; avatarImages?: ReadonlyMap<string, string> };

/**
 * Works out one scene's overlays (draft mark, avatar label, asset notes, translation banner), writing their text
 * files.
 */
export async function decorateScene(scene: TimelineScene, ctx: DecorContext): Promise<SceneDecor> {
  const draft = scene.kind === 'placeholder';
  const placeholder = draft && scene.avatar ? await placeholderAvatar(scene.avatar, ctx) : undefined;
  const out: Decoration[] = placeholder?.label ? [placeholder.label] : [];
  if (ctx.language !== undefined) out.push(...(await banner(ctx.dim, ctx.language, ctx.texts)));
  if (!draft) return { decorations: out };
  out.push(...(await draftMarks(scene.notes, ctx)));
  const avatar = placeholder?.avatar;
  return { ...(avatar ? { avatar } : {}), decorations: out };
}

/**
 * Where a draft's avatar stands and what stands for it: the look's own picture when there is one, else a
 * label saying whose it is; nothing when it is wholly off the frame.
 */
async function placeholderAvatar(spec: AvatarSpec, ctx: DecorContext): Promise<{ avatar?: SceneDecor['avatar']; label?: Decoration }> {
  const { dim } = ctx;
  const shape = avatarShape(spec, dim);
  const vis = visible(shape, dim);
  if (!vis) return {};
  const image = avatarImage(spec, dim, ctx.avatarImages);
  // The look's own picture needs no label; the placeholder says whose it is.
  if (image) return { avatar: { shape, visible: vis, image } };
  const cx = vis.x + vis.w / 2;
  const cy = vis.y + vis.h / 2;
  const label: Decoration = {
    kind: 'text',
    file: await ctx.texts.write(spec.label),
    size: fontSizes(dim).label,
    x: `max(0,min(w-text_w,${Math.round(cx)}-text_w/2))`,
    y: `max(0,min(h-text_h,${Math.round(cy)}-text_h/2))`,
    color: 'white',
    box: TEXT_BOX,
  };
  return { avatar: { shape, visible: vis }, label };
}

/** The banner of a translation across the top: its band, and `DRAFT · <language>` on it. */
async function banner(dim: Dimension, language: string, texts: TextFiles): Promise<Decoration[]> {
  const { bandH } = topLines(dim, language);
  return [
    { kind: 'box', x: 0, y: 0, w: dim.width, h: bandH, color: BANNER_COLOR },
    { kind: 'text', file: await texts.write(`DRAFT · ${language}`), size: fontSizes(dim).banner, x: '(w-text_w)/2', y: `(${bandH}-text_h)/2` },
  ];
}

/** A placeholder scene's notes about assets not fetched offline, then the DRAFT mark naming the video and scene. */
async function draftMarks(notes: readonly string[], ctx: DecorContext): Promise<Decoration[]> {
  const { dim, texts } = ctx;
  const size = fontSizes(dim);
  const { margin, top } = topLines(dim, ctx.language);
  const out: Decoration[] = [];
  for (const [i, note] of notes.entries()) {
    out.push({
      kind: 'text',
      file: await texts.write(note),
      size: size.mark,
      x: '(w-text_w)/2',
      y: String(Math.round(dim.height * 0.25 + i * size.mark * 4)),
      box: TEXT_BOX,
    });
  }
  out.push({
    kind: 'text',
    file: await texts.write(`DRAFT · ${ctx.videoId} · scene ${ctx.index + 1}/${ctx.count}`),
    size: size.mark,
    x: String(margin),
    y: String(top),
    box: TEXT_BOX,
  });
  return out;
}

/** The top of a frame: the margin, the translation banner's height (0 without one), and where the DRAFT mark's line starts. */
function topLines(dim: Dimension, language: string | undefined): { margin: number; bandH: number; top: number } {
  const size = fontSizes(dim);
  const margin = Math.round(size.mark * 0.8);
  const bandH = language !== undefined ? Math.round(size.banner * 1.8) : 0;
  return { margin, bandH, top: margin + bandH };
}

/** One caption cue's text, centred at `y` (default: near the bottom), shown from `enable` on (default: always). */
async function cueText(text: string, dim: Dimension, texts: TextFiles, y?: string, enable?: string): Promise<Decoration> {
  return {
    kind: 'text',
    file: await texts.write(text),
    size: fontSizes(dim).caption,
    x: '(w-text_w)/2',
    y: y ?? `h-text_h-${Math.round(dim.height * 0.06)}`,
    box: 'black@0.6',
    ...(enable !== undefined ? { enable } : {}),
  };
}

/** Caption cues as timed drawtext, for when libass (the `subtitles` filter) is unusable. */
export async function captionDecorations(cues: readonly Cue[], dim: Dimension, texts: TextFiles, y?: string): Promise<Decoration[]> {
  const out: Decoration[] = [];
  for (const c of cues) out.push(await cueText(c.text, dim, texts, y, `between(t,${c.start.toFixed(3)},${c.end.toFixed(3)})`));
  return out;
}

/**
 * A draft scene that speaks nothing (no espeak-ng on PATH) shows its script instead, cue by cue as the `.srt`
 * times it, under the DRAFT mark (a player shows a caption track at the bottom). Otherwise an edit of a script that
 * keeps its length makes the very same draft, bytes and all. A still scene comes as parts, one per cue and pause;
 * a scene over a moving background, which is drawn frame by frame anyway, gets timed text.
 */
export async function silentScript(
  scene: TimelineScene,
  ctx: { dim: Dimension; fps: number; language?: string; texts: TextFiles },
): Promise<{ parts?: ScenePart[]; decorations: Decoration[] }> {
  if (scene.kind !== 'placeholder' || scene.script === undefined || scene.audio.kind !== 'silence') return { decorations: [] };
  const { dim, fps, texts } = ctx;
  const cues = buildCues([{ start: 0, seconds: scene.seconds, script: scene.script }]);
  const y = String(topLines(dim, ctx.language).top + fontSizes(dim).mark * 2);
  if (scene.background.kind === 'video') return { decorations: await captionDecorations(cues, dim, texts, y) };
  const parts: ScenePart[] = [];
  let at = 0;
  const until = (frame: number, decorations: Decoration[]): void => {
    const end = Math.min(scene.frames, frame);
    if (end <= at) return;
    parts.push({ frames: end - at, decorations });
    at = end;
  };
  for (const c of cues) {
    until(Math.round(c.start * fps), []); // a pause before it
    until(Math.round(c.end * fps), [await cueText(c.text, dim, texts, y)]);
  }
  until(scene.frames, []);
  return { ...(parts.length > 0 ? { parts } : {}), decorations: [] };
}
