/** Where each artefact of a video goes. Pure path arithmetic, shared by plan, build and drafts. */
import type { VideoSpec } from './spec.js';

const AUDIO_OUTPUT = /\.(mp3|wav|m4a)$/i;

function stem(output: string): string {
  return output.replace(/\.(mp4|webm|mp3|wav|m4a)$/i, '');
}

/** `<outFile without .mp4>.srt`: where a video's captions go. */
export function captionsPathFor(outFile: string): string {
  return stem(outFile) + '.srt';
}

/** A transparent video: an output named `.webm` (VP9 with an alpha channel). */
export function isWebmOutput(output: string): boolean {
  return /\.webm$/i.test(output);
}

/** A voiceover: an output named `.mp3`, `.wav` or `.m4a` is audio only. */
export function isAudioOutput(output: string): boolean {
  return AUDIO_OUTPUT.test(output);
}

/** The output's extension with its dot (`.mp4` unless it is audio or a transparent `.webm`). */
function extOf(output: string): string {
  return (AUDIO_OUTPUT.exec(output) ?? /\.webm$/i.exec(output))?.[0].toLowerCase() ?? '.mp4';
}

/** A language as a file-name part: `fr-FR` stays, `Spanish (Spain)` becomes `spanish-spain`. */
export function languageSlug(language: string): string {
  return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)
    ? language
    : language.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The output path of one translated rendition, next to the video's own output (`intro.mp4` becomes `intro.es.mp4`). */
export function translationOutput(output: string, language: string): string {
  return `${stem(output)}.${languageSlug(language)}.mp4`;
}

/** The sidecar caption file of a video output. */
export function captionsPath(output: string): string {
  return `${stem(output)}.srt`;
}

/** Drafts never take the real output's name: `<id>.draft.mp4` (`.webm` for a transparent video). */
export function draftOutput(output: string): string {
  return `${stem(output)}.draft${extOf(output)}`;
}

/** The real (HeyGen) files of a video: its output and translations, with their caption sidecars. */
export function allOutputs(spec: VideoSpec): string[] {
  // A dub writes its translations only: the source is the user's own file.
  const files = spec.dub ? [] : [spec.output];
  if (!spec.dub && spec.caption !== 'none') files.push(captionsPath(spec.output));
  for (const t of spec.translations) {
    const out = translationOutput(spec.output, t.language);
    files.push(out);
    if (t.captions) files.push(captionsPath(out));
    // A language under review writes its SRT (the plan checks it is there).
    if (t.review?.state === 'review') files.push(t.review.srt);
  }
  return files;
}

/** Every file a build of this video may write: videos, translations, drafts and caption sidecars. */
export function writtenFiles(spec: VideoSpec): string[] {
  const videos = [spec.output, ...spec.translations.map((t) => translationOutput(spec.output, t.language))];
  const files: string[] = [];
  // Run on every load for every video (the duplicate-output check): each stem is taken once.
  for (const v of videos) {
    const s = stem(v);
    files.push(v, `${s}.srt`, `${s}.draft${extOf(v)}`, `${s}.draft.srt`);
  }
  return files;
}
