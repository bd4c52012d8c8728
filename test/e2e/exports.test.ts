/**
 * `export remotion` and `export otio`: the real CLI, videos built scene by scene against the emulator
 * (and as drafts), frame counts checked with ffprobe, a sample composition type-checked with tsc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { describe, expect, it } from 'vitest';
import { sharedEmulator } from './emulator.js';
import type { ExportResult, PackData } from '../../src/export/index.js';
import { REPO, runCli, projectFactory } from '../helpers/cli.js';

const KEY = 'test-key-exports-41c';
let env: Record<string, string>;

sharedEmulator({ apiKey: KEY, renderMs: 150, translateMs: 150 }, (_e, v) => (env = v));

const CONFIG = (extra = ''): string => `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { concurrency: 10, poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },${extra}
};
`;

/** A finished scene (MP4), a transparent avatar (closeUp: WebM), silence and an audio file, with captions. */
const TOUR = `title: Tour
avatar: presenter
background: "#0F172A"
caption: true
scenes:
  - script: Welcome to the tour. Let us start.
  - script: A closer look, from the side.
    avatar: { alias: presenter, style: closeUp, offset: { x: 0.2, y: 0 } }
  - silence: 1.5
  - audio: assets/outro.wav
`;

/** Narration without an avatar: no video clip of its own, so its scene is cut from the composed video. */
const NARRATED = `title: Narrated
background: "#204060"
voice: narrator
scenes:
  - script: A slide with a voice over it and no avatar.
  - script: And a second slide, spoken too.
`;

const makeProject = projectFactory(CONFIG());

function withAssets(dir: string): string {
  const assets = join(dir, 'videos', 'assets');
  mkdirSync(assets, { recursive: true });
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=1', '-ar', '16000', join(assets, 'outro.wav')]);
  return dir;
}

