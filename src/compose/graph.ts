/**
 * The one ffmpeg command that renders a whole video: a filter graph with one chain per scene,
 * joined by `concat`, then captions. Pure: everything on disk was prepared by `compose.ts`.
 * A scene is its background (colour, image, video) with a placeholder or a transparent avatar
 * clip on it, or a finished scene clip scaled and padded to the frame; every scene comes out at
 * the output's size, frame rate and audio format, so `concat` joins them seamlessly.
 *
 * Speed: a scene with a still background (colour, image, placeholder) is composed ONCE as a
 * single frame (background, avatar, labels) and then repeated with `loop`, so per-frame work is
 * only the encoder (and burned captions). Only video backgrounds are filtered frame by frame.
 * The avatar mask is drawn with `geq` once, on a single frame the size of the visible avatar.
 */
import { avatarImageChain, type AvatarImage } from './avatar-image.js';
import type { Dimension, Fit } from '../model/spec.js';
import { num, opts } from './escape.js';
import type { AvatarPlacement, AvatarShape, Rect } from './layout.js';

/** A scene's background as the filter graph draws it: a colour, or an image or video file fitted to the frame. */
export type GraphBackground =
  | { kind: 'color'; color: string }
  | { kind: 'image'; file: string; fit: Fit; pad: string }
  | { kind: 'video'; file: string; fit: Fit; pad: string; loop: boolean };

/** `clip`: the sound of the scene's video clip. */
export type GraphAudio = { kind: 'file'; file: string } | { kind: 'silence' } | { kind: 'clip' };

/** A video clip: a finished scene, or a transparent avatar placed on the background. */
export type GraphVideo =
  | { kind: 'scene'; file: string; decoder?: string }
  | { kind: 'alpha'; file: string; decoder?: string; place?: AvatarPlacement };

/**
 * drawtext reading its text from a file (no escaping of user text), or a filled box. `font` overrides
 * the graph's font (overlays choose theirs); `border` is the box's padding in pixels.
 */
export type Decoration =
  | { kind: 'text'; file: string; size: number; x: string; y: string; color?: string; box?: string; border?: number; font?: string; enable?: string }
  | { kind: 'box'; x: number; y: number; w: number; h: number; color: string };

/** One scene as the filter graph sees it: its length in frames, background, sound and overlays. */
export interface GraphScene {
  frames: number;
  background: GraphBackground;
  audio: GraphAudio;
  /** The draft's avatar placeholder, or the look's preview image in its place. */
  avatar?: { shape: AvatarShape; visible: Rect; image?: AvatarImage };
  video?: GraphVideo;
  decorations: Decoration[];
  /**
   * A still placeholder scene shown as consecutive parts, each with its own text on top (a silent draft's
   * script, cue by cue): each part is one composed frame, repeated, so timed text costs no drawing per
   * frame. The parts' frames add up to `frames`. Measured on a 30 s 720p draft (3-19 cues): the parts cost ~20 ms of
   * filtering; one looped frame with timed drawtext gives the very same bytes for ~10% more CPU, pre-drawn cue
   * overlays ~7% more and other pixels. What cues cost is x264 encoding each change of text, whatever draws it.
   */
  parts?: ScenePart[];
}

/** One stretch of a still scene, with the text shown over it. */
export interface ScenePart {
  frames: number;
  decorations: Decoration[];
}

/** How captions are burnt in: the subtitles filter reading an SRT, or drawtext overlays per cue. */
export type GraphCaptions =
  | { kind: 'subtitles'; srt: string; fontsDir?: string }
  | { kind: 'drawtext'; decorations: Decoration[] };

/** Everything the ffmpeg filter graph is built from: frame size and rate, scenes and captions. */
export interface GraphInput {
  dim: Dimension;
  fps: number;
  scenes: GraphScene[];
  font?: string;
  captions?: GraphCaptions;
  /** The text overlay layer, drawn over everything else (src/compose/text/layer.ts). */
  layer?: Decoration[];
  /**
   * A transparent video: every frame keeps an alpha plane (yuva420p) over a fully transparent
   * background, so what is drawn on it (avatar, text) is all that is opaque.
   */
  transparent?: boolean;
}

