/**
 * Captions of a scene clip, relative to the clip's start: HeyGen's sidecar SRT for avatar clips, or
 * cues made from the word timestamps of a speech clip. The compositor shifts and merges them.
 */
import { readFile } from 'node:fs/promises';
import { formatSrt, type Cue } from '../../compose/captions.js';

export type { Cue };

/** Words per cue when grouping TTS word timestamps (about one subtitle line). */
const WORDS_PER_CUE = 8;

/** Reads a HeyGen sidecar SRT into cues relative to the clip's start. */
export async function parseSrt(file: string): Promise<Cue[]> {
  return srtCues(await readFile(file, 'utf8'));
}

/** The cues of an SRT document; blocks that do not parse are skipped, never guessed. */
export function srtCues(text: string): Cue[] {
  const cues: Cue[] = [];
  for (const block of text.replace(/\r/g, '').split(/\n{2,}/)) {
    const lines = block.trim().split('\n');
    const timing = lines.findIndex((l) => l.includes('-->'));
    if (timing < 0) continue;
    const [a, b] = lines[timing]!.split('-->').map((s) => seconds(s.trim()));
    const textLines = lines.slice(timing + 1).join('\n').trim();
    if (a === undefined || b === undefined || textLines === '') continue;
    cues.push({ start: a, end: b, text: textLines });
  }
  return cues;
}

function seconds(stamp: string): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2})[,.](\d{1,3})/.exec(stamp);
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]!.padEnd(3, '0')) / 1000;
}

/** Word timestamps grouped into cues of a few words, ending at sentence ends. */
export function wordsToCues(words: readonly { word: string; start: number; end: number }[]): Cue[] {
  const cues: Cue[] = [];
  let group: typeof words[number][] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    cues.push({ start: group[0]!.start, end: group[group.length - 1]!.end, text: group.map((w) => w.word).join(' ') });
    group = [];
  };
  for (const w of words) {
    group.push(w);
    if (group.length >= WORDS_PER_CUE || /[.!?]$/.test(w.word)) flush();
  }
  flush();
  return cues;
}

/** Writes cues back as SRT text. */
export function cuesToSrt(cues: readonly Cue[]): string {
  return formatSrt([...cues]);
}
