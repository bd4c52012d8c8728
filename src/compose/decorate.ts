/**
 * What is written on a frame: on placeholder scenes the DRAFT mark with the video id, the avatar's
 * label and notes about assets not fetched offline; on every scene the translation banner; and
 * (fallback only) caption cues. A final's scenes carry only the banner, when asked for.
 * Text goes through files (`drawtext textfile=`) so user text never needs filter escaping.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dimension } from '../model/spec.js';
import type { Cue } from './captions.js';
import type { Decoration } from './graph.js';
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

/**
 * Works out one scene's overlays (draft mark, avatar label, asset notes, translation banner), writing their text
 * files.
 */
export async function decorateScene(
  scene: TimelineScene,
  ctx: { dim: Dimension; videoId: string; index: number; count: number; language?: string; texts: TextFiles; avatarImages?: ReadonlyMap<string, string> },
): Promise<SceneDecor> {
  const { dim, texts } = ctx;
  const size = fontSizes(dim);
  const margin = Math.round(size.mark * 0.8);
  const out: Decoration[] = [];
  let avatar: SceneDecor['avatar'];
  const draft = scene.kind === 'placeholder';

  if (draft && scene.avatar) {
    const shape = avatarShape(scene.avatar, dim);
    const vis = visible(shape, dim);
    const image = avatarImage(scene.avatar, dim, ctx.avatarImages);
    // The look's own picture needs no label; the placeholder says whose it is.
    if (vis && image) avatar = { shape, visible: vis, image };
    else if (vis) {
      avatar = { shape, visible: vis };
      const cx = vis.x + vis.w / 2;
      const cy = vis.y + vis.h / 2;
      out.push({
        kind: 'text',
        file: await texts.write(scene.avatar.label),
        size: size.label,
        x: `max(0,min(w-text_w,${Math.round(cx)}-text_w/2))`,
        y: `max(0,min(h-text_h,${Math.round(cy)}-text_h/2))`,
        color: 'white',
        box: TEXT_BOX,
      });
    }
  }

  let top = margin;
  if (ctx.language !== undefined) {
    const bandH = Math.round(size.banner * 1.8);
    out.push({ kind: 'box', x: 0, y: 0, w: dim.width, h: bandH, color: BANNER_COLOR });
    out.push({
      kind: 'text',
      file: await texts.write(`DRAFT · ${ctx.language}`),
      size: size.banner,
      x: '(w-text_w)/2',
      y: `(${bandH}-text_h)/2`,
    });
    top += bandH;
  }

  if (!draft) return { decorations: out };

  for (const [i, note] of scene.notes.entries()) {
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
  return { ...(avatar ? { avatar } : {}), decorations: out };
}

/** Caption cues as timed drawtext, for when libass (the `subtitles` filter) is unusable. */
export async function captionDecorations(cues: readonly Cue[], dim: Dimension, texts: TextFiles): Promise<Decoration[]> {
  const size = fontSizes(dim).caption;
  const out: Decoration[] = [];
  for (const c of cues) {
    out.push({
      kind: 'text',
      file: await texts.write(c.text),
      size,
      x: '(w-text_w)/2',
      y: `h-text_h-${Math.round(dim.height * 0.06)}`,
      box: 'black@0.6',
      enable: `between(t,${c.start.toFixed(3)},${c.end.toFixed(3)})`,
    });
  }
  return out;
}
