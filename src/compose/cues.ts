/**
 * A scene's caption cues from what HeyGen returns: a clip's SRT file, or the word timings of
 * `/v3/voices/speech`. Both come out relative to the scene's start, ready for `Clip.captions`.
 */
import type { ClipCue } from './types.js';

/** Same limits as the drafts' cues (captions.ts): at most 14 words a cue, lines of ~42 characters. */
const MAX_CUE_WORDS = 14;
const LINE_CHARS = 42;

/**
 * The cues of a SubRip text. Lenient about what encoders vary on (CRLF, a BOM, `.` or `,` before the
 * milliseconds, missing index lines); a block without a valid time line is skipped.
 */
export function parseSrtCues(text: string): ClipCue[] {
  const out: ClipCue[] = [];
  const blocks = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const at = lines.findIndex((l) => l.includes('-->'));
    if (at < 0) continue;
    const m = /(\d+):(\d{2}):(\d{2})[,.](\d{1,3})\s*-->\s*(\d+):(\d{2}):(\d{2})[,.](\d{1,3})/.exec(lines[at]!);
    if (!m) continue;
    const t = (h: string, mi: string, s: string, ms: string): number => Number(h) * 3600 + Number(mi) * 60 + Number(s) + Number(ms.padEnd(3, '0')) / 1000;
    const body = lines.slice(at + 1).join('\n').trim();
    if (body === '') continue;
    out.push({ start: t(m[1]!, m[2]!, m[3]!, m[4]!), end: t(m[5]!, m[6]!, m[7]!, m[8]!), text: body });
  }
  return out;
}

export interface WordTiming {
  word: string;
  start: number;
  end: number;
}

/** Cues from word timings: a cue ends at a sentence's end or after 14 words, and shows while its words are spoken. */
export function wordCues(words: readonly WordTiming[]): ClipCue[] {
  const out: ClipCue[] = [];
  let group: WordTiming[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    out.push({ start: group[0]!.start, end: group[group.length - 1]!.end, text: wrap(group.map((w) => w.word.trim())) });
    group = [];
  };
  for (const w of words) {
    if (w.word.trim() === '' || !(w.end >= w.start)) continue;
    group.push(w);
    if (/[.!?…]["'”’)\]]*$/.test(w.word.trim()) || group.length >= MAX_CUE_WORDS) flush();
  }
  flush();
  return out;
}

function wrap(ws: string[]): string {
  const lines: string[] = [];
  let line = '';
  for (const w of ws) {
    if (line !== '' && line.length + 1 + w.length > LINE_CHARS) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
