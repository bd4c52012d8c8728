/**
 * The last step of a voiceover built with HeyGen: its speech clips (one `POST /v3/voices/speech` per
 * script scene, keyed and journaled like any clip) joined locally with its audio and silence scenes
 * into the audio output and its SRT. The clips are ensured by the composed-video path; only the
 * compositor differs.
 */
import { resolve } from 'node:path';
import type { Clip } from '../../compose/index.js';
import { composer } from './composer.js';
import { sha256File } from '../../fsx/digest.js';
import type { FileRecord } from '../../model/lock.js';
import { captionsPath } from '../../model/outputs.js';
import { effectiveScene, type VideoSpec } from '../../model/spec.js';
import type { ReadyClip } from './clip-job.js';
import type { RunContext } from './context.js';
import { laidOutFiles } from '../laid-out.js';
import { sceneAudioFile } from './scene-audio.js';

/** Joins a voiceover's scenes into its output (an audio scene's file checked, a URL's copied: scene-audio.ts). */
export async function composeVoiceover(
  ctx: RunContext,
  spec: VideoSpec,
  clips: readonly (ReadyClip | undefined)[],
): Promise<{ video: FileRecord; captions?: FileRecord; seconds: number }> {
  const inputs: Clip[] = await Promise.all(
    clips.map(async (c, i): Promise<Clip> => {
      if (c) return { kind: 'audio', path: c.path, ...(c.captions ? { captions: c.captions } : {}), ...(c.seconds !== undefined ? { seconds: c.seconds } : {}) };
      const input = effectiveScene(spec, i).input;
      if (input.type === 'silence') return { kind: 'audio', seconds: input.seconds };
      if (input.type === 'audio') return { kind: 'audio', path: await sceneAudioFile(ctx, spec, i, input.source) };
      return { kind: 'audio' };
    }),
  );
  const { composeAudio } = await composer();
  const read = laidOutFiles(spec, clips.map((c) => c?.kind));
  const verify = (): Promise<void> => ctx.assetCheck.verify(read, `the voiceover ${spec.id}`);
  const out = await composeAudio(spec, inputs, { root: ctx.config.root, outFile: resolve(ctx.config.root, spec.output), signal: ctx.soft, espeak: false, verify });
  const video = await record(spec.output, out.path);
  const captions = out.captions ? await record(captionsPath(spec.output), out.captions) : undefined;
  return { video, ...(captions ? { captions } : {}), seconds: out.seconds };
}

async function record(rel: string, abs: string): Promise<FileRecord> {
  const d = await sha256File(abs);
  return { path: rel, sha256: d.sha256, size: d.size };
}
