/**
 * Poster frames: one JPEG per output version, taken with ffmpeg the first time the page asks for it
 * and kept in memory (a version never changes its bytes). A `<video>` with `preload=metadata` shows
 * black until played, in headless Chromium too; a real image does not depend on the browser.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from '../../compose/ffmpeg.js';

/** Enough for every video of a large project; the oldest go first. */
const MAX_POSTERS = 500;

/** Takes and keeps poster frames, one per output version. */
export class Posters {
  private readonly made = new Map<string, Promise<Buffer>>();

  /** The poster of `abs` at `version`: taken once, then served from memory. */
  get(abs: string, version: string): Promise<Buffer> {
    const key = `${version}\0${abs}`;
    let p = this.made.get(key);
    if (!p) {
      p = takeFrame(abs);
      this.made.set(key, p);
      // A failed extraction (a draft replaced mid-read) is tried again on the next request.
      p.catch(() => this.made.delete(key));
      if (this.made.size > MAX_POSTERS) this.made.delete(this.made.keys().next().value!);
    }
    return p;
  }
}

/** A frame a little into the video (the first is often a fade from black), scaled for a card. */
async function takeFrame(abs: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'hb-poster-'));
  const out = join(dir, 'poster.jpg');
  try {
    for (const at of ['0.5', '0']) {
      // A video shorter than the seek gives no frame and no error: try from the start.
      await runFfmpeg(['-ss', at, '-i', abs, '-frames:v', '1', '-vf', 'scale=640:-2', '-q:v', '4', '-y', out]);
      const jpg = await readFile(out).catch(() => undefined);
      if (jpg && jpg.length > 0) return jpg;
    }
    throw new Error(`no frame in ${abs}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
