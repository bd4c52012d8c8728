/**
 * What is checked before a video's scene clips upload anything to HeyGen: which files (only those of clips
 * still to be sent), and whether HeyGen's asset upload takes them (PNG/JPEG pictures, MP3/WAV audio).
 */
import { describe, expect, it } from 'vitest';
import type { ClipLock } from '../../../src/model/lock.js';
import { scenePlans } from '../../../src/plan/scenes.js';
import { maySend, uploadsOf } from '../../../src/execute/heygen/upload-check.js';
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
