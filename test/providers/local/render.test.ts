import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateVideoSeconds } from '../../../src/plan/estimate.js';
import { renderDraft } from '../../../src/providers/local/index.js';
import {
  ffmpegPath,
  frameAt,
  makeMedia,
  near,
  parseSrt,
  pixel,
  probe,
  regionDiff,
  script,
  spec,
  tmpDir,
} from './helpers.js';

let root: string;
let cleanup: () => Promise<void>;
const DEFAULT_BG: [number, number, number] = [0x1f, 0x29, 0x37];
const RED: [number, number, number] = [255, 0, 0];
const BLUE: [number, number, number] = [0, 0, 255];

beforeAll(async () => {
  ({ dir: root, cleanup } = await tmpDir('draft-render-'));
  // left half red, right half blue, 4:1, to see how `cover` crops
  await makeMedia(['-f', 'lavfi', '-i', 'color=c=red:s=200x100', '-f', 'lavfi', '-i', 'color=c=blue:s=200x100',
    '-filter_complex', '[0][1]hstack', '-frames:v', '1', path.join(root, 'halves.png')]);
  await makeMedia(['-f', 'lavfi', '-i', 'color=c=red:s=100x50', '-frames:v', '1', path.join(root, 'small.png')]);
  await makeMedia(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2.5', '-ac', '1', path.join(root, 'voice.wav')]);
  // 1 s of a changing picture, to tell a looping background from a held one
  await makeMedia(['-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=12:d=1', '-pix_fmt', 'yuv420p', path.join(root, 'clip.mp4')]);
});
afterAll(() => cleanup());

const out = (name: string): string => path.join(root, 'out', name);

describe('renderDraft', () => {
  it('renders a landscape draft with the planned length, an AAC track and a valid sidecar SRT', async () => {
    const s = spec({ dimension: { width: 1280, height: 720 }, caption: 'file' }, [
      { input: { type: 'script', text: `${script(6)} Second sentence here. <break time="1s"/> And a third.` } },
      { input: { type: 'silence', seconds: 1 } },
    ]);
    const r = await renderDraft(s, { root, outFile: out('landscape.mp4'), espeak: false });
    const p = await probe(r.path);
    expect(p.video).toEqual({ width: 1280, height: 720 });
    expect(p.audio?.codec).toBe('aac');
    expect(Math.abs(p.duration - estimateVideoSeconds(s)) / estimateVideoSeconds(s)).toBeLessThan(0.1);
    expect(Math.abs(r.seconds - p.duration)).toBeLessThan(0.2);

    expect(r.captions).toBe(out('landscape.srt'));
    const cues = parseSrt(await readFile(out('landscape.srt'), 'utf8'));
    expect(cues.map((c) => c.index)).toEqual(cues.map((_, i) => i + 1));
    expect(cues.map((c) => c.text.replace(/\n/g, ' '))).toEqual([
      'word0 word1 word2 word3 word4 word5.',
      'Second sentence here.',
      'And a third.',
    ]);
    for (const [i, c] of cues.entries()) {
      expect(c.end).toBeGreaterThan(c.start);
      expect(c.end).toBeLessThanOrEqual(p.duration + 0.01);
      if (i > 0) expect(c.start).toBeGreaterThanOrEqual(cues[i - 1]!.end);
    }
    // the 1 s pause sits between the second and third cue, with no caption over it
    expect(cues[2]!.start - cues[1]!.end).toBeCloseTo(1, 1);
  });

  it('renders a portrait draft at its exact size, without captions (and drops a stale sidecar)', async () => {
    const s = spec({ dimension: { width: 720, height: 1280 } });
    const first = await renderDraft(spec({ caption: 'file' }), { root, outFile: out('portrait.mp4'), espeak: false });
    expect(first.captions).toBeDefined();
    const r = await renderDraft(s, { root, outFile: out('portrait.mp4'), espeak: false });
    const p = await probe(r.path);
    expect(p.video).toEqual({ width: 720, height: 1280 });
    expect(p.audio).toBeDefined();
    expect(Math.abs(p.duration - estimateVideoSeconds(s)) / estimateVideoSeconds(s)).toBeLessThan(0.1);
    expect(r.captions).toBeUndefined();
    await expect(stat(out('portrait.srt'))).rejects.toThrow();
  });

  it('burns captions into the picture with caption: burn, and not with caption: file', async () => {
    const scenes = [{ input: { type: 'script' as const, text: 'A caption that is long enough to see.' } }];
    const burned = await renderDraft(spec({ caption: 'burn', avatar: undefined }, scenes), { root, outFile: out('burn.mp4'), espeak: false });
    const plain = await renderDraft(spec({ caption: 'file', avatar: undefined }, scenes), { root, outFile: out('file.mp4'), espeak: false });
    expect(burned.captions).toBeDefined();
    expect(parseSrt(await readFile(burned.captions!, 'utf8'))).toHaveLength(1);
    const a = await frameAt(burned.path, 1);
    const b = await frameAt(plain.path, 1);
    expect(regionDiff(a, b, 320, { x: 60, y: 155, w: 200, h: 22 })).toBeGreaterThan(5); // captions at the bottom
    expect(regionDiff(a, b, 320, { x: 0, y: 40, w: 320, h: 60 })).toBeLessThan(0.5); // the rest is the same
  });

  it('can burn captions with drawtext (the fallback when libass is unusable), each cue in its time', async () => {
    const scenes = [{ input: { type: 'script' as const, text: 'The first caption is here. Then comes another one.' } }];
    const s = (caption: 'burn' | 'file') => spec({ caption, avatar: undefined }, scenes);
    const burned = await renderDraft(s('burn'), { root, outFile: out('burn-dt.mp4'), espeak: false, burnWith: 'drawtext' });
    const plain = await renderDraft(s('file'), { root, outFile: out('file-dt.mp4'), espeak: false });
    const cues = parseSrt(await readFile(burned.captions!, 'utf8'));
    expect(cues).toHaveLength(2);
    const mid = (c: { start: number; end: number }) => (c.start + c.end) / 2;
    const band = { x: 20, y: 140, w: 280, h: 35 };
    const a = await frameAt(burned.path, mid(cues[0]!));
    expect(regionDiff(a, await frameAt(plain.path, mid(cues[0]!)), 320, band)).toBeGreaterThan(5);
    expect(regionDiff(a, await frameAt(plain.path, mid(cues[0]!)), 320, { x: 0, y: 40, w: 320, h: 60 })).toBeLessThan(0.5);
    expect(regionDiff(a, await frameAt(burned.path, mid(cues[1]!)), 320, band)).toBeGreaterThan(5); // the text changes
  });

  it('shows a silent draft\'s script under the DRAFT mark, cue by cue: an edit of the words that keeps the length changes the picture, the same words give the same bytes', async () => {
    const s = (text: string) => spec({ caption: 'file', avatar: undefined }, [{ input: { type: 'script', text } }]);
    const words = 'The first line is here. Then comes another one.';
    const a = await renderDraft(s(words), { root, outFile: out('silent-a.mp4'), espeak: false });
    const again = await renderDraft(s(words), { root, outFile: out('silent-again.mp4'), espeak: false });
    const b = await renderDraft(s(words.replace('here', 'there')), { root, outFile: out('silent-b.mp4'), espeak: false });
    const digest = async (f: string) => createHash('sha256').update(await readFile(f)).digest('hex');
    expect(await digest(again.path)).toBe(await digest(a.path));
    expect(await digest(b.path)).not.toBe(await digest(a.path));
    expect(b.seconds).toBe(a.seconds);

    const cues = parseSrt(await readFile(a.captions!, 'utf8'));
    expect(cues).toHaveLength(2);
    const mid = (c: { start: number; end: number }) => (c.start + c.end) / 2;
    const card = { x: 0, y: 16, w: 320, h: 24 }; // under the DRAFT mark
    const [a1, b1, a2, b2] = await Promise.all([frameAt(a.path, mid(cues[0]!)), frameAt(b.path, mid(cues[0]!)), frameAt(a.path, mid(cues[1]!)), frameAt(b.path, mid(cues[1]!))]);
    expect(regionDiff(a1, b1, 320, card)).toBeGreaterThan(2); // the edited cue
    expect(regionDiff(a2, b2, 320, card)).toBeLessThan(0.5); // the cue not edited
    expect(regionDiff(a1, a2, 320, card)).toBeGreaterThan(2); // one cue, then the next
    // The bottom, where a player shows the caption track, stays clear.
    expect(regionDiff(a1, b1, 320, { x: 0, y: 60, w: 320, h: 120 })).toBeLessThan(0.5);
  });

  it('copes with spaces, quotes, colons and brackets in paths and text', async () => {
    const odd = path.join(root, "my project's [drafts]: v1, final;");
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = odd; // the work files (captions, labels) go there too
    try {
      await mkdir(odd, { recursive: true });
      const s = spec({ caption: 'burn', id: "it's: [odd], %{pts}" }, [
        { input: { type: 'script', text: "Quotes ' and : colons, [brackets]; %{pts} \\ backslash." } },
      ]);
      const r = await renderDraft(s, { root, outFile: path.join(odd, 'out put.mp4'), language: "fr: 'x'", espeak: false });
      expect((await probe(r.path)).video).toEqual({ width: 320, height: 180 });
      expect(parseSrt(await readFile(r.captions!, 'utf8'))[0]!.text).toContain("Quotes ' and : colons, [brackets];");
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('scales an image background per fit: cover crops, contain letterboxes, crop centres unscaled', async () => {
    const img = (file: string, fit: 'cover' | 'contain' | 'crop') =>
      spec({ avatar: undefined, background: { type: 'image', fit, source: { kind: 'local', path: file, sha256: 'x', size: 1 } } });
    const cover = await frameAt((await renderDraft(img('halves.png', 'cover'), { root, outFile: out('cover.mp4'), espeak: false })).path, 0.5);
    expect(near(pixel(cover, 320, 20, 170), RED)).toBe(true);
    expect(near(pixel(cover, 320, 300, 170), BLUE)).toBe(true);
    expect(near(pixel(cover, 320, 300, 3), BLUE)).toBe(true); // filled to the edge: no letterbox

    const contain = await frameAt((await renderDraft(img('halves.png', 'contain'), { root, outFile: out('contain.mp4'), espeak: false })).path, 0.5);
    expect(near(pixel(contain, 320, 20, 90), RED)).toBe(true);
    expect(near(pixel(contain, 320, 300, 90), BLUE)).toBe(true);
    expect(near(pixel(contain, 320, 300, 3), DEFAULT_BG)).toBe(true); // 320x80 picture, bars above and below
    expect(near(pixel(contain, 320, 300, 176), DEFAULT_BG)).toBe(true);

    const crop = await frameAt((await renderDraft(img('small.png', 'crop'), { root, outFile: out('crop.mp4'), espeak: false })).path, 0.5);
    expect(near(pixel(crop, 320, 160, 90), RED)).toBe(true);
    expect(near(pixel(crop, 320, 160 + 60, 90), DEFAULT_BG)).toBe(true); // 100 px wide, not stretched
  });

  it('gives an audio scene the length of its audio file, not the size estimate', async () => {
    const size = (await stat(path.join(root, 'voice.wav'))).size;
    const s = spec({}, [
      { input: { type: 'audio', source: { kind: 'local', path: 'voice.wav', sha256: 'x', size } } },
      { input: { type: 'silence', seconds: 1 } },
    ]);
    expect(estimateVideoSeconds(s)).toBeGreaterThan(5); // the byte-size estimate is far off
    const r = await renderDraft(s, { root, outFile: out('audio.mp4'), espeak: false });
    const p = await probe(r.path);
    expect(p.duration).toBeGreaterThan(3.3);
    expect(p.duration).toBeLessThan(3.7);
    expect(p.audio).toBeDefined();
  });

  it('loops a video background with play: loop and holds its last frame otherwise', async () => {
    const vid = (play: 'loop' | 'once') =>
      spec({ avatar: undefined, background: { type: 'video', play, fit: 'cover', source: { kind: 'local', path: 'clip.mp4', sha256: 'x', size: 1 } } }, [
        { input: { type: 'silence', seconds: 3 } },
      ]);
    const region = { x: 0, y: 40, w: 320, h: 140 };
    const once = await renderDraft(vid('once'), { root, outFile: out('once.mp4'), espeak: false });
    expect(regionDiff(await frameAt(once.path, 2.2), await frameAt(once.path, 2.7), 320, region)).toBeLessThan(1);
    const loop = await renderDraft(vid('loop'), { root, outFile: out('loop.mp4'), espeak: false });
    expect(regionDiff(await frameAt(loop.path, 2.2), await frameAt(loop.path, 2.7), 320, region)).toBeGreaterThan(3);
    expect((await probe(loop.path)).duration).toBeCloseTo(3, 0);
  });

  it('marks a translation draft with a language banner', async () => {
    const s = spec({ avatar: undefined });
    const base = await renderDraft(s, { root, outFile: out('base.mp4'), espeak: false });
    const es = await renderDraft(s, { root, outFile: out('base.es.mp4'), language: 'es', espeak: false });
    const p = await probe(es.path);
    expect(p.video).toEqual({ width: 320, height: 180 });
    expect(p.duration).toBeCloseTo((await probe(base.path)).duration, 1);
    expect(near(pixel(await frameAt(base.path, 0.5), 320, 300, 3), DEFAULT_BG)).toBe(true);
    expect(near(pixel(await frameAt(es.path, 0.5), 320, 300, 3), [168, 80, 13], 30)).toBe(true); // amber banner
  });

  it('speaks scripts with espeak-ng when available and lasts at least the speech', async () => {
    // A stand-in espeak-ng: 3 s of tone into the -w file, and a copy of the SSML it was given.
    const ffmpeg = await ffmpegPath();
    const fake = path.join(root, 'espeak-ng');
    await writeFile(
      fake,
      `#!/bin/sh\nwhile [ "$1" != "-w" ]; do shift; done\ncat > "$2.ssml"\nexec "${ffmpeg}" -v error -y -f lavfi -i sine=duration=3 "$2"\n`,
    );
    await chmod(fake, 0o755);
    const s = spec({}, [{ input: { type: 'script', text: 'Short. <break time="500ms"/> Text.' } }]);
    expect(estimateVideoSeconds(s)).toBeLessThan(2);
    const r = await renderDraft(s, { root, outFile: out('speech.mp4'), espeak: fake });
    expect((await probe(r.path)).duration).toBeCloseTo(3, 0);
  });

  it('fails with E_DRAFT_ASSET when a local asset is missing, leaving nothing behind', async () => {
    const s = spec({ background: { type: 'image', fit: 'cover', source: { kind: 'local', path: 'nope.png', sha256: 'x', size: 1 } } });
    await expect(renderDraft(s, { root, outFile: out('missing.mp4'), espeak: false })).rejects.toMatchObject({ code: 'E_DRAFT_ASSET' });
    expect((await readdir(path.join(root, 'out'))).filter((f) => f.includes('missing'))).toEqual([]);
  });

  it('rejects a dimension libx264 cannot encode', async () => {
    await expect(
      renderDraft(spec({ dimension: { width: 321, height: 180 } }), { root, outFile: out('odd.mp4'), espeak: false }),
    ).rejects.toMatchObject({ code: 'E_DRAFT_DIMENSION' });
  });
});

describe('renderDraft abort', () => {
  it('an abort while ffmpeg runs leaves no output and no temp file', async () => {
    const { dir, cleanup: done } = await tmpDir('draft-abort-');
    try {
      const s = spec({ dimension: { width: 1280, height: 720 }, caption: 'burn' }, [
        { input: { type: 'silence', seconds: 600 } },
        { input: { type: 'script', text: script(40) } },
      ]);
      const ac = new AbortController();
      const running = renderDraft(s, { root, outFile: path.join(dir, 'long.mp4'), espeak: false, signal: ac.signal });
      const outcome = running.then(() => 'finished', (e: unknown) => e);
      // abort once ffmpeg has created its temp output
      for (let i = 0; i < 500 && !(await readdir(dir)).some((f) => f.endsWith('.part') && f.includes('mp4')); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      ac.abort();
      const e = await outcome;
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe('AbortError');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await done();
    }
  });

  it('an already aborted signal renders nothing', async () => {
    const { dir, cleanup: done } = await tmpDir('draft-abort-');
    try {
      const ac = new AbortController();
      ac.abort();
      await expect(renderDraft(spec(), { root, outFile: path.join(dir, 'x.mp4'), espeak: false, signal: ac.signal })).rejects.toThrow();
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await done();
    }
  });
});
