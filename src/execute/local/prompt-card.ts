/**
 * A prompt video as an offline draft: Video Agent cannot run here, so the draft is a title card that
 * shows the prompt, with the attached pictures and videos as thumbnails along the bottom (files it
 * cannot show, such as PDFs, audio or URLs, are named instead), and speaks a one-line summary when
 * espeak-ng exists. It lasts the length the plan assumes. The card is an ordinary scene with text
 * overlays, so the one compositor draws it.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { runFfmpeg } from '../../compose/ffmpeg.js';
import type { TextOverlaySpec, TextStyle } from '../../model/overlay.js';
import type { AssetRef, Dimension, SceneSpec, VideoSpec, VoiceSpec } from '../../model/spec.js';
import { round2, speechSeconds } from '../../plan/estimate.js';

const CARD_COLOR = '#1E293B';
const TILE_PAD = '0x0F172A';
const CARD_VOICE: VoiceSpec = { id: 'prompt', label: 'prompt', speed: 1, pitch: 0 };
/** At most this many thumbnails: beyond it, tiles would be too small to read. */
const MAX_THUMBNAILS = 6;
/** Characters per line and lines of the prompt on the card (the whole prompt is in the manifest). */
const LINE_CHARS = 56;
const MAX_LINES = 7;
const SUMMARY_WORDS = 24;
const PICTURE = /\.(png|jpe?g|webp|gif|bmp|mp4|mov|webm|m4v)$/i;

/** A drafted prompt video and what to remove once it is rendered. */
export interface PromptDraft {
  spec: VideoSpec;
  cleanup(): Promise<void>;
}

/** What drawing the card needs: the project root, a scratch folder of this render's own, an abort signal. */
export interface PromptCardContext {
  root: string;
  workDir: string;
  signal?: AbortSignal;
}

/** The spec a prompt video is drafted as: one title card lasting the assumed length. */
export async function promptDraftSpec(spec: VideoSpec, ctx: PromptCardContext): Promise<PromptDraft> {
  const p = spec.prompt;
  if (!p) return { spec, cleanup: () => Promise.resolve() };
  const dim: Dimension = p.orientation === 'portrait' ? { width: 720, height: 1280 } : { width: 1280, height: 720 };
  const pictures = promptPictures(spec);
  const named = p.files.filter((f) => !pictures.includes(f as never)).map((f) => (f.kind === 'local' ? path.posix.basename(f.path) : f.url));
  const sheet = pictures.length > 0 ? path.join(ctx.workDir, `prompt-card-${process.pid}-${Date.now()}.png`) : undefined;
  if (sheet) await drawThumbnails(pictures.map((f) => path.resolve(ctx.root, f.path)), dim, sheet, ctx.signal);
  const summary = oneLine(p.text);
  const pad = round2(Math.max(0, p.seconds - speechSeconds(summary)));
  const scene: SceneSpec = {
    input: { type: 'script', text: pad > 0 ? `${summary} <break time="${pad}s"/>` : summary },
    voice: CARD_VOICE,
    background: sheet ? { type: 'image', source: { kind: 'local', path: sheet, sha256: '', size: 0 }, fit: 'contain' } : { type: 'color', color: CARD_COLOR },
  };
  const { avatar: _agentPicks, ...rest } = spec;
  const drafted: VideoSpec = { ...rest, dimension: dim, scenes: [scene], text: cardText(p.text, named, p.statedAs, p.seconds, dim) };
  return { spec: drafted, cleanup: () => (sheet ? rm(sheet, { force: true }) : Promise.resolve()) };
}

/** The local pictures and videos a prompt video's draft shows as thumbnails (its first MAX_THUMBNAILS). */
export function promptPictures(spec: VideoSpec): Extract<AssetRef, { kind: 'local' }>[] {
  const files = spec.prompt?.files ?? [];
  return files.filter((f): f is Extract<AssetRef, { kind: 'local' }> => f.kind === 'local' && PICTURE.test(f.path)).slice(0, MAX_THUMBNAILS);
}

/** The first sentence of the prompt, at most SUMMARY_WORDS words: what the draft says aloud. */
export function oneLine(prompt: string): string {
  const first = (prompt.trim().split(/(?<=[.!?])\s+/)[0] ?? '').replace(/\s+/g, ' ');
  const words = first.split(' ');
  const cut = words.length > SUMMARY_WORDS ? `${words.slice(0, SUMMARY_WORDS).join(' ')}…` : first;
  return `Prompt video: ${cut}`;
}

