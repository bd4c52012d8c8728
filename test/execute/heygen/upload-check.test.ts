/**
 * What is checked before a video's scene clips upload anything to HeyGen: which files (only those of clips
 * still to be sent), and whether HeyGen's asset upload takes them (PNG/JPEG pictures, MP3/WAV audio; a
 * template's MP4/WebM video, and a dub's source held to the same).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { previewPng } from '../../../src/emulator/png.js';
import type { AssetRecord } from '../../../src/manifest/assets.js';
import type { ClipLock } from '../../../src/model/lock.js';
import type { Plan, PlanItem, SceneAction } from '../../../src/model/plan.js';
import type { TemplateSpec } from '../../../src/model/spec.js';
import type { TemplateDefinition } from '../../../src/model/template.js';
import { refusedUploads } from '../../../src/execute/heygen/upload-facts.js';
import { scenePlans } from '../../../src/plan/scenes.js';
import { maySend, uploadsOf } from '../../../src/execute/heygen/upload-check.js';
import { dubUploadsOf } from '../../../src/execute/heygen/upload-files.js';
import { audioFormat, audioUploadProblem, imageUploadProblem } from '../../../src/execute/heygen/upload-types.js';
import { makeSpec } from '../../helpers/specs.js';

const local = (path: string) => ({ kind: 'local', path, sha256: path.padEnd(64, '0'), size: 10 }) as const;

describe('uploadsOf', () => {
  it("names each file a clip uploads as other scene errors do: the photo, an image background HeyGen composites, the avatar's audio", () => {
    const spec = makeSpec('tour', {
      scenes: [
        { input: { type: 'script', text: 'A photo over a covering picture.' }, avatar: { id: 'videos/me.png', label: 'me.png', style: 'normal', scale: 1, offset: { x: 0, y: 0 }, photo: local('videos/me.png') }, background: { type: 'image', source: local('videos/bg.png'), fit: 'cover' } },
        { input: { type: 'audio', source: local('videos/voice.wav') } },
        // Laid out here (fit contain): the picture is composed locally, never uploaded.
        { input: { type: 'script', text: 'A picture composed here.' }, background: { type: 'image', source: local('videos/side.png'), fit: 'contain' } },
        { input: { type: 'script', text: 'A picture by URL is passed as it is.' }, background: { type: 'image', source: { kind: 'url', url: 'https://example.com/bg.png' }, fit: 'cover' } },
      ],
    });
    expect(uploadsOf(spec, scenePlans(spec)).map((u) => [u.place, u.file.ref.path])).toEqual([
      ["videos/tour.yaml, scene 1's avatar photo", 'videos/me.png'],
      ["videos/tour.yaml, scene 1's background", 'videos/bg.png'],
      ["videos/tour.yaml, scene 2's audio", 'videos/voice.wav'],
    ]);
    // A voiceover's scenes are speech only: nothing uploaded.
    expect(uploadsOf({ ...spec, output: 'out/tour.mp3' }, scenePlans({ ...spec, output: 'out/tour.mp3' }))).toEqual([]);
  });
});

describe('dubUploadsOf', () => {
  it("names a dub's local source at its source: line, checked as a video; a URL source uploads nothing", () => {
    const dub = (d: NonNullable<Parameters<typeof makeSpec>[1]>['dub']) => makeSpec('webinar', { scenes: [], dub: d });
    expect(dubUploadsOf(dub({ video: local('videos/phone.mov'), at: { line: 2, column: 9 } }))).toEqual([
      { file: { role: 'video', ref: local('videos/phone.mov') }, place: 'videos/webinar.yaml:2:9: source' },
    ]);
    // Without a position (a spec made elsewhere), the manifest alone.
    expect(dubUploadsOf(dub({ video: local('videos/phone.mov') }))[0]?.place).toBe('videos/webinar.yaml: source');
    expect(dubUploadsOf(dub({ video: { kind: 'url', url: 'https://example.com/webinar.mov' } }))).toEqual([]);
    expect(dubUploadsOf(makeSpec('tour'))).toEqual([]);
  });
});

describe('maySend', () => {
  const rec = (status: ClipLock['status'], remoteId?: string): ClipLock => ({ kind: 'avatar', status, attempt: 1, ...(remoteId ? { remoteId } : {}) });

  it('checks a clip that may still upload and POST: new, failed, an intent never answered, or rendered again on purpose', () => {
    expect(maySend(undefined, false)).toBe(true);
    expect(maySend(rec('failed'), false)).toBe(true);
    expect(maySend(rec('pending'), false)).toBe(true);
    expect(maySend(rec('completed', 'v1'), true)).toBe(true);
  });

  it('leaves a clip HeyGen has (in flight, or rendered and reused) alone: nothing of it is sent again', () => {
    expect(maySend(rec('submitted', 'v1'), false)).toBe(false);
    expect(maySend(rec('submitted', 'v1'), true)).toBe(false);
    expect(maySend(rec('completed', 'v1'), false)).toBe(false);
  });
});

describe('what HeyGen takes', () => {
  it('takes PNG and JPEG pictures, and names any other kind', () => {
    expect(imageUploadProblem({ ok: true, format: 'PNG', width: 4, height: 4 })).toBeUndefined();
    expect(imageUploadProblem({ ok: true, format: 'JPEG', width: 4, height: 4 })).toBeUndefined();
    expect(imageUploadProblem({ ok: true, format: 'WebP', width: 4, height: 4 })).toBe('it is a WebP picture, and HeyGen takes only PNG and JPEG pictures');
    expect(imageUploadProblem({ unknown: true })).toBe('it is not a PNG or JPEG picture, and HeyGen takes only PNG and JPEG pictures');
    expect(imageUploadProblem({ ok: false, format: 'PNG', problem: 'the file is empty' })).toBe('the file is empty');
  });

  it('takes MP3 and WAV audio by its bytes, and names the usual others', () => {
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]);
    expect(audioFormat(wav)).toBe('WAV');
    expect(audioFormat(Buffer.from('ID3\x04\x00'))).toBe('MP3');
    expect(audioFormat(Buffer.from([0xff, 0xfb, 0x90, 0x64]))).toBe('MP3'); // MPEG-1 layer III frame, no tag
    expect(audioFormat(Buffer.from([0xff, 0xf1, 0x50, 0x80]))).toBe('AAC'); // ADTS: the same sync, layer 00
    expect(audioFormat(Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A ')]))).toBe('M4A');
    expect(audioFormat(Buffer.from('OggS\x00\x02'))).toBe('OGG');
    expect(audioUploadProblem(wav)).toBeUndefined();
    expect(audioUploadProblem(Buffer.from('fLaC\x00\x00'))).toBe('it is a FLAC file, and HeyGen takes only MP3 and WAV audio');
    expect(audioUploadProblem(Buffer.from('hello'))).toBe('it is neither an MP3 nor a WAV file, and HeyGen takes only MP3 and WAV audio');
    expect(audioUploadProblem(Buffer.alloc(0))).toBe('it is neither an MP3 nor a WAV file, and HeyGen takes only MP3 and WAV audio');
  });
});

describe('refusedUploads (what plan warns of)', () => {
  const root = mkdtempSync(join(tmpdir(), 'hb-upload-facts-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const photo = (path: string) => ({ id: path, label: path, style: 'normal', scale: 1, offset: { x: 0, y: 0 }, photo: local(path) }) as const;
  const item = (id: string, actions: SceneAction[], over: Partial<PlanItem> = {}): PlanItem => ({
    kind: 'video', id, videoId: id, action: 'create', reasons: [], source: `videos/${id}.yaml`, output: `out/${id}.mp4`, estimate: { seconds: 1, credits: 1 },
    scenes: actions.map((action, index) => ({ index, action, reasons: [], estimate: { seconds: 1, credits: 1 } })), ...over,
  });
  const plan = (items: PlanItem[]): Plan => ({ items, totals: { actions: { create: items.length, update: 0, unchanged: 0, orphan: 0, resume: 0, download: 0 }, seconds: 0, credits: 0 } });
  const record = (path: string, media: AssetRecord['media']): [string, AssetRecord] => [path, { size: 10, mtimeMs: 1, sha256: local(path).sha256, ...(media ? { media } : {}) }];
  const assets = new Map([
    record('videos/me.png', { image: { ok: true, format: 'WebP', width: 4, height: 4 }, audio: null, video: 'WebP' }),
    record('videos/bg.png', { image: { ok: true, format: 'PNG', width: 4, height: 4 }, audio: null, video: 'PNG' }),
    record('videos/voice.m4a', { image: { unknown: true }, audio: 'M4A', video: 'M4A' }),
    record('videos/voice.wav', { image: { unknown: true }, audio: 'WAV', video: 'WAV' }),
    record('videos/phone.mov', { image: { unknown: true }, audio: 'M4A', video: 'MOV' }),
    record('videos/intro.mp4', { image: { unknown: true }, audio: 'M4A', video: 'MP4' }),
  ]);
  const tour = makeSpec('tour', {
    scenes: [
      { input: { type: 'script', text: 'A WebP saved as .png over a covering PNG.' }, avatar: photo('videos/me.png'), background: { type: 'image', source: local('videos/bg.png'), fit: 'cover' } },
      { input: { type: 'audio', source: local('videos/voice.m4a') } },
      { input: { type: 'script', text: 'The same photo again.' }, avatar: photo('videos/me.png') },
      { input: { type: 'audio', source: local('videos/voice.wav') } },
    ],
  });

  it('names every scene that would upload a file HeyGen does not take, with the hint the build gives, from the verdicts the load kept', async () => {
    // Its only scene is rendered already (reuse), or it comes from the remote store: nothing is uploaded.
    const reused = makeSpec('reused', { scenes: [{ input: { type: 'script', text: 'Rendered.' }, avatar: photo('videos/me.png') }] });
    const restored = makeSpec('restored', { scenes: [{ input: { type: 'script', text: 'Restored.' }, avatar: photo('videos/me.png') }] });
    const p = plan([item('reused', ['reuse']), item('restored', ['create'], { restore: 'remote' }), item('tour', ['create', 'create', 'create', 'create'])]);
    // The root holds none of these files: every verdict came from `assets`.
    expect(await refusedUploads(p, [tour, reused, restored], { root, assets })).toEqual([
      {
        details: [
          "videos/tour.yaml, scene 1's avatar photo: HeyGen would not take videos/me.png: it is a WebP picture, and HeyGen takes only PNG and JPEG pictures",
          "videos/tour.yaml, scene 3's avatar photo: HeyGen would not take videos/me.png: it is a WebP picture, and HeyGen takes only PNG and JPEG pictures",
        ],
        hint: 're-export it as PNG or JPEG (`ffmpeg -i videos/me.png videos/me-fixed.png`) and point the manifest at the new file',
      },
      {
        details: ["videos/tour.yaml, scene 2's audio: HeyGen would not take videos/voice.m4a: it is an M4A (MP4 audio) file, and HeyGen takes only MP3 and WAV audio"],
        hint: 're-export it as MP3 or WAV (`ffmpeg -i videos/voice.m4a videos/voice.wav`) and point the manifest at the new file',
      },
    ]);
    // Scenes already rendered (or in flight) upload nothing again.
    expect(await refusedUploads(plan([item('tour', ['reuse', 'resume', 'reuse', 'create'])]), [tour], { root, assets })).toEqual([]);
  });

  it("names each template variable to render whose file HeyGen would not take, by the definition's type, with the build's message and hint", async () => {
    const at = { line: 1, column: 1 };
    const template = (files: Record<string, string>): TemplateSpec => ({
      id: 'tpl_brand',
      variables: Object.fromEntries(Object.entries(files).map(([n, f]) => [n, f])),
      files: Object.fromEntries(Object.entries(files).map(([n, f]) => [n, { path: f, sha256: local(f).sha256, size: 10 }])),
      at: { template: at, variableList: at, variables: {}, scenes: [] },
    });
    const def: TemplateDefinition = { id: 'tpl_brand', name: 'Brand', variables: { logo: 'image', jingle: 'audio', clip: 'video', outro: 'video' }, scenes: [], digest: 'd', origin: 'fetched' };
    const defs = new Map([['tpl_brand', def]]);
    // Its logo is a WebP, its jingle an M4A, its clip a phone's QuickTime movie and its outro a WAV.
    const ada = makeSpec('ada', { scenes: [], template: template({ logo: 'videos/me.png', jingle: 'videos/voice.m4a', clip: 'videos/phone.mov', outro: 'videos/voice.wav' }) });
    // The WAV is fine as a sound, the MP4 (an ISO file, like the M4A) as a video.
    const fine = makeSpec('fine', { scenes: [], template: template({ logo: 'videos/bg.png', jingle: 'videos/voice.wav', clip: 'videos/intro.mp4' }) });
    // The same WebP in videos not to render: unchanged, restored from the remote store, resumed.
    const same = (id: string) => makeSpec(id, { scenes: [], template: template({ logo: 'videos/me.png' }) });
    const video = (id: string, over: Partial<PlanItem> = {}): PlanItem => item(id, [], { scenes: undefined, ...over });
    const p = plan([video('ada'), video('fine', { action: 'update' }), video('kept', { action: 'unchanged' }), video('restored', { restore: 'remote' }), video('resumed', { action: 'resume' })]);
    const specs = [ada, fine, same('kept'), same('restored'), same('resumed')];
    // The root holds none of these files: every verdict came from `assets`.
    expect(await refusedUploads(p, specs, { root, assets, templates: defs })).toEqual([
      {
        details: ['videos/ada.yaml, template variable "logo": HeyGen would not take videos/me.png: it is a WebP picture, and HeyGen takes only PNG and JPEG pictures'],
        hint: 're-export it as PNG or JPEG (`ffmpeg -i videos/me.png videos/me-fixed.png`) and point the manifest at the new file',
      },
      {
        details: ['videos/ada.yaml, template variable "jingle": HeyGen would not take videos/voice.m4a: it is an M4A (MP4 audio) file, and HeyGen takes only MP3 and WAV audio'],
        hint: 're-export it as MP3 or WAV (`ffmpeg -i videos/voice.m4a videos/voice.wav`) and point the manifest at the new file',
      },
      {
        details: ['videos/ada.yaml, template variable "clip": HeyGen would not take videos/phone.mov: it is a QuickTime (MOV) file, and HeyGen takes only MP4 and WebM video'],
        hint: 're-encode it as MP4 (`ffmpeg -i videos/phone.mov -c:v libx264 -pix_fmt yuv420p -c:a aac videos/phone.mp4`) and point the manifest at the new file',
      },
      {
        details: ['videos/ada.yaml, template variable "outro": HeyGen would not take videos/voice.wav: it is a WAV file, and HeyGen takes only MP4 and WebM video'],
        hint: 're-encode it as MP4 (`ffmpeg -i videos/voice.wav -c:v libx264 -pix_fmt yuv420p -c:a aac videos/voice.mp4`) and point the manifest at the new file',
      },
    ]);
    // Without the definition the variables' types are unknown, as they are to the build: nothing is said.
    expect(await refusedUploads(p, specs, { root, assets, templates: new Map() })).toEqual([]);
  });

  it("names a dub's source HeyGen would not take once, at its source: line, while any of its languages is to be sent", async () => {
    const dub = (id: string, source: string) => makeSpec(id, { scenes: [], translations: [], dub: { video: local(source), at: { line: 2, column: 9 } } });
    const language = (id: string, lang: string, over: Partial<PlanItem> = {}): PlanItem => item(id, [], { kind: 'translation', id: `${id}@${lang}`, language: lang, scenes: undefined, ...over });
    // The phone's movie in two languages to make; an MP4 dub; the same movie in dubs whose languages are
    // unchanged, in flight, downloaded again or restored from the remote store: none of them sends it.
    const specs = [dub('phone', 'videos/phone.mov'), dub('webinar', 'videos/intro.mp4'), ...['kept', 'resumed', 'fetched', 'restored'].map((id) => dub(id, 'videos/phone.mov'))];
    const p = plan([
      language('phone', 'es'),
      language('phone', 'fr', { action: 'update' }),
      language('webinar', 'es'),
      language('kept', 'es', { action: 'unchanged' }),
      language('resumed', 'es', { action: 'resume' }),
      language('fetched', 'es', { action: 'download' }),
      language('restored', 'es', { restore: 'remote' }),
    ]);
    // The root holds none of these files: every verdict came from `assets`.
    expect(await refusedUploads(p, specs, { root, assets })).toEqual([
      {
        details: ['videos/phone.yaml:2:9: source: HeyGen would not take videos/phone.mov: it is a QuickTime (MOV) file, and HeyGen takes only MP4 and WebM video'],
        hint: 're-encode it as MP4 (`ffmpeg -i videos/phone.mov -c:v libx264 -pix_fmt yuv420p -c:a aac videos/phone.mp4`) and point the manifest at the new file',
      },
    ]);
    // A second dub of the same movie is a second place for the one file.
    expect((await refusedUploads(plan([language('phone', 'es'), language('kept', 'de')]), specs, { root, assets }))[0]?.details).toEqual([
      'videos/phone.yaml:2:9: source: HeyGen would not take videos/phone.mov: it is a QuickTime (MOV) file, and HeyGen takes only MP4 and WebM video',
      'videos/kept.yaml:2:9: source: HeyGen would not take videos/phone.mov: it is a QuickTime (MOV) file, and HeyGen takes only MP4 and WebM video',
    ]);
  });

  it('reads a file the load has no verdict for (or one for other bytes), as the build would', async () => {
    mkdirSync(join(root, 'videos'), { recursive: true });
    const png = previewPng(8, 8, [1, 2, 3]);
    writeFileSync(join(root, 'videos/cut.png'), png.subarray(0, png.length - 16));
    writeFileSync(join(root, 'videos/me.png'), png);
    const spec = makeSpec('cut', { scenes: [{ input: { type: 'script', text: 'Cut short.' }, avatar: photo('videos/cut.png') }, { input: { type: 'script', text: 'A real PNG now.' }, avatar: photo('videos/me.png') }] });
    // me.png's record is for other bytes (its sha256 differs from the spec's): the file is read, and is fine.
    const stale = new Map([...assets].map(([k, v]) => [k, { ...v, sha256: 'f'.repeat(64) }]));
    const [cut, ...rest] = await refusedUploads(plan([item('cut', ['create', 'create'])]), [spec], { root, assets: stale });
    expect(rest).toEqual([]);
    expect(cut?.details).toEqual([expect.stringMatching(/^videos\/cut\.yaml, scene 1's avatar photo: cannot read the image videos\/cut\.png: the file is cut short/)]);
    expect(cut?.hint).toBe('re-export videos/cut.png as PNG or JPEG (or point the manifest at another picture); `ffprobe videos/cut.png` says why ffmpeg cannot read it');
  });
});
