import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Clip } from '../../src/compose/index.js';
import type { SceneSpec } from '../../src/model/spec.js';
import { estimateSceneSeconds } from '../../src/plan/estimate.js';
import { renderDraft } from '../../src/providers/local/index.js';
import { ffmpegPath, frameAt, makeMedia, near, parseSrt, pixel, probe, script, spec, tmpDir } from '../providers/local/helpers.js';

const exec = promisify(execFile);
const W = 320;
const H = 180;
const GREEN: [number, number, number] = [0, 255, 0];
const RED: [number, number, number] = [255, 0, 0];
const BLUE: [number, number, number] = [0, 0, 255];

let root: string;
let cleanup: () => Promise<void>;
const file = (name: string): string => path.join(root, name);
const out = (name: string): string => path.join(root, 'out', name);
const greenBg = { type: 'image' as const, fit: 'cover' as const, source: { kind: 'local' as const, path: 'green.png', sha256: 'x', size: 1 } };

/** An H.264 + AAC clip: a solid colour, `seconds` long, at the given size, rate and sound. */
async function clip(name: string, o: { color: string; size: string; fps: number; seconds: number; preset?: string; ar?: number; ac?: number }): Promise<string> {
  await makeMedia([
    '-f', 'lavfi', '-i', `color=c=${o.color}:s=${o.size}:r=${o.fps}:d=${o.seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=300:sample_rate=${o.ar ?? 48000}:duration=${o.seconds}`,
    '-c:v', 'libx264', '-preset', o.preset ?? 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-ar', String(o.ar ?? 48000), '-ac', String(o.ac ?? 2), '-shortest', file(name),
  ]);
  return file(name);
}

/** The size and md5 of every video packet, in order: equal lists mean the very same bitstream. */
async function videoPackets(f: string): Promise<string[]> {
  const { stdout } = await exec(await ffmpegPath(), ['-v', 'error', '-i', f, '-map', '0:v', '-c', 'copy', '-f', 'framemd5', '-']);
  return stdout
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(',').slice(-2).map((s) => s.trim()).join(' '));
}

/** Each stream's end time: where the sound ends against where the picture ends. */
async function streamTimes(f: string): Promise<{ video: number; audio: number }> {
  const { ffprobePath } = await import('../providers/local/helpers.js');
  const { stdout } = await exec(ffprobePath, ['-v', 'error', '-show_entries', 'stream=codec_type,start_time,duration', '-of', 'json', f]);
  const streams = (JSON.parse(stdout) as { streams: { codec_type: string; start_time: string; duration: string }[] }).streams;
  const end = (t: string): number => {
    const s = streams.find((x) => x.codec_type === t)!;
    return Number(s.start_time) + Number(s.duration);
  };
  return { video: end('video'), audio: end('audio') };
}