/** The prompt wrapped at word boundaries into at most MAX_LINES lines, the last one ending in … when cut. */
export function wrap(text: string, width = LINE_CHARS, lines = MAX_LINES): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length <= width || line === '') line = next.length > width ? `${next.slice(0, width - 1)}…` : next;
    else {
      out.push(line);
      line = word.length > width ? `${word.slice(0, width - 1)}…` : word;
    }
    if (out.length === lines) break;
  }
  if (out.length < lines && line !== '') out.push(line);
  const whole = out.join(' ').replace(/…/g, '').length >= text.replace(/\s+/g, ' ').trim().length;
  if (!whole && out.length > 0) out[out.length - 1] = `${out[out.length - 1]!.replace(/…$/, '').slice(0, width - 1)}…`;
  return out;
}

function style(size: number, font: TextStyle['font'], background?: string): TextStyle {
  return { font, size, color: '#FFFFFF', align: 'center', padding: Math.round(size / 3), ...(background ? { background } : {}) };
}

/** The card's text: a title with the assumed length, the prompt, and the files not shown as thumbnails. */
function cardText(prompt: string, named: string[], statedAs: string | undefined, seconds: number, dim: Dimension): TextOverlaySpec[] {
  const s = Math.min(dim.width, dim.height);
  const at = (y: number) => ({ x: { value: 50, unit: '%' as const }, y: { value: y, unit: '%' as const } });
  const length = statedAs !== undefined ? `${seconds} s ("${statedAs}")` : `${seconds} s (assumed)`;
  const out: TextOverlaySpec[] = [
    { value: { default: `PROMPT VIDEO · Video Agent · ${length}` }, position: at(10), start: 0, style: style(Math.round(s * 0.045), 'sans-bold') },
    { value: { default: wrap(prompt, dim.width < dim.height ? 30 : LINE_CHARS).join('\n') }, position: at(20), start: 0, style: style(Math.round(s * 0.036), 'sans', '#00000099') },
  ];
  if (named.length > 0) {
    const list = named.map((n) => (n.length > 48 ? `${n.slice(0, 47)}…` : n)).slice(0, 4).join(', ') + (named.length > 4 ? ` and ${named.length - 4} more` : '');
    out.push({ value: { default: `also attached: ${list}` }, position: at(62), start: 0, style: style(Math.round(s * 0.03), 'sans', '#00000099') });
  }
  return out;
}

/**
 * A frame-sized PNG: the card colour with one thumbnail per picture (a video's first frame) in a row
 * along the bottom, each fitted into its tile.
 */
async function drawThumbnails(files: string[], dim: Dimension, out: string, signal?: AbortSignal): Promise<void> {
  const { width: W, height: H } = dim;
  const gap = Math.round(W * 0.02);
  const even = (n: number): number => Math.max(2, 2 * Math.floor(n / 2));
  const tileW = even(Math.min((W - gap * (files.length + 1)) / files.length, H * 0.26 * (16 / 9)));
  const tileH = even(Math.min(H * 0.26, (tileW * 9) / 16) + (W < H ? tileW * 0.3 : 0));
  const left = Math.round((W - files.length * tileW - (files.length - 1) * gap) / 2);
  const top = Math.round(H - tileH - H * 0.06);
  const inputs = files.flatMap((f) => ['-i', f]);
  const chains = files.map((_f, i) => `[${i}:v]trim=end_frame=1,scale=${tileW}:${tileH}:force_original_aspect_ratio=decrease,pad=${tileW}:${tileH}:(ow-iw)/2:(oh-ih)/2:color=${TILE_PAD},setsar=1[t${i}]`);
  let cur = 'bg';
  chains.push(`color=c=0x${CARD_COLOR.slice(1)}:s=${W}x${H},trim=end_frame=1[bg]`);
  files.forEach((_f, i) => {
    const next = `o${i}`;
    chains.push(`[${cur}][t${i}]overlay=x=${left + i * (tileW + gap)}:y=${top}[${next}]`);
    cur = next;
  });
  await runFfmpeg([...inputs, '-filter_complex', chains.join(';'), '-map', `[${cur}]`, '-frames:v', '1', '-y', out], signal ? { signal } : {});
}
