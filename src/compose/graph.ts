/**
 * The one ffmpeg command that renders a whole draft: a filter graph with one chain per scene,
 * joined by `concat`, then captions. Pure: everything on disk was prepared by `render.ts`.
 *
 * Speed: a scene with a still background (colour, image, placeholder) is composed ONCE as a
 * single frame (background, avatar, labels) and then repeated with `loop`, so per-frame work is
 * only the encoder (and burned captions). Only video backgrounds are filtered frame by frame.
 * The avatar mask is drawn with `geq` once, on a single frame the size of the visible avatar.
 */
import type { Dimension, Fit } from '../model/spec.js';
import { num, opts } from './escape.js';
import type { AvatarShape, Rect } from './layout.js';

export type GraphBackground =
  | { kind: 'color'; color: string }
  | { kind: 'image'; file: string; fit: Fit; pad: string }
  | { kind: 'video'; file: string; fit: Fit; pad: string; loop: boolean };

export type GraphAudio = { kind: 'file'; file: string } | { kind: 'silence' };

/** drawtext reading its text from a file (no escaping of user text), or a filled box. */
export type Decoration =
  | { kind: 'text'; file: string; size: number; x: string; y: string; color?: string; box?: string; enable?: string }
  | { kind: 'box'; x: number; y: number; w: number; h: number; color: string };

export interface GraphScene {
  frames: number;
  background: GraphBackground;
  audio: GraphAudio;
  avatar?: { shape: AvatarShape; visible: Rect };
  decorations: Decoration[];
}

export type GraphCaptions =
  | { kind: 'subtitles'; srt: string; fontsDir?: string }
  | { kind: 'drawtext'; decorations: Decoration[] };

export interface GraphInput {
  dim: Dimension;
  fps: number;
  scenes: GraphScene[];
  font?: string;
  captions?: GraphCaptions;
}

export const SAMPLE_RATE = 48_000;
const AVATAR_RGB = { r: 156, g: 163, b: 175 };
const AVATAR_ALPHA = 215;

