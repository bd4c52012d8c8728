/**
 * A build's check before an upload takes the verdict its own plan had on the same bytes (the asset's
 * sha256, judged as the load hashed it) instead of reading the file again; a file with no verdict for
 * those bytes (changed since, a picture too large to keep whole) is read as before, and an audio file is
 * still probed by ffmpeg (the plan's verdict is its first bytes only).
 *
 * To tell which one decided, each recorded verdict here disagrees with the file on disk: in a real build
 * they are the same bytes, so they agree.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { previewPng } from '../../../src/emulator/png.js';
import type { RunContext } from '../../../src/execute/heygen/context.js';
import { checkUploads, type UploadToCheck } from '../../../src/execute/heygen/upload-check.js';
import type { AssetRecord } from '../../../src/manifest/assets.js';
import type { MediaVerdict } from '../../../src/manifest/media-verdict.js';
import { Semaphore } from '../../../src/util/limit.js';

const root = mkdtempSync(join(tmpdir(), 'hb-verdicts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes `bytes` at `path` (project-relative); returns its digest. */
function file(path: string, bytes: Buffer): string {
  writeFileSync(join(root, path), bytes);
  return createHash('sha256').update(bytes).digest('hex');
}

/** What `checkUploads` reads of a run: the project root, the probe slots, the signal and the plan's assets. */
function ctx(assets?: Map<string, AssetRecord>): RunContext {
  const c = { config: { root }, probeSlots: new Semaphore(2), soft: new AbortController().signal, ...(assets ? { assets } : {}) };
  return c as unknown as RunContext;
}

const record = (sha256: string, media: MediaVerdict): AssetRecord => ({ size: 1, mtimeMs: 0, sha256, media });

function upload(path: string, sha256: string, role: UploadToCheck['file']['role'] = 'background'): UploadToCheck {
  return { file: { role, ref: { kind: 'local', path, sha256, size: 1 } }, place: `videos/a.yaml, scene 1's ${role}` };
}

const PNG = previewPng(16, 9, [10, 20, 30]);
const CUT = 'its PNG chunks run past the end of the file (cut short?)';

describe("the check before an upload takes the plan's verdict on the same bytes", () => {
  it('a picture the plan judged is not read again: its verdict decides', async () => {
    const sha = file('bg.png', PNG);
    // As if the plan had found the picture cut short: the file on disk, a good PNG, is not read to say otherwise.
    const judged = new Map([['bg.png', record(sha, { image: { ok: false, format: 'PNG', problem: CUT }, audio: null, video: 'PNG' })]]);
    await expect(checkUploads(ctx(judged), [upload('bg.png', sha)])).rejects.toThrow(`videos/a.yaml, scene 1's background: cannot read the image bg.png: ${CUT}`);
    // And one the plan found a WebP (HeyGen takes PNG and JPEG only) is refused with the same words.
    const webp = new Map([['bg.png', record(sha, { image: { ok: true, format: 'WebP', width: 16, height: 9 }, audio: null, video: 'WebP' })]]);
    await expect(checkUploads(ctx(webp), [upload('bg.png', sha)])).rejects.toThrow('HeyGen would not take bg.png: it is a WebP picture, and HeyGen takes only PNG and JPEG pictures');
  });

  it('a file with no verdict for these bytes is read: other bytes recorded, a picture too large to keep whole, no plan', async () => {
    const sha = file('ok.png', PNG);
    const cut = file('cut.png', PNG.subarray(0, PNG.length - 20));
    const other = new Map([['ok.png', record('0'.repeat(64), { image: { ok: false, format: 'PNG', problem: CUT }, audio: null, video: 'PNG' })]]);
    await expect(checkUploads(ctx(other), [upload('ok.png', sha)])).resolves.toBeUndefined();
    const large = new Map([['cut.png', record(cut, { audio: null, video: 'PNG' })]]);
    await expect(checkUploads(ctx(large), [upload('cut.png', cut)])).rejects.toThrow('cannot read the image cut.png: the file is cut short');
    await expect(checkUploads(ctx(), [upload('cut.png', cut)])).rejects.toThrow('cannot read the image cut.png: the file is cut short');
  });

  it('an audio file is still probed: the verdict tells its container, not whether ffmpeg can play it', async () => {
    // A WAV header with nothing after it: its signature says WAV, and ffprobe finds no length.
    const wav = Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1');
    const sha = file('voice.wav', wav);
    const judged = new Map([['voice.wav', record(sha, { audio: 'WAV', video: 'WAV' })]]);
    await expect(checkUploads(ctx(judged), [upload('voice.wav', sha, 'audio')])).rejects.toThrow(/cannot read the audio voice\.wav/);
  });
});