beforeAll(async () => {
  ({ dir: root, cleanup } = await tmpDir('compose-'));
  await makeMedia(['-f', 'lavfi', '-i', 'color=c=0x00FF00:s=160x90', '-frames:v', '1', file('green.png')]);
  // A transparent 320x180 avatar: an opaque red box (x 120-200, y 40-140) on nothing, with speech.
  await makeMedia([
    '-f', 'lavfi', '-i', `color=c=black@0:s=${W}x${H}:r=25:d=1.2,format=yuva420p[base];color=c=red:s=80x100:r=25,format=yuva420p[box];[base][box]overlay=x=120:y=40:shortest=1`,
    '-f', 'lavfi', '-i', 'sine=frequency=220:duration=1.2',
    '-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p', '-auto-alt-ref', '0', '-deadline', 'realtime', '-c:a', 'libopus', '-shortest', file('avatar.webm'),
  ]);
  await makeMedia(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1.3', '-ac', '1', file('narration.wav')]);
});
afterAll(() => cleanup());

describe('compose', () => {
  it('lays a transparent WebM avatar over an image background, keeping its alpha', async () => {
    const s = spec({ background: greenBg }, [{ input: { type: 'script', text: script(4) } }]);
    const r = await compose(s, [{ kind: 'alpha', path: file('avatar.webm') }], { root, outFile: out('alpha.mp4'), fps: 25 });
    expect(r.reencoded).toBe(true);
    expect(r.scenes).toEqual([{ start: 0, seconds: 1.2, frames: 30 }]);
    const p = await probe(r.path);
    expect(p.video).toEqual({ width: W, height: H });
    expect(p.audio?.codec).toBe('aac');
    expect(Math.abs(p.duration - 1.2)).toBeLessThan(0.05);
    // The normal style's box is x 128-192, y 36-180: the clip is scaled to cover it.
    const f = await frameAt(r.path, 0.6);
    expect(near(pixel(f, W, 20, 20), GREEN)).toBe(true); // outside the avatar
    expect(near(pixel(f, W, 160, 120), RED)).toBe(true); // the avatar's opaque part
    expect(near(pixel(f, W, 160, 42), GREEN)).toBe(true); // inside its box but transparent: not black
  });

  it('moves the avatar by its offset, cutting what falls off the frame', async () => {
    // offset x 0.4 moves the 64 px wide box from x 128-192 to x 256-320: its right edge meets the frame's
    const avatar = { id: 'a', label: 'A', style: 'normal' as const, scale: 1, offset: { x: 0.4, y: 0 } };
    const s = spec({ background: greenBg, avatar }, [{ input: { type: 'silence', seconds: 0.5 } }]);
    const r = await compose(s, [{ kind: 'alpha', path: file('avatar.webm'), seconds: 0.5 }], { root, outFile: out('offset.mp4'), fps: 25 });
    expect(r.scenes).toEqual([{ start: 0, seconds: 0.52, frames: 13 }]);
    const f = await frameAt(r.path, 0.2);
    expect(near(pixel(f, W, 300, 120), RED)).toBe(true);
    expect(near(pixel(f, W, 160, 120), GREEN)).toBe(true); // no longer in the middle
    expect(near(pixel(f, W, 240, 120), GREEN)).toBe(true);
  });

  it('lays the avatar over a moving video background', async () => {
    await makeMedia(['-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=25:d=0.4', '-pix_fmt', 'yuv420p', file('moving.mp4')]);
    const bg = { type: 'video' as const, play: 'loop' as const, fit: 'cover' as const, source: { kind: 'local' as const, path: 'moving.mp4', sha256: 'x', size: 1 } };
    const r = await compose(spec({ background: bg }, [{ input: { type: 'silence', seconds: 1 } }]), [{ kind: 'alpha', path: file('avatar.webm') }], {
      root, outFile: out('alpha-video.mp4'), fps: 25,
    });
    expect(Math.abs((await probe(r.path)).duration - 1.2)).toBeLessThan(0.05);
    const [a, b] = [await frameAt(r.path, 0.1), await frameAt(r.path, 0.3)];
    expect(near(pixel(a, W, 160, 120), RED)).toBe(true);
    expect(pixel(a, W, 20, 20)).not.toEqual(pixel(b, W, 20, 20)); // the background moves under it
  });

  it('cuts a circle avatar to its circle', async () => {
    const avatar = { id: 'a', label: 'A', style: 'circle' as const, scale: 1, offset: { x: 0, y: 0 } };
    // A fully opaque avatar makes the cut visible: red inside the circle, background outside.
    await makeMedia(['-f', 'lavfi', '-i', `color=c=red:s=${W}x${H}:r=25:d=0.5,format=rgba`, '-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p',
      '-auto-alt-ref', '0', '-deadline', 'realtime', file('opaque.webm')]);
    const s = spec({ background: greenBg, avatar }, [{ input: { type: 'silence', seconds: 0.5 } }]);
    const r = await compose(s, [{ kind: 'alpha', path: file('opaque.webm') }], { root, outFile: out('circle.mp4'), fps: 25 });
    const f = await frameAt(r.path, 0.2);
    // the circle is 90 px across, centred at (160, 90)
    expect(near(pixel(f, W, 160, 90), RED)).toBe(true);
    expect(near(pixel(f, W, 118, 50), GREEN)).toBe(true); // inside its square, outside the circle
    expect(near(pixel(f, W, 20, 90), GREEN)).toBe(true);
  });

  it('normalizes scene clips of other sizes, rates and sound formats, and joins them', async () => {
    const a = await clip('wide.mp4', { color: 'red', size: '640x360', fps: 30, seconds: 1, ar: 44100, ac: 1 });
    const b = await clip('square.mp4', { color: 'blue', size: '120x120', fps: 25, seconds: 1.5 });
    const s = spec({}, [{ input: { type: 'silence', seconds: 1 } }, { input: { type: 'silence', seconds: 1.5 } }]);
    const r = await compose(s, [{ kind: 'scene', path: a }, { kind: 'scene', path: b }], { root, outFile: out('mixed.mp4'), fps: 25 });
    expect(r.reencoded).toBe(true);
    expect(r.scenes.map((x) => [x.start, x.frames])).toEqual([[0, 25], [1, 38]]);
    const p = await probe(r.path);
    expect(p.video).toEqual({ width: W, height: H });
    expect(Math.abs(p.duration - 2.5)).toBeLessThanOrEqual(1 / 25 + 1e-3);
    const { stdout } = await exec((await import('../providers/local/helpers.js')).ffprobePath,
      ['-v', 'error', '-show_entries', 'stream=codec_type,sample_rate,channels,r_frame_rate', '-of', 'json', r.path]);
    const streams = (JSON.parse(stdout) as { streams: { codec_type: string; sample_rate?: string; channels?: number; r_frame_rate: string }[] }).streams;
    expect(streams.find((x) => x.codec_type === 'audio')).toMatchObject({ sample_rate: '48000', channels: 2 });
    expect(streams.find((x) => x.codec_type === 'video')?.r_frame_rate).toBe('25/1');
    const second = await frameAt(r.path, 1.8);
    expect(near(pixel(second, W, 160, 90), BLUE)).toBe(true); // the square clip, letterboxed:
    expect(near(pixel(second, W, 20, 90), [0, 0, 0])).toBe(true); // black bars at its sides
    expect(near(pixel(await frameAt(r.path, 0.5), W, 20, 90), RED)).toBe(true); // the wide one fills the frame
  });

  it('joins matching scene clips by stream copy: the same picture packets, no video encode, sound in sync', async () => {
    // Encoded with settings compose never uses, so a re-encode could not reproduce the packets.
    const a = await clip('m1.mp4', { color: 'red', size: `${W}x${H}`, fps: 25, seconds: 1, preset: 'veryslow' });
    const b = await clip('m2.mp4', { color: 'blue', size: `${W}x${H}`, fps: 25, seconds: 1.6, preset: 'veryslow' });
    const s = spec({ caption: 'file' }, [{ input: { type: 'silence', seconds: 1 } }, { input: { type: 'silence', seconds: 1.6 } }]);
    const r = await compose(s, [{ kind: 'scene', path: a }, { kind: 'scene', path: b }], { root, outFile: out('copy.mp4') });
    expect(r.reencoded).toBe(false);
    expect(r.fps).toBe(25);
    const [pa, pb, po] = await Promise.all([probe(a), probe(b), probe(r.path)]);
    expect(Math.abs(po.duration - (pa.duration + pb.duration))).toBeLessThanOrEqual(1 / 25);
    const streams = await streamTimes(r.path);
    expect(Math.abs(streams.audio - streams.video)).toBeLessThan(1 / 25); // no drift at the joins
    expect(r.scenes[1]!.start).toBeCloseTo(pa.duration, 2);
    expect(await videoPackets(r.path)).toEqual([...(await videoPackets(a)), ...(await videoPackets(b))]);
    expect(near(pixel(await frameAt(r.path, pa.duration + 0.5), W, 160, 90), BLUE)).toBe(true); // it plays
    expect(await readFile(r.captions!, 'utf8')).toBe(''); // captions on, no cues: an empty sidecar
  });

  it('merges each scene\'s captions at its start into one sidecar, and burns that same file', async () => {
    const a = await clip('c1.mp4', { color: 'red', size: `${W}x${H}`, fps: 25, seconds: 1.2 });
    const b = await clip('c2.mp4', { color: 'red', size: `${W}x${H}`, fps: 25, seconds: 2 });
    const clips: Clip[] = [
      { kind: 'scene', path: a, captions: [{ start: 0.1, end: 0.9, text: 'First scene.' }] },
      // The second cue runs past its scene's end: it is cut there.
      { kind: 'scene', path: b, captions: [{ start: 0.25, end: 1, text: 'Second scene.' }, { start: 1.2, end: 9, text: 'Last words.' }] },
    ];
    const scenes: SceneSpec[] = [{ input: { type: 'script', text: 'First scene.' } }, { input: { type: 'script', text: 'Second scene. Last words.' } }];
    const filed = await compose(spec({ caption: 'file', avatar: undefined }, scenes), clips, { root, outFile: out('cues.mp4') });
    const cues = parseSrt(await readFile(filed.captions!, 'utf8'));
    expect(cues.map((c) => [c.start, c.end, c.text])).toEqual([
      [0.1, 0.9, 'First scene.'],
      [1.45, 2.2, 'Second scene.'],
      [2.4, 3.2, 'Last words.'],
    ]);
    expect(filed.reencoded).toBe(false);

    const burned = await compose(spec({ caption: 'burn', avatar: undefined }, scenes), clips, { root, outFile: out('cues-burn.mp4') });
    expect(burned.reencoded).toBe(true);
    expect(await readFile(burned.captions!, 'utf8')).toBe(await readFile(filed.captions!, 'utf8'));
    // the caption band differs from the plain red clip while a cue shows, and not between cues
    const band = (f: Buffer): number => {
      let off = 0;
      for (let x = 60; x < 260; x++) for (let y = 140; y < 178; y++) off += near(pixel(f, W, x, y), RED, 40) ? 0 : 1;
      return off;
    };
    expect(band(await frameAt(burned.path, 1.8))).toBeGreaterThan(50);
    expect(band(await frameAt(burned.path, 1.3))).toBe(0);
  });

  it('plays narration over the scene\'s background for as long as the narration lasts', async () => {
    const s = spec({ background: greenBg, avatar: undefined }, [{ input: { type: 'script', text: script(20) } }]);
    const r = await compose(s, [{ kind: 'audio', path: file('narration.wav') }], { root, outFile: out('narration.mp4'), fps: 25 });
    const p = await probe(r.path);
    expect(Math.abs(p.duration - 1.32)).toBeLessThanOrEqual(0.05);
    expect(p.audio?.codec).toBe('aac');
    expect(near(pixel(await frameAt(r.path, 0.5), W, 160, 20), GREEN)).toBe(true); // no DRAFT mark, no placeholder
  });

  it('gives a draft and its composed final the same length and scene boundaries', async () => {
    const s = spec({ background: { type: 'color', color: '#00FF00' } }, [
      { input: { type: 'script', text: script(6) } },
      { input: { type: 'silence', seconds: 1 } },
      { input: { type: 'script', text: script(3) } },
    ]);
    const seconds = s.scenes.map((_, i) => estimateSceneSeconds(s, i));
    const clips: Clip[] = [];
    for (const [i, sec] of seconds.entries()) {
      clips.push({ kind: 'scene', path: await clip(`final${i}.mp4`, { color: 'green', size: `${W}x${H}`, fps: 25, seconds: sec }), seconds: sec });
    }
    const draftRun = await compose(s, s.scenes.map(() => ({ kind: 'placeholder' as const })), { root, outFile: out('d.mp4'), fps: 12, espeak: false });
    const draft = await renderDraft(s, { root, outFile: out('d2.mp4'), espeak: false });
    const final = await compose(s, clips, { root, outFile: out('f.mp4'), fps: 25 });
    expect(draft.seconds).toBe(draftRun.seconds);
    const [pd, pf] = await Promise.all([probe(draft.path), probe(final.path)]);
    expect(Math.abs(pd.duration - pf.duration)).toBeLessThanOrEqual(1 / 12);
    for (const [i, d] of draftRun.scenes.entries()) {
      expect(Math.abs(d.start - final.scenes[i]!.start)).toBeLessThanOrEqual(1 / 12);
      expect(Math.abs(d.seconds - final.scenes[i]!.seconds)).toBeLessThanOrEqual(1 / 12);
    }
  });


  it('a local asset gone since the manifests were read: the hint names the manifest and the folder its paths are relative to', async () => {
    // The loader resolved `assets/gone.png`, written in videos/intro.yaml, to videos/assets/gone.png.
    const gone = { type: 'image' as const, fit: 'cover' as const, source: { kind: 'local' as const, path: 'videos/assets/gone.png', sha256: 'x', size: 1 } };
    const audio = { kind: 'local' as const, path: 'videos/gone.mp3', sha256: 'x', size: 1 };
    const cases = [
      { code: 'E_DRAFT_ASSET', asset: 'videos/assets/gone.png', run: () => compose(spec({ background: gone }, [{ input: { type: 'silence', seconds: 1 } }]), [{ kind: 'placeholder' }], { root, outFile: out('gone-a.mp4'), espeak: false }) },
      { code: 'E_DRAFT_ASSET', asset: 'videos/gone.mp3', run: () => compose(spec({}, [{ input: { type: 'audio', source: audio } }]), [{ kind: 'placeholder' }], { root, outFile: out('gone-b.mp4'), espeak: false }) },
      { code: 'E_COMPOSE_ASSET', asset: 'videos/assets/gone.png', run: () => compose(spec({ background: gone }, [{ input: { type: 'silence', seconds: 1 } }]), [{ kind: 'alpha', path: file('avatar.webm') }], { root, outFile: out('gone-c.mp4'), fps: 25 }) },
    ];
    for (const c of cases) {
      const e = (await c.run().then(() => undefined, (x: unknown) => x)) as { code: string; message: string; hint: string };
      expect(e).toMatchObject({ code: c.code, message: expect.stringContaining(`asset not found: ${c.asset}`) as string });
      expect(e.hint).toBe(`put the file back at ${c.asset}, or fix the path in videos/intro.yaml: paths there are relative to its folder, videos/ (paths in the config's defaults: to the project root)`);
    }
  });
  it('a composed video over a corrupt background image: E_COMPOSE_ASSET naming the manifest, scene and file, nothing left behind', async () => {
    await (await import('node:fs/promises')).writeFile(file('cut.png'), (await readFile(file('green.png'))).subarray(0, 40));
    const cut = { type: 'image' as const, fit: 'cover' as const, source: { kind: 'local' as const, path: 'cut.png', sha256: 'cut', size: 40 } };
    const s = spec({}, [{ input: { type: 'silence', seconds: 1 } }, { input: { type: 'silence', seconds: 1 }, background: cut }]);
    const run = compose(s, [{ kind: 'alpha', path: file('avatar.webm') }, { kind: 'alpha', path: file('avatar.webm') }], { root, outFile: out('cut-bg.mp4'), fps: 25 });
    await expect(run).rejects.toMatchObject({
      code: 'E_COMPOSE_ASSET',
      message: expect.stringMatching(/^videos\/intro\.yaml, scene 2's background: cannot read the image cut\.png: the file is cut short/) as string,
      hint: expect.stringContaining('re-export cut.png as PNG or JPEG') as string,
    });
    expect((await readdir(path.join(root, 'out'))).filter((f) => f.includes('cut-bg'))).toEqual([]);
  });

  it('a corrupt local video background fails before ffmpeg: E_COMPOSE_ASSET (composed) or E_DRAFT_ASSET (draft) naming the manifest, scene and file', async () => {
    const { writeFile } = await import('node:fs/promises');
    await clip('bg-ok.mp4', { color: 'blue', size: '160x90', fps: 25, seconds: 1 });
    // The first 300 bytes of a real MP4: a header with no movie behind it.
    await writeFile(file('bg-cut.mp4'), (await readFile(file('bg-ok.mp4'))).subarray(0, 300));
    const cut = { type: 'video' as const, fit: 'cover' as const, play: 'loop' as const, source: { kind: 'local' as const, path: 'bg-cut.mp4', sha256: 'cut-video', size: 300 } };
    const s = spec({}, [{ input: { type: 'silence', seconds: 1 } }, { input: { type: 'silence', seconds: 1 }, background: cut }]);
    const composed = compose(s, [{ kind: 'alpha', path: file('avatar.webm') }, { kind: 'alpha', path: file('avatar.webm') }], { root, outFile: out('cut-video.mp4'), fps: 25 });
    const hint = expect.stringContaining('re-export bg-cut.mp4 as MP4 (H.264) or WebM') as string;
    await expect(composed).rejects.toMatchObject({ code: 'E_COMPOSE_ASSET', message: expect.stringMatching(/^videos\/intro\.yaml, scene 2's background: cannot read the video bg-cut\.mp4: ffmpeg cannot read its length/) as string, hint });
    const draft = compose(s, [{ kind: 'placeholder' }, { kind: 'placeholder' }], { root, outFile: out('cut-video-draft.mp4'), espeak: false });
    await expect(draft).rejects.toMatchObject({ code: 'E_DRAFT_ASSET', message: expect.stringContaining("videos/intro.yaml, scene 2's background: cannot read the video bg-cut.mp4") as string, hint });
    expect((await readdir(path.join(root, 'out'))).filter((f) => f.includes('cut-video'))).toEqual([]);
  });

  it('probes a video background shared by many scenes and videos once per content', async () => {
    const { writeFile, chmod, readFile: read } = await import('node:fs/promises');
    const { findFfmpeg } = await import('../../src/compose/index.js');
    const real = await findFfmpeg();
    if (!real.ffprobe) return; // the count is of ffprobe runs
    // An ffprobe that notes each file it is asked about, then runs the real one.
    const log = file('probes.log');
    const wrapper = file('ffprobe-counting.sh');
    await writeFile(wrapper, `#!/bin/sh\nfor a in "$@"; do last="$a"; done\necho "$last" >> '${log}'\nexec '${real.ffprobe}' "$@"\n`);
    await chmod(wrapper, 0o755);
    await clip('bg-shared.mp4', { color: 'blue', size: '160x90', fps: 25, seconds: 1 });
    const shared = { type: 'video' as const, fit: 'cover' as const, play: 'loop' as const, source: { kind: 'local' as const, path: 'bg-shared.mp4', sha256: 'shared-video-bg', size: 1 } };
    const s = spec({ background: shared }, [{ input: { type: 'silence', seconds: 0.5 } }, { input: { type: 'silence', seconds: 0.5 } }]);
    const tools = { ...real, ffprobe: wrapper };
    for (const name of ['shared-a.mp4', 'shared-b.mp4']) {
      await compose(s, [{ kind: 'placeholder' }, { kind: 'placeholder' }], { root, outFile: out(name), espeak: false, tools, fps: 12 });
    }
    const probed = (await read(log, 'utf8')).split('\n').filter((l) => l.endsWith('bg-shared.mp4'));
    expect(probed).toHaveLength(1);

    // A URL video background: its local copy (.heygen/remote/, replaced whole when the URL changes) is
    // probed once per copy, not once per video that uses it.
    await clip('url-copy.mp4', { color: 'blue', size: '160x90', fps: 25, seconds: 1 });
    const url = 'https://cdn.example.com/loop.mp4';
    const byUrl = { type: 'video' as const, fit: 'cover' as const, play: 'loop' as const, source: { kind: 'url' as const, url } };
    const u = spec({ background: byUrl }, [{ input: { type: 'silence', seconds: 0.5 } }]);
    for (const name of ['url-a.mp4', 'url-b.mp4']) {
      await compose(u, [{ kind: 'alpha', path: file('avatar.webm') }], { root, outFile: out(name), tools, fps: 12, assets: new Map([[url, file('url-copy.mp4')]]) });
    }
    expect((await read(log, 'utf8')).split('\n').filter((l) => l.endsWith('url-copy.mp4'))).toHaveLength(1);
  });

  it('fails with E_COMPOSE_CLIP for a clip that is not media, leaving nothing behind', async () => {
    const bad = file('broken.mp4');
    await (await import('node:fs/promises')).writeFile(bad, 'not a video');
    const s = spec({}, [{ input: { type: 'silence', seconds: 1 } }]);
    await expect(compose(s, [{ kind: 'scene', path: bad }], { root, outFile: out('broken-out.mp4') })).rejects.toMatchObject({ code: 'E_COMPOSE_CLIP' });
    expect((await readdir(path.join(root, 'out'))).filter((f) => f.includes('broken'))).toEqual([]);
  });

  it('an abort while ffmpeg composes leaves no output and no temp file', async () => {
    const { dir, cleanup: done } = await tmpDir('compose-abort-');
    try {
      const long = await clip('long.mp4', { color: 'red', size: '160x90', fps: 25, seconds: 1 });
      const s = spec({ dimension: { width: 1280, height: 720 } }, [{ input: { type: 'silence', seconds: 600 } }]);
      const ac = new AbortController();
      const running = compose(s, [{ kind: 'scene', path: long, seconds: 600 }], { root, outFile: path.join(dir, 'long.mp4'), fps: 25, signal: ac.signal });
      const outcome = running.then(() => 'finished', (e: unknown) => e);
      for (let i = 0; i < 500 && !(await readdir(dir)).some((f) => f.endsWith('.part')); i++) await new Promise((r) => setTimeout(r, 10));
      ac.abort();
      expect(((await outcome) as Error).name).toBe('AbortError');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await done();
    }
  });
});

describe('compose without ffprobe', () => {
  it('still keeps a WebM avatar\'s alpha (the codec is read from ffmpeg -i) and re-encodes', async () => {
    const s = spec({ background: greenBg }, [{ input: { type: 'silence', seconds: 1 } }]);
    const tools = { ffmpeg: await ffmpegPath(), source: 'PATH' as const };
    const r = await compose(s, [{ kind: 'alpha', path: file('avatar.webm') }], { root, outFile: out('no-probe.mp4'), fps: 25, tools });
    expect(r.scenes[0]!.frames).toBe(30);
    const f = await frameAt(r.path, 0.6);
    expect(near(pixel(f, W, 160, 120), RED)).toBe(true);
    expect(near(pixel(f, W, 160, 42), GREEN)).toBe(true);
  });
});
