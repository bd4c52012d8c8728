/**
 * What a clip's request refers to by asset id: a local photo, background image or audio file, or, for a
 * silent avatar scene, a silent audio track of the scene's length (made here, uploaded once per length).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { mkdirp, writeFileAtomic } from '../../fsx/atomic.js';
import { sha256Hex } from '../../hash/canonical.js';
import type { AssetRef, VideoSpec } from '../../model/spec.js';
import type { SceneClip } from '../../model/clip.js';
import { uploadOnce } from './assets.js';
import { clipPath } from './clip-job.js';
import type { RunContext } from './context.js';
import { clipFiles } from './upload-files.js';

/** 16 kHz mono 16-bit PCM: the smallest plain audio HeyGen takes; silence compresses to nothing anyway. */
const RATE = 16_000;

/** The uploaded asset ids a scene clip's request needs, including the silent track for a silent scene. */
export interface ClipUploads {
  assetId(ref: AssetRef): string | undefined;
  silenceAssetId(seconds: number): string | undefined;
}

/**
 * Uploads (or reuses, by digest) the local files one scene clip uses, and the silent audio it needs. The
 * files were checked before the clip's video sent anything (upload-check.ts).
 */
export async function clipUploads(ctx: RunContext, _spec: VideoSpec, clip: SceneClip, label: string): Promise<ClipUploads> {
  const ids = new Map<string, string>();
  let silence: string | undefined;
  for (const { ref } of clipFiles(clip)) ids.set(ref.sha256, await uploadOnce(ctx, ref, label, ctx.soft));
  if (clip.kind === 'avatar' && clip.speech.type === 'silence') silence = await uploadOnce(ctx, await silentWav(ctx, clip.speech.seconds), label, ctx.soft);
  return {
    assetId: (ref) => (ref.kind === 'local' ? ids.get(ref.sha256) : undefined),
    silenceAssetId: () => silence,
  };
}

/** A WAV file of `seconds` of silence under `.heygen/clips/` (the same bytes for the same length). */
async function silentWav(ctx: RunContext, seconds: number): Promise<{ path: string; sha256: string; size: number }> {
  const wav = silence(seconds);
  const path = clipPath(`silence-${Math.round(seconds * 1000)}ms.wav`);
  const abs = resolve(ctx.config.root, path);
  if (!existsSync(abs)) {
    await mkdirp(dirname(abs));
    await writeFileAtomic(abs, wav);
  }
  return { path, sha256: sha256Hex(wav), size: wav.length };
}

/** A silent mono WAV of the given length, uploaded as the audio of an avatar scene that says nothing. */
export function silence(seconds: number): Buffer {
  const samples = Math.max(1, Math.round(seconds * RATE));
  const data = samples * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16); // PCM header size
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(RATE, 24);
  b.writeUInt32LE(RATE * 2, 28); // bytes per second
  b.writeUInt16LE(2, 32); // block align
  b.writeUInt16LE(16, 34); // bits per sample
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  return b;
}
