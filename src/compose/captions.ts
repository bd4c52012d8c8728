/**
 * Draft captions: one cue per sentence (long sentences split), timed by spreading each scene's
 * talking time evenly over its words. Pauses (`<break/>`) keep their own length and show no cue.
 */
import { scriptSegments, sentences, words } from './script.js';

/** One caption line and when it shows, in seconds from the start of the video. */
export interface Cue {
  /** Seconds from the start of the video. */
  start: number;
  end: number;
  text: string;
}

/** Where a scene sits in the video and what it says, the input for making its caption cues. */
export interface CaptionScene {
  start: number;
  seconds: number;
  /** The script, for script scenes. */
  script?: string;
}

/** A scene whose clip brought its own captions (HeyGen's SRT), which are used instead of estimated cues. */
export interface ClipCaptionScene extends CaptionScene {
  /** Cues that came with the scene's clip, relative to its start. */
  captions?: readonly { start: number; end: number; text: string }[];
}

/**
 * The whole video's cues: each scene's own cues (from its clip) shifted by the scene's start and
 * kept inside the scene, else cues spread over the scene's script.
 */
export function mergeCues(scenes: readonly ClipCaptionScene[]): Cue[] {
  const out: Cue[] = [];
  for (const scene of scenes) {
    if (!scene.captions) {
      out.push(...buildCues([scene]));
      continue;
    }
    const end = scene.start + scene.seconds;
    for (const c of [...scene.captions].sort((a, b) => a.start - b.start)) {
      const start = scene.start + Math.max(0, c.start);
      const stop = Math.min(end, scene.start + c.end);
      if (stop > start && c.text.trim() !== '') out.push({ start, end: stop, text: c.text.trim() });
    }
  }
  return out;
}

/** Longer sentences are cut into near-equal cues of at most this many words. */
const MAX_CUE_WORDS = 14;
/** Wrap cue text at about this many characters per line (the usual subtitle line length). */
const LINE_CHARS = 42;

/** Caption cues for a video's script scenes, spread over each scene's time, in order. */
export function buildCues(scenes: readonly CaptionScene[]): Cue[] {
  const cues: Cue[] = [];
  for (const scene of scenes) {
    if (scene.script === undefined) continue;
    const segments = scriptSegments(scene.script);
    const pauses = segments.reduce((t, s) => t + (s.kind === 'break' ? s.seconds : 0), 0);
    const wordTotal = segments.reduce((n, s) => n + (s.kind === 'text' ? words(s.text).length : 0), 0);
    if (wordTotal === 0) continue;
    // If a scene is shorter than its pauses (it cannot be, but be safe) squeeze pauses too.
    const squeeze = pauses > scene.seconds ? scene.seconds / pauses : 1;
    const perWord = Math.max(0, scene.seconds - pauses * squeeze) / wordTotal;
    let t = scene.start;
    for (const seg of segments) {
      if (seg.kind === 'break') {
        t += seg.seconds * squeeze;
        continue;
      }
      for (const sentence of sentences(seg.text)) {
        for (const chunk of chunkWords(words(sentence), MAX_CUE_WORDS)) {
          const start = t;
          t += chunk.length * perWord;
          cues.push({ start, end: t, text: wrap(chunk, LINE_CHARS) });
        }
      }
    }
  }
  return cues;
}

/** Split into the fewest chunks of at most `max` words, as equal as possible. */
function chunkWords(ws: string[], max: number): string[][] {
  const n = Math.ceil(ws.length / max);
  const out: string[][] = [];
  for (let i = 0; i < n; i++) out.push(ws.slice(Math.round((i * ws.length) / n), Math.round(((i + 1) * ws.length) / n)));
  return out;
}

function wrap(ws: string[], width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const w of ws) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/** `HH:MM:SS,mmm`. */
export function srtTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)},${pad(ms % 1000, 3)}`;
}

/**
 * SubRip text. Times are rounded to whole milliseconds once, at the cue boundaries, so cues stay
 * in order and never overlap; a cue too short to survive rounding is dropped.
 */
export function formatSrt(cues: readonly Cue[]): string {
  const blocks: string[] = [];
  for (const c of cues) {
    const start = Math.round(c.start * 1000);
    const end = Math.round(c.end * 1000);
    if (end <= start) continue;
    blocks.push(`${blocks.length + 1}\n${srtTime(start)} --> ${srtTime(end)}\n${c.text}\n`);
  }
  return blocks.join('\n');
}
