/**
 * Draft speech with espeak-ng, when it is installed. It is optional: without it drafts are silent
 * and last exactly what the plan estimated.
 */
import { HeygenBuildError } from '../errors.js';
import { WORDS_PER_MINUTE } from '../plan/estimate.js';
import type { VoiceSpec } from '../model/spec.js';
import { onPath, type FfmpegTools } from './ffmpeg.js';
import { readDuration, shellWord } from './probe.js';
import { lastLines, runProcess } from './process.js';
import { scriptSegments } from './script.js';

let cached: Promise<string | undefined> | undefined;

/** The espeak-ng binary on PATH, if any (cached per process). */
export function findEspeak(): Promise<string | undefined> {
  cached ??= onPath('espeak-ng', process.env.PATH ?? '');
  return cached;
}

/** The script as SSML: espeak-ng honours `<break time="..."/>`, so pauses are heard too. */
export function toSsml(script: string): string {
  const body = scriptSegments(script)
    .map((s) => (s.kind === 'break' ? `<break time="${Math.round(s.seconds * 1000)}ms"/>` : escapeXml(s.text)))
    .join(' ');
  return `<speak>${body}</speak>`;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Write the spoken script to `out` (WAV). */
export async function synthesize(
  espeak: string,
  script: string,
  voice: VoiceSpec | undefined,
  out: string,
  signal?: AbortSignal,
): Promise<void> {
  const speed = voice && voice.speed > 0 ? voice.speed : 1;
  const base = ['-m', '-w', out, '-s', String(Math.round(WORDS_PER_MINUTE * speed))];
  // HeyGen pitch is an offset around 0; espeak's is 0-99 around 50.
  if (voice?.pitch) base.push('-p', String(Math.max(0, Math.min(99, Math.round(50 + voice.pitch)))));
  // HeyGen's volume is 0-1 (default 1); espeak's amplitude is 0-200 around 100.
  if (voice?.volume !== undefined) base.push('-a', String(Math.round(100 * voice.volume)));
  const input = toSsml(script);
  const attempts = voice?.locale ? [[...base, '-v', voice.locale.toLowerCase()], base] : [base];
  let stderr = '';
  for (const args of attempts) {
    // An unknown voice (locale espeak lacks) fails: retry with espeak's default voice.
    const r = await runProcess(espeak, [...args, '--stdin'], { signal, input });
    if (r.code === 0) return;
    stderr = r.stderr;
  }
  throw new HeygenBuildError('E_DRAFT_SPEECH', `espeak-ng failed: ${lastLines(stderr, 3)}`, {
    hint: 'remove espeak-ng from PATH to render silent drafts, or fix its installation',
  });
}

/**
 * How long the speech espeak-ng wrote to `wav` lasts. espeak-ng exited 0, so a file ffmpeg cannot read
 * means a broken espeak-ng (one without audio output, a wrapper that writes nothing) or a broken ffmpeg.
 * The WAV is a temp file, gone by the time the error is read: the hint gives commands to run instead.
 * `place` names the manifest and scene, e.g. `videos/intro.yaml, scene 2's speech`.
 */
export async function speechSeconds(espeak: string, wav: string, tools: FfmpegTools, place: string, signal?: AbortSignal): Promise<number> {
  const { seconds, detail } = await readDuration(wav, tools, signal);
  if (seconds !== undefined) return seconds;
  const said = detail.split(wav).join('the speech file');
  const probe = tools.ffprobe ? `${shellWord(tools.ffprobe)} hello.wav` : `${shellWord(tools.ffmpeg)} -i hello.wav`;
  throw new HeygenBuildError('E_DRAFT_SPEECH', `${place}: espeak-ng ran but wrote no speech ffmpeg can read${said ? `: ${said}` : ''}`, {
    hint:
      `check espeak-ng (${espeak}) and ffmpeg: \`${shellWord(espeak)} -w hello.wav hello\` should write a WAV that \`${probe}\` reads. ` +
      'Fix or reinstall the one that fails, or take espeak-ng off PATH to render silent drafts',
  });
}