/** Frames of a file's picture, counted by decoding it (what an editor or Remotion will see). */
function frames(file: string): number {
  const out = execFileSync(ffprobeInstaller.path, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return Number(out.trim().split(/[\s,]+/)[0]);
}

async function exportJson(dir: string, format: 'remotion' | 'otio', out: string): Promise<ExportResult> {
  const r = await runCli(['export', format, out, '--json'], { cwd: dir, env, timeoutMs: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as ExportResult & { format_version: number };
  expect(doc.format_version).toBe(1);
  return doc;
}

const pack = (dir: string): PackData => JSON.parse(readFileSync(join(dir, 'pack', 'heygen.json'), 'utf8')) as PackData;

/** Every file of the pack's clips folder with its inode and mtime: a copy or a rewrite changes them. */
function snapshot(dir: string): Record<string, string> {
  const clips = join(dir, 'clips');
  return Object.fromEntries(readdirSync(clips).map((n) => [n, `${statSync(join(clips, n)).ino}:${statSync(join(clips, n)).mtimeMs}`]));
}

/** The tsc of this repository, type-checking `file` as strictly as a Remotion project might. */
function tsc(cwd: string, file: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--exactOptionalPropertyTypes', '--noUncheckedIndexedAccess', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--skipLibCheck', file], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

const SAMPLE = (id: string): string => `// A composition's metadata and sequences from the pack, with Remotion's shapes written structurally.
import { heygenMetadata, heygenVideo, videos, type HeygenVideoId } from './pack/heygen';

interface Metadata { durationInFrames: number; fps: number; width: number; height: number }
type CalculateMetadataFunction<P> = (options: { props: P; defaultProps: P; abortSignal: AbortSignal }) =>
  Promise<Partial<Metadata> & { props?: P }> | (Partial<Metadata> & { props?: P });
interface SequenceProps { from: number; durationInFrames: number; src: string; transparent: boolean }

interface Props { videoId: HeygenVideoId }

export const calculateMetadata: CalculateMetadataFunction<Props> = ({ props }) => heygenMetadata(props.videoId);

export function sequences(id: HeygenVideoId): SequenceProps[] {
  return heygenVideo(id).scenes.map((s) => ({ from: s.from, durationInFrames: s.durationInFrames, src: 'heygen/' + s.src, transparent: s.transparent }));
}

export const words: number = videos.tour.captions.length;
export const tour = calculateMetadata({ props: { videoId: '${id}' }, defaultProps: { videoId: '${id}' }, abortSignal: new AbortController().signal });
`;

describe('export remotion', () => {
  it('packs every scene clip of HeyGen videos frame-exactly, transparent WebM where the scene has alpha, and a module tsc accepts', async () => {
    const dir = withAssets(makeProject({ 'videos/tour.yaml': TOUR, 'videos/narrated.yaml': NARRATED }));
    const built = await runCli(['build'], { cwd: dir, env, timeoutMs: 180_000 });
    expect(built.code).toBe(0);

    const first = await exportJson(dir, 'remotion', 'pack');
    expect(first.videos.map((v) => v.id).sort()).toEqual(['narrated', 'tour']);
    const data = pack(dir);
    for (const id of ['tour', 'narrated']) {
      const v = data.videos[id]!;
      expect(v).toMatchObject({ id, draft: false, width: 1280, height: 720 });
      // Scenes follow each other without a gap and sum to the whole...
      let at = 0;
      for (const s of v.scenes) {
        expect(s.from).toBe(at);
        at += s.durationInFrames;
      }
      expect(at).toBe(v.durationInFrames);
      // ...which is the composed video's length, as ffprobe counts it.
      expect(Math.abs(frames(join(dir, 'out', `${id}.mp4`)) - v.durationInFrames)).toBeLessThanOrEqual(1);
      expect(frames(join(dir, 'pack', v.src))).toBe(frames(join(dir, 'out', `${id}.mp4`)));
      for (const s of v.scenes) expect(Math.abs(frames(join(dir, 'pack', s.src)) - s.durationInFrames)).toBeLessThanOrEqual(1);
    }
    const tour = data.videos.tour!;
    expect(tour.scenes).toHaveLength(4);
    expect(tour.scenes.map((s) => s.transparent)).toEqual([false, true, false, false]);
    expect(tour.scenes.map((s) => s.src.slice(s.src.lastIndexOf('.')))).toEqual(['.mp4', '.webm', '.mp4', '.mp4']);
    // The transparent clip is HeyGen's WebM as downloaded, byte for byte.
    const webm = readdirSync(join(dir, '.heygen', 'clips')).filter((n) => n.endsWith('.webm'));
    expect(webm).toHaveLength(1);
    expect(readFileSync(join(dir, 'pack', tour.scenes[1]!.src))).toEqual(readFileSync(join(dir, '.heygen', 'clips', webm[0]!)));
    // Caption words, in order, inside the video.
    expect(tour.captions.length).toBeGreaterThan(5);
    expect(tour.captions.map((w) => w.text).join(' ')).toContain('Welcome');
    for (const [i, w] of tour.captions.entries()) {
      expect(w.from + w.durationInFrames).toBeLessThanOrEqual(tour.durationInFrames + 1);
      if (i > 0) expect(w.from).toBeGreaterThanOrEqual(tour.captions[i - 1]!.from);
    }
    expect(data.videos.narrated!.captions.length).toBeGreaterThan(0);

    // heygen.ts holds the same data, and a composition using it type-checks; a wrong id does not.
    writeFileSync(join(dir, 'sample.ts'), SAMPLE('tour'));
    const ok = tsc(dir, 'sample.ts');
    expect(ok.out).toBe('');
    expect(ok.code).toBe(0);
    writeFileSync(join(dir, 'wrong.ts'), SAMPLE('no-such-video'));
    expect(tsc(dir, 'wrong.ts').code).not.toBe(0);

    // Exported again unchanged: nothing copied, cut or rewritten.
    const before = snapshot(join(dir, 'pack'));
    const tsBefore = statSync(join(dir, 'pack', 'heygen.ts')).mtimeMs;
    const second = await exportJson(dir, 'remotion', 'pack');
    expect(second.files).toEqual({ written: 0, kept: first.files.written + first.files.kept, removed: 0 });
    expect(snapshot(join(dir, 'pack'))).toEqual(before);
    expect(statSync(join(dir, 'pack', 'heygen.ts')).mtimeMs).toBe(tsBefore);
  });

  it('after one scene is edited, writes only the new clip and what changed, and removes what no scene uses', async () => {
    const three = (second: string): string => `avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: One, to begin.\n  - script: ${second}\n  - script: Three, the end.\n`;
    const dir = makeProject({ 'videos/three.yaml': three('Two, in the middle.') });
    expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 })).code).toBe(0);
    await exportJson(dir, 'remotion', 'pack');
    const before = snapshot(join(dir, 'pack'));
    const old = pack(dir).videos.three!;
    writeFileSync(join(dir, 'videos', 'three.yaml'), three('Two, edited, and somewhat longer than it was before.'));
    expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 })).code).toBe(0);
    const again = await exportJson(dir, 'remotion', 'pack');
    // The new clip, the new composed video, heygen.json and heygen.ts; the old clip and video removed.
    expect(again.files).toEqual({ written: 4, kept: 2, removed: 2 });
    const now = pack(dir).videos.three!;
    const after = snapshot(join(dir, 'pack'));
    for (const i of [0, 2]) {
      expect(now.scenes[i]!.src).toBe(old.scenes[i]!.src);
      const name = now.scenes[i]!.src.slice('clips/'.length);
      expect(after[name]).toBe(before[name]);
    }
    expect(now.scenes[1]!.src).not.toBe(old.scenes[1]!.src);
    expect(existsSync(join(dir, 'pack', old.scenes[1]!.src))).toBe(false);
    expect(existsSync(join(dir, 'pack', old.src))).toBe(false);
  });

  it('packs drafts too: scenes cut from the draft at the frames the draft recorded', async () => {
    const dir = makeProject({ 'videos/narrated.yaml': NARRATED, 'videos/tour.yaml': TOUR.replace('  - audio: assets/outro.wav\n', '') });
    expect((await runCli(['build', '--provider', 'local'], { cwd: dir, env: {}, timeoutMs: 120_000 })).code).toBe(0);
    const r = await exportJson(dir, 'remotion', 'pack');
    expect(r.videos.every((v) => v.draft && v.fps === 12)).toBe(true);
    const tour = pack(dir).videos.tour!;
    expect(tour.scenes).toHaveLength(3);
    expect(tour.scenes.every((s) => !s.transparent && s.src.endsWith('.mp4'))).toBe(true);
    expect(tour.durationInFrames).toBe(frames(join(dir, 'out', 'tour.draft.mp4')));
    for (const s of tour.scenes) expect(frames(join(dir, 'pack', s.src))).toBe(s.durationInFrames);
  });

  it('runs after each build when the config names exports.remotion, and says so', async () => {
    const dir = makeProject({ 'heygen.config.mjs': CONFIG(`\n  exports: { remotion: 'remotion/public/heygen', otio: 'edit' },`), 'videos/narrated.yaml': NARRATED });
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir, env: {}, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/exported remotion -> .*remotion\/public\/heygen/);
    expect(existsSync(join(dir, 'remotion', 'public', 'heygen', 'heygen.ts'))).toBe(true);
    expect(existsSync(join(dir, 'edit', 'narrated.otio'))).toBe(true);
    const json = await runCli(['build', '--provider', 'local', '--json'], { cwd: dir, env: {}, timeoutMs: 120_000 });
    const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; format?: string; written?: number });
    expect(events.filter((e) => e.type === 'exported').map((e) => [e.format, e.written])).toEqual([['remotion', 0], ['otio', 0]]);
    expect(events.at(-1)!.type).toBe('done');
  });

  it('packs a video HeyGen rendered whole (a template) as one scene: the output itself', async () => {
    const dir = makeProject({ 'videos/welcome.yaml': 'template:\n  id: tpl_welcome\n  variables: { first_name: Ada, company: Acme, logo: https://example.com/acme.png }\n' });
    expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 })).code).toBe(0);
    await exportJson(dir, 'remotion', 'pack');
    const v = pack(dir).videos.welcome!;
    expect(v.scenes).toEqual([{ src: v.src, from: 0, durationInFrames: v.durationInFrames, transparent: false }]);
    expect(readFileSync(join(dir, 'pack', v.src))).toEqual(readFileSync(join(dir, 'out', 'welcome.mp4')));
    expect(Math.abs(frames(join(dir, 'out', 'welcome.mp4')) - v.durationInFrames)).toBeLessThanOrEqual(1);
  });

  it('times an audio scene by URL from the copy the video was composed with, fetching nothing, and warns once a later build replaced that copy', async () => {
    const wav = (seconds: number): Buffer => execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', `sine=f=440:d=${seconds}`, '-ar', '16000', '-f', 'wav', '-']);
    let audio = { body: wav(1), etag: '"one-second"' };
    let asked = 0;
    const host = createServer((req, res) => {
      asked++;
      const status = req.headers['if-none-match'] === audio.etag ? 304 : 200;
      res.writeHead(status, { etag: audio.etag, 'content-type': 'audio/wav', ...(status === 200 ? { 'content-length': audio.body.length } : {}) });
      res.end(status === 200 ? audio.body : undefined);
    });
    await new Promise<void>((done) => host.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}/outro.wav`;
      // Narration then the URL's audio, no avatar: the audio scene has no clip, the export measures the copy.
      const manifest = (script: string): string => `background: "#204060"\nvoice: narrator\nscenes:\n  - script: ${script}\n  - audio: "${url}"\n`;
      // Both formats exported after each build too: their warning about one video is said once.
      const config = CONFIG(`\n  exports: { remotion: 'after/pack', otio: 'after/edit' },`);
      const dir = makeProject({ 'heygen.config.mjs': config, 'videos/a.yaml': manifest('A slide, then the outro from a URL.') });
      expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 })).stderr).not.toContain('warning');
      const outro = (): number => pack(dir).videos.a!.scenes[1]!.durationInFrames;
      await exportJson(dir, 'remotion', 'pack');
      expect(outro()).toBe(25); // 1 s at 25 fps: as composed

      // New, longer audio at the URL. The video is unchanged (a URL's content is not in its key), so the export
      // describes it as composed: nothing is fetched, the scene keeps the length the video has, and nothing is said.
      audio = { body: wav(2.5), etag: '"longer"' };
      const before = asked;
      await exportJson(dir, 'remotion', 'pack');
      expect(asked).toBe(before);
      expect(outro()).toBe(25);

      // Another video's build fetches the new audio into the shared copy: a's export can no longer trust it, and says so.
      writeFileSync(join(dir, 'videos', 'b.yaml'), manifest('Another slide, the same outro.'));
      const built = await runCli(['build', '--json'], { cwd: dir, env, timeoutMs: 120_000 });
      expect(built.code).toBe(0);
      expect(asked).toBe(before + 1);
      const events = built.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string });
      expect(events.filter((e) => e.type === 'warning').map((e) => e.message)).toEqual([expect.stringMatching(/^videos\/a\.yaml, scene 2's audio: the copy of /)]);
      const r = await runCli(['export', 'remotion', 'pack', '--json'], { cwd: dir, env, timeoutMs: 120_000 });
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as ExportResult;
      expect(doc.warnings).toHaveLength(1); // a's scene; b was composed with this copy
      expect(doc.warnings[0]).toMatch(/^videos\/a\.yaml, scene 2's audio: the copy of http:\/\/127\.0\.0\.1:\d+\/outro\.wav \(\.heygen\/remote\/[0-9a-f]{32}\.wav\) was fetched \d+s after a was composed/);
      expect(r.stderr).toBe(`warning: ${doc.warnings[0]}\n`);
      expect(asked).toBe(before + 1);
    } finally {
      await new Promise((done) => host.close(done));
    }
  });

  it('says what to do when nothing is built yet', async () => {
    const dir = makeProject({ 'videos/narrated.yaml': NARRATED });
    const r = await runCli(['export', 'remotion', 'pack'], { cwd: dir, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E_EXPORT_EMPTY');
    expect(r.stderr).toContain('narrated (not built yet)');
    const json = await runCli(['export', 'otio', 'edit', '--json'], { cwd: dir, env: {} });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ format_version: 1, error: { code: 'E_EXPORT_EMPTY', hint: expect.any(String) } });
    expect(existsSync(join(dir, 'edit'))).toBe(false);
  });
});

interface OtioNode {
  OTIO_SCHEMA?: string;
  [k: string]: unknown;
}
interface OtioTime {
  rate: number;
  value: number;
}
interface OtioClip {
  source_range: { duration: OtioTime; start_time: OtioTime };
  media_references: Record<string, { target_url: string }>;
  active_media_reference_key: string;
}

/** Every OTIO_SCHEMA name in a parsed file, and every RationalTime. */
function walk(node: unknown, schemas: Set<string>, times: OtioTime[]): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, schemas, times));
  if (typeof node !== 'object' || node === null) return;
  const o = node as OtioNode;
  if (o.OTIO_SCHEMA) schemas.add(o.OTIO_SCHEMA);
  if (o.OTIO_SCHEMA === 'RationalTime.1') times.push(o as unknown as OtioTime);
  for (const v of Object.values(o)) walk(v, schemas, times);
}

/** OpenTimelineIO's own reader, when this machine has it (pip install opentimelineio); skipped otherwise. */
const hasOtioPython = spawnSync('python3', ['-c', 'import opentimelineio'], { encoding: 'utf8' }).status === 0;

describe('export otio', () => {
  it("writes one .otio per video: OTIO's schemas, a video and an audio track of the scene clips summing to the video", async () => {
    const dir = withAssets(makeProject({ 'videos/tour.yaml': TOUR, 'videos/narrated.yaml': NARRATED }));
    expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 180_000 })).code).toBe(0);
    const r = await exportJson(dir, 'otio', 'edit');
    expect(r.videos).toHaveLength(2);
    for (const id of ['tour', 'narrated']) {
      const file = join(dir, 'edit', `${id}.otio`);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as OtioNode & { tracks: { children: { kind: string; children: OtioClip[] }[] }; metadata: { heygen: { fps: number; durationInFrames: number } } };
      const schemas = new Set<string>();
      const times: OtioTime[] = [];
      walk(doc, schemas, times);
      expect([...schemas].sort()).toEqual(['Clip.2', 'ExternalReference.1', 'RationalTime.1', 'Stack.1', 'TimeRange.1', 'Timeline.1', 'Track.1']);
      expect(doc.OTIO_SCHEMA).toBe('Timeline.1');
      const { fps, durationInFrames } = doc.metadata.heygen;
      expect(times.every((t) => t.rate === fps && Number.isInteger(t.value))).toBe(true);
      expect(doc.tracks.children.map((t) => t.kind)).toEqual(['Video', 'Audio']);
      for (const track of doc.tracks.children) {
        const sum = track.children.reduce((a, c) => a + c.source_range.duration.value, 0);
        expect(sum).toBe(durationInFrames);
        for (const c of track.children) expect(existsSync(resolve(dir, 'edit', c.media_references[c.active_media_reference_key]!.target_url))).toBe(true);
      }
      expect(Math.abs(frames(join(dir, 'out', `${id}.mp4`)) - durationInFrames)).toBeLessThanOrEqual(1);
      if (hasOtioPython) {
        const py = spawnSync('python3', ['-c', 'import sys, opentimelineio as otio; t = otio.adapters.read_from_file(sys.argv[1]); print(t.duration().value, len(t.video_tracks()), len(t.audio_tracks()))', file], { encoding: 'utf8' });
        expect(py.stdout.trim()).toBe(`${durationInFrames} 1 1`);
      }
    }
    const again = await exportJson(dir, 'otio', 'edit');
    expect(again.files.written).toBe(0);
  });
});