/** The ffmpeg arguments (inputs and outputs) and the filter graph to pass with `-filter_complex_script`. */
export function buildGraph(input: GraphInput): { inputs: string[]; graph: string; maps: string[] } {
  const { dim, fps } = input;
  const inputs: string[] = [];
  let nextInput = 0;
  const addInput = (args: string[]): number => {
    inputs.push(...args);
    return nextInput++;
  };
  const chains: string[] = [];
  const size = `${dim.width}x${dim.height}`;
  // Scenes sharing an avatar placement share one mask (drawn once, then `split`).
  const masks = new Map<string, { source: string; users: string[] }>();

  input.scenes.forEach((scene, i) => {
    const seconds = scene.frames / fps;
    const bg = scene.background;
    const still = bg.kind !== 'video';
    // 1. the background: one frame for stills, `frames` frames for videos
    let base: string;
    if (bg.kind === 'color') {
      base = `color=${opts({ c: bg.color, s: size, r: fps })},trim=end_frame=1`;
    } else if (bg.kind === 'image') {
      const k = addInput(['-i', bg.file]);
      base = `[${k}:v]trim=end_frame=1,${fit(bg.fit, dim, bg.pad)}`;
    } else {
      const loop = bg.loop ? ['-stream_loop', '-1'] : [];
      const k = addInput([...loop, '-t', num(seconds + 1), '-i', bg.file]);
      const hold = bg.loop ? '' : `,tpad=stop_mode=clone:stop_duration=${num(seconds + 1)}`;
      base = `[${k}:v]fps=${fps},setpts=PTS-STARTPTS,${fit(bg.fit, dim, bg.pad)}${hold},trim=end_frame=${scene.frames}`;
    }
    chains.push(`${base},setsar=1,format=yuv420p[bg${i}]`);
    let cur = `bg${i}`;
    // 2. the avatar placeholder
    if (scene.avatar) {
      const source = avatarMask(scene.avatar.shape, scene.avatar.visible, fps);
      const mask = masks.get(source) ?? { source, users: [] };
      mask.users.push(`av${i}`);
      masks.set(source, mask);
      const v = scene.avatar.visible;
      chains.push(`[${cur}][av${i}]overlay=x=${v.x}:y=${v.y}[ov${i}]`);
      cur = `ov${i}`;
    }
    // 3. labels, then repeat a still frame for the scene's length
    const filters = scene.decorations.map((d) => decoration(d, input.font)).filter((f) => f !== '');
    if (still) filters.push(`loop=loop=${scene.frames - 1}:size=1:start=0`);
    filters.push(`setpts=N/(${fps}*TB)`, 'format=yuv420p');
    chains.push(`[${cur}]${filters.join(',')}[v${i}]`);
    // 4. the scene's audio, cut or padded to exactly the scene's length
    const samples = Math.round(seconds * SAMPLE_RATE);
    const norm = `aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;
    if (scene.audio.kind === 'file') {
      const k = addInput(['-i', scene.audio.file]);
      chains.push(`[${k}:a]${norm},apad,atrim=end_sample=${samples},asetpts=PTS-STARTPTS[a${i}]`);
    } else {
      chains.push(`anullsrc=r=${SAMPLE_RATE}:cl=stereo,${norm},atrim=end_sample=${samples}[a${i}]`);
    }
  });

  for (const m of masks.values()) {
    const out = m.users.map((u) => `[${u}]`).join('');
    chains.push(m.users.length === 1 ? `${m.source}${out}` : `${m.source},split=${m.users.length}${out}`);
  }

  const pairs = input.scenes.map((_, i) => `[v${i}][a${i}]`).join('');
  chains.push(`${pairs}concat=n=${input.scenes.length}:v=1:a=1[vc][aout]`);
  let video = 'vc';
  const cap = input.captions;
  if (cap?.kind === 'subtitles') {
    chains.push(`[vc]subtitles=${opts({ filename: cap.srt, fontsdir: cap.fontsDir })}[vout]`);
    video = 'vout';
  } else if (cap?.kind === 'drawtext' && input.font) {
    const filters = cap.decorations.map((d) => decoration(d, input.font)).filter((f) => f !== '');
    if (filters.length > 0) {
      chains.push(`[vc]${filters.join(',')}[vout]`);
      video = 'vout';
    }
  }
  return { inputs, graph: chains.join(';\n'), maps: ['-map', `[${video}]`, '-map', '[aout]'] };
}

/** Scale a picture to the frame per `fit`; `pad` is the colour around a letterboxed picture. */
function fit(mode: Fit, dim: Dimension, pad: string): string {
  const W = dim.width;
  const H = dim.height;
  const padTo = `pad=${opts({ w: W, h: H, x: '(ow-iw)/2', y: '(oh-ih)/2', color: pad })}`;
  switch (mode) {
    case 'cover':
      return `scale=${W}:${H}:force_original_aspect_ratio=increase,crop=${W}:${H}`;
    case 'contain':
      return `scale=${W}:${H}:force_original_aspect_ratio=decrease,${padTo}`;
    case 'crop':
    case 'none':
      // Centre crop at the picture's own size; a smaller picture is centred on the pad colour.
      return `crop=${opts({ w: `min(iw,${W})`, h: `min(ih,${H})` })},${padTo}`;
  }
}

/** The mask is computed at most this many pixels across, then scaled: geq costs per pixel. */
const MASK_MAX_SIDE = 480;

/** A one-frame RGBA rounded rectangle (or circle), cut to its visible part. */
function avatarMask(shape: AvatarShape, vis: Rect, fps: number): string {
  const f = Math.min(1, MASK_MAX_SIDE / Math.max(vis.w, vis.h));
  const mw = Math.max(2, Math.round(vis.w * f));
  const mh = Math.max(2, Math.round(vis.h * f));
  // (X / f + ox, Y / f + oy): a mask pixel's position in the whole shape's coordinates
  const ox = vis.x - shape.x;
  const oy = vis.y - shape.y;
  const hw = shape.w / 2;
  const hh = shape.h / 2;
  const R = Math.min(shape.radius, hw, hh);
  const dx = `max(0,abs(X/${num(f)}+(${num(ox)})-${num(hw)})-${num(hw - R)})`;
  const dy = `max(0,abs(Y/${num(f)}+(${num(oy)})-${num(hh)})-${num(hh - R)})`;
  // one source pixel of antialiasing, whatever the mask's scale
  const alpha = `clip((${num(R)}-hypot(${dx},${dy}))*${num(f)}+0.5,0,1)*${AVATAR_ALPHA}`;
  const { r, g, b } = AVATAR_RGB;
  const scale = f < 1 ? `,scale=${vis.w}:${vis.h}` : '';
  return `color=${opts({ c: 'black', s: `${mw}x${mh}`, r: fps })},trim=end_frame=1,format=rgba,geq=${opts({ r, g, b, a: alpha })}${scale}`;
}

function decoration(d: Decoration, font: string | undefined): string {
  if (d.kind === 'box') {
    return `drawbox=${opts({ x: d.x, y: d.y, w: d.w, h: d.h, color: d.color, t: 'fill' })}`;
  }
  if (!font) return ''; // no font file: no text, rather than a failed draft
  return `drawtext=${opts({
    fontfile: font,
    textfile: d.file,
    expansion: 'none',
    fontsize: d.size,
    fontcolor: d.color ?? 'white',
    x: d.x,
    y: d.y,
    box: d.box ? 1 : undefined,
    boxcolor: d.box,
    boxborderw: d.box ? Math.max(2, Math.round(d.size / 4)) : undefined,
    line_spacing: Math.round(d.size / 5),
    enable: d.enable,
  })}`;
}
