/**
 * SubRip (`.srt`, what drafts and HeyGen write) to WebVTT, the only caption format a browser's
 * `<track>` reads. The two differ in a header, the decimal comma of timestamps, and optional cue
 * numbers (VTT allows them as cue ids, so they stay).
 */

const TIMING = /^(\d{1,2}:)?(\d{2}):(\d{2})[,.](\d{3})\s+-->\s+(\d{1,2}:)?(\d{2}):(\d{2})[,.](\d{3})(.*)$/;

function stamp(h: string | undefined, m: string, s: string, ms: string): string {
  const hours = (h ?? '0:').slice(0, -1).padStart(2, '0');
  return `${hours}:${m}:${s}.${ms}`;
}

/** WebVTT text for SRT text; a BOM and Windows line ends are dropped. */
export function srtToVtt(srt: string): string {
  const lines = srt.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const out = lines.map((line) => {
    const m = TIMING.exec(line.trim());
    if (!m) return line;
    const [, h1, m1 = '', s1 = '', ms1 = '', h2, m2 = '', s2 = '', ms2 = ''] = m;
    return `${stamp(h1, m1, s1, ms1)} --> ${stamp(h2, m2, s2, ms2)}`;
  });
  return `WEBVTT\n\n${out.join('\n').trim()}\n`;
}