/** The pixel format of every chain: with alpha for a transparent video. */
function pix(input: GraphInput): string {
  return input.transparent ? 'yuva420p' : 'yuv420p';
}

/** The audio sample rate of the filter graph's output. */
export const SAMPLE_RATE = 48_000;
const AVATAR_RGB = { r: 156, g: 163, b: 175 };
const AVATAR_ALPHA = 215;

/** The ffmpeg arguments (inputs and outputs) and the filter graph to pass with `-filter_complex_script`. */
export function buildGraph(input: GraphInput): { inputs: string[]; graph: string; maps: string[] } {
  const inputs: string[] = [];
  let nextInput = 0;
  const addInput = (args: string[]): number => {
    inputs.push(...args);
    return nextInput++;
  };
  const chains: string[] = [];
  // Scenes sharing an avatar placement share one mask (drawn once, then `split`).
  const masks = new Map<string, { source: string; users: string[] }>();

  const ctx: SceneContext = { input, addInput, chains, masks };
  input.scenes.forEach((scene, i) => {
    const clipInput = scene.video ? clipChains(scene, scene.video, i, ctx) : placeholderChains(scene, i, ctx);
    chains.push(sceneAudio(scene, i, clipInput, ctx));
  });

  for (const m of masks.values()) {
    const out = m.users.map((u) => `[${u}]`).join('');
    chains.push(m.users.length === 1 ? `${m.source}${out}` : `${m.source},split=${m.users.length}${out}`);
  }
  const { video, audio } = joinScenes(input, chains);
  return { inputs, graph: chains.join(';\n'), maps: ['-map', `[${video}]`, '-map', `[${audio}]`] };
}

