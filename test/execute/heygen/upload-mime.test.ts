/**
 * An upload's Content-Type says what its bytes are: HeyGen checks a direct upload's declared type against
 * the stored bytes, so a JPEG saved as `.png` (a common export slip) must go up as image/jpeg, and a WebM
 * saved as `.mp4` as video/webm, not be refused after the upload. Files of other kinds keep the type their
 * extension names.
 */
import { describe, expect, it } from 'vitest';
import { mimeOf, uploadMime } from '../../../src/execute/heygen/assets.js';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const wav = Buffer.from('RIFF\x24\x00\x00\x00WAVE', 'latin1');
const mp3 = Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00', 'latin1');

describe('the Content-Type of an upload', () => {
  it('follows the bytes of a picture, a voice track or a video, whatever the file is called', () => {
    expect(uploadMime('assets/photo.png', jpeg)).toBe('image/jpeg');
    expect(uploadMime('assets/photo.jpg', png)).toBe('image/png');
    expect(uploadMime('assets/voice.mp3', wav)).toBe('audio/wav');
    expect(uploadMime('assets/voice.wav', mp3)).toBe('audio/mpeg');
    expect(uploadMime('assets/photo.png', png)).toBe('image/png');
    expect(uploadMime('clips/intro.webm', Buffer.from('\x00\x00\x00\x18ftypmp42', 'latin1'))).toBe('video/mp4');
    expect(uploadMime('clips/intro.mp4', Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84, 0x77, 0x65, 0x62, 0x6d]))).toBe('video/webm');
  });

  it('sends a PDF (a prompt video\'s file) as application/pdf, by its bytes or its name', () => {
    const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
    expect(uploadMime('videos/assets/brief.pdf', pdf)).toBe('application/pdf');
    expect(uploadMime('videos/assets/brief', pdf)).toBe('application/pdf');
    expect(mimeOf('videos/assets/Brief.PDF')).toBe('application/pdf');
  });

  it('falls back to the extension for anything else (a QuickTime movie, captions, an unknown file)', () => {
    expect(uploadMime('clips/intro.mov', Buffer.from('\x00\x00\x00\x14ftypqt  ', 'latin1'))).toBe('video/quicktime');
    expect(uploadMime('subs/en.srt', Buffer.from('1\n00:00:00,000'))).toBe(mimeOf('subs/en.srt'));
    expect(uploadMime('data.bin', Buffer.alloc(0))).toBe('application/octet-stream');
  });
});