/** Scene `i`'s sound as `[a<i>]`, cut or padded to exactly the scene's length: its file, its clip's (`clipInput`), or silence. */
function sceneAudio(scene: GraphScene, i: number, clipInput: number | undefined, ctx: SceneContext): string {
  const samples = Math.round((scene.frames / ctx.input.fps) * SAMPLE_RATE);
  const norm = `aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;
  const audio = scene.audio;
  const k = audio.kind === 'file' ? ctx.addInput(['-i', audio.file]) : audio.kind === 'clip' ? clipInput : undefined;
  if (k !== undefined) return `[${k}:a]${norm},apad,atrim=end_sample=${samples},asetpts=PTS-STARTPTS[a${i}]`;
  return `anullsrc=r=${SAMPLE_RATE}:cl=stereo,${norm},atrim=end_sample=${samples}[a${i}]`;
}

/**
 * The scenes joined by `concat`, then burned captions, the text overlay layer and (a transparent
 * video's Opus) whole audio frames, pushed onto `chains`; returns the final video and audio labels.
 */
function joinScenes(input: GraphInput, chains: string[]): { video: string; audio: string } {
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
  const layer = (input.layer ?? []).map((d) => decoration(d, input.font)).filter((f) => f !== '');
  if (layer.length > 0) {
    chains.push(`[${video}]${layer.join(',')}[vtext]`);
    video = 'vtext';
  }
  if (!input.transparent) return { video, audio: 'aout' };
  // libopus (the WebM's sound) takes whole 20 ms frames only: concat's frames vary in size.
  chains.push(`[aout]asetnsamples=${opts({ n: SAMPLE_RATE / 50, p: 0 })}[aopus]`);
  return { video, audio: 'aopus' };
}

interface SceneContext {
  input: GraphInput;
  addInput: (args: string[]) => number;
  chains: string[];
  /** Placeholder masks by their source chain: scenes sharing a placement share one mask. */
  masks: Map<string, { source: string; users: string[] }>;
}

/** A scene made from a video clip, as `[v<i>]`; returns the clip's input (for its sound). */
function clipChains(scene: GraphScene, v: GraphVideo, i: number, ctx: SceneContext): number {
  const { input, chains } = ctx;
  const fps = input.fps;
  const dec = v.decoder ? ['-c:v', v.decoder] : [];
  const k = ctx.addInput([...dec, '-t', num(scene.frames / fps + 1), '-i', v.file]);
  const bg = v.kind === 'scene' ? sceneClip(k, scene.frames, input) : background(scene, input, ctx.addInput, true);
  chains.push(`${bg},setsar=1,format=${pix(input)}[bg${i}]`);
  let cur = `bg${i}`;
  if (v.kind === 'alpha' && v.place) {
    chains.push(...alphaAvatar(k, i, v.place, fps));
    // A clip shorter than its scene holds its last frame; a longer one is cut.
    chains.push(`[${cur}][av${i}]overlay=x=${v.place.at.x}:y=${v.place.at.y}:eof_action=repeat,trim=end_frame=${scene.frames}[ov${i}]`);
    cur = `ov${i}`;
  }
  const filters = [...decorations(scene, input.font), `setpts=N/(${fps}*TB)`, `format=${pix(input)}`];
  chains.push(`[${cur}]${filters.join(',')}[v${i}]`);
  return k;
}

/** A draft scene (background, placeholder, labels) as `[v<i>]`: a still is composed once, then repeated. */
function placeholderChains(scene: GraphScene, i: number, ctx: SceneContext): undefined {
  const { input, chains, masks } = ctx;
  const fps = input.fps;
  const still = scene.background.kind !== 'video';
  chains.push(`${background(scene, input, ctx.addInput, false)},setsar=1,format=${pix(input)}[bg${i}]`);
  let cur = `bg${i}`;
  if (scene.avatar?.image) {
    const { file, place } = scene.avatar.image;
    chains.push(avatarImageChain(ctx.addInput(['-i', file]), i, place));
    chains.push(`[${cur}][av${i}]overlay=x=${place.at.x}:y=${place.at.y}[ov${i}]`);
    cur = `ov${i}`;
  } else if (scene.avatar) {
    const source = avatarMask(scene.avatar.shape, scene.avatar.visible, fps);
    const mask = masks.get(source) ?? { source, users: [] };
    mask.users.push(`av${i}`);
    masks.set(source, mask);
    const v = scene.avatar.visible;
    chains.push(`[${cur}][av${i}]overlay=x=${v.x}:y=${v.y}[ov${i}]`);
    cur = `ov${i}`;
  }
  // labels, then repeat a still frame for the scene's length
  const filters = decorations(scene, input.font);
  const parts = still ? scene.parts : undefined;
  if (parts && parts.length > 0) {
    chains.push(...partChains(`[${cur}]`, filters, parts, i, input));
    return undefined;
  }
  if (still) filters.push(`loop=loop=${scene.frames - 1}:size=1:start=0`);
  filters.push(`setpts=N/(${fps}*TB)`, `format=${pix(input)}`);
  chains.push(`[${cur}]${filters.join(',')}[v${i}]`);
  return undefined;
}

/** A still scene's parts as `[v<i>]`: the labelled frame split, each copy given its part's text and repeated, then joined. */
function partChains(from: string, labels: string[], parts: readonly ScenePart[], i: number, input: GraphInput): string[] {
  const fps = input.fps;
  const names = parts.map((_, k) => `p${i}_${k}`);
  const chains = [`${from}${[...labels, `split=${parts.length}`].join(',')}${names.map((n) => `[${n}in]`).join('')}`];
  parts.forEach((part, k) => {
    const filters = [...decorations(part, input.font), `loop=loop=${part.frames - 1}:size=1:start=0`, `setpts=N/(${fps}*TB)`];
    chains.push(`[${names[k]}in]${filters.join(',')}[${names[k]}]`);
  });
  chains.push(`${names.map((n) => `[${n}]`).join('')}concat=n=${parts.length}:v=1:a=0,setpts=N/(${fps}*TB),format=${pix(input)}[v${i}]`);
  return chains;
}

function decorations(scene: { decorations: Decoration[] }, font: string | undefined): string[] {
  return scene.decorations.map((d) => decoration(d, font)).filter((f) => f !== '');
}

/**
 * A scene's background as a filter chain: one frame for stills (repeated to the scene's length
 * when `expand`, because a moving avatar goes on top), `frames` frames for videos.
 */
function background(
  scene: GraphScene,
  input: GraphInput,
  addInput: (args: string[]) => number,
  expand: boolean,
): string {
  const { dim, fps } = input;
  const seconds = scene.frames / fps;
  const bg = scene.background;
  const repeat = expand ? `,loop=loop=${scene.frames - 1}:size=1:start=0,setpts=N/(${fps}*TB)` : '';
  // A transparent video has no background (validation refuses one): its canvas is clear.
  if (input.transparent) return `color=${opts({ c: 'black@0', s: `${dim.width}x${dim.height}`, r: fps })},format=yuva420p,trim=end_frame=1${repeat}`;
  if (bg.kind === 'color') return `color=${opts({ c: bg.color, s: `${dim.width}x${dim.height}`, r: fps })},trim=end_frame=1${repeat}`;
  if (bg.kind === 'image') {
    // Read once and repeated by `loop`: far cheaper than decoding a looped image input per frame.
    const k = addInput(['-i', bg.file]);
    return `[${k}:v]trim=end_frame=1,${fit(bg.fit, dim, bg.pad)}${repeat}`;
  }
  const loop = bg.loop ? ['-stream_loop', '-1'] : [];
  const k = addInput([...loop, '-t', num(seconds + 1), '-i', bg.file]);
  const hold = bg.loop ? '' : `,tpad=stop_mode=clone:stop_duration=${num(seconds + 1)}`;
  return `[${k}:v]fps=${fps},setpts=PTS-STARTPTS,${fit(bg.fit, dim, bg.pad)}${hold},trim=end_frame=${scene.frames}`;
}

/** A finished scene clip at the output's frame rate and size (scaled and letterboxed, never cut). */
function sceneClip(k: number, frames: number, input: GraphInput): string {
  const { dim, fps } = input;
  const hold = num(frames / fps + 1);
  return `[${k}:v]fps=${fps},setpts=PTS-STARTPTS,${fit('contain', dim, 'black')},tpad=stop_mode=clone:stop_duration=${hold},trim=end_frame=${frames}`;
}

/** A transparent avatar clip, scaled to cover its shape, cut to what is visible (and to a circle). */
function alphaAvatar(input: number, i: number, p: AvatarPlacement, fps: number): string[] {
  const { width: w, height: h, crop: c } = p;
  // Cut the visible part out of the source first, then scale only that: the same picture as
  // scale-to-cover then crop, for far fewer scaled pixels (a closeUp keeps ~half the frame).
  const k = `max(${w}/iw,${h}/ih)`; // the cover scale factor
  const cut = opts({ w: `${c.w}/${k}`, h: `${c.h}/${k}`, x: `(iw-${w}/${k})/2+${c.x}/${k}`, y: `(ih-${h}/${k})/2+${c.y}/${k}` });
  const sized = `[${input}:v]fps=${fps},setpts=PTS-STARTPTS,crop=${cut},scale=${c.w}:${c.h},format=yuva420p`;
  if (!p.circle) return [`${sized}[av${i}]`];
  // The clip's own transparency times a circle (drawn once, at the avatar's size, and repeated).
  const r = w / 2;
  const inside = `clip((${num(r)}-hypot(X+${c.x}-${num(r)},Y+${c.y}-${num(h / 2)}))+0.5,0,1)*255`;
  return [
    `${sized},split[avc${i}][ava${i}]`,
    `[ava${i}]alphaextract[avalpha${i}]`,
    `color=${opts({ c: 'black', s: `${c.w}x${c.h}`, r: fps })},trim=end_frame=1,format=gray,geq=${opts({ lum: inside })},loop=loop=-1:size=1:start=0,setpts=N/(${fps}*TB)[circle${i}]`,
    `[avalpha${i}][circle${i}]blend=all_mode=multiply:shortest=1[avmask${i}]`,
    `[avc${i}][avmask${i}]alphamerge[av${i}]`,
  ];
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
  const file = d.font ?? font;
  if (!file) throw new Error('drawtext without a font file'); // compose always passes the bundled font
  return `drawtext=${opts({
    fontfile: file,
    textfile: d.file,
    expansion: 'none',
    fontsize: d.size,
    fontcolor: d.color ?? 'white',
    x: d.x,
    y: d.y,
    box: d.box ? 1 : undefined,
    boxcolor: d.box,
    boxborderw: d.box ? (d.border ?? Math.max(2, Math.round(d.size / 4))) : undefined,
    line_spacing: Math.round(d.size / 5),
    enable: d.enable,
  })}`;
}
