/**
 * What HeyGen's asset upload takes of the files a scene clip sends: `POST /v3/assets` lists "png, jpeg,
 * mp4, webm, mp3, wav, pdf, srt" (AssetCreate.json), and a direct upload's declared type is "verified
 * against the stored bytes at completion" (AssetDirectUploadsCreate.json). So a photo or image background
 * must be a PNG or JPEG, and an audio file an MP3 or WAV, by its bytes (a template's video: an MP4 or a
 * WebM, video-format.ts). Pure: a file's first bytes (or the compositor's reading of a picture's header)
 * in, a problem out.
 */
import type { Sniff, SniffedFormat } from '../../compose/image-sniff.js';

/** How many bytes of an audio file `audioUploadProblem` reads. */
export const AUDIO_HEAD_BYTES = 12;

/** Why HeyGen does not take a picture whose header reads as `sniff` (undefined: it does). */
export function imageUploadProblem(sniff: Sniff): string | undefined {
  if ('unknown' in sniff) return imageFormatProblem(undefined);
  if (!sniff.ok) return sniff.problem;
  return imageFormatProblem(sniff.format);
}

/**
 * Why HeyGen does not take a readable picture of this kind by its signature (image-sniff.ts `signatureFormat`;
 * undefined: none it names, a BMP or a TIFF ffmpeg reads). Undefined when it does take it.
 */
export function imageFormatProblem(format: SniffedFormat | undefined): string | undefined {
  if (format === 'PNG' || format === 'JPEG') return undefined;
  return format === undefined ? 'it is not a PNG or JPEG picture, and HeyGen takes only PNG and JPEG pictures' : `it is a ${format} picture, and HeyGen takes only PNG and JPEG pictures`;
}

/** How many bytes of a picture `signatureFormat` reads. */
export const IMAGE_HEAD_BYTES = 12;

/** Why HeyGen does not take an audio file that starts with `head` (undefined: it does). */
export function audioUploadProblem(head: Buffer): string | undefined {
  return audioFormatProblem(audioFormat(head));
}

/** Why HeyGen does not take an audio file of this container (undefined: none its signature names). */
export function audioFormatProblem(format: AudioFormat | undefined): string | undefined {
  if (format === 'MP3' || format === 'WAV') return undefined;
  return `it is ${format === undefined ? 'neither an MP3 nor a WAV file' : AUDIO_NAMES[format]}, and HeyGen takes only MP3 and WAV audio`;
}

/** `an MP3 file`, `an M4A (MP4 audio) file`: for messages. */
export function audioFormatName(format: AudioFormat): string {
  return AUDIO_NAMES[format];
}

/** An audio container told by its signature: the two HeyGen takes, and the usual others for a clear message. */
export type AudioFormat = 'MP3' | 'WAV' | 'M4A' | 'AAC' | 'OGG' | 'FLAC' | 'AIFF';

/** Whether `x` names one of the containers `audioFormat` tells (for a verdict read back from a cache). */
export function isAudioFormat(x: unknown): x is AudioFormat {
  return typeof x === 'string' && Object.hasOwn(AUDIO_NAMES, x);
}

const AUDIO_NAMES: Record<AudioFormat, string> = {
  MP3: 'an MP3 file',
  WAV: 'a WAV file',
  M4A: 'an M4A (MP4 audio) file',
  AAC: 'a raw AAC file',
  OGG: 'an Ogg file',
  FLAC: 'a FLAC file',
  AIFF: 'an AIFF file',
};

/** The container of an audio file, from its signature: the two HeyGen takes, and the usual others for a clear message. */
export function audioFormat(head: Buffer): AudioFormat | undefined {
  const ascii = head.toString('latin1', 0, 12);
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WAVE') return 'WAV';
  if (ascii.startsWith('ID3')) return 'MP3';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) {
    // An MPEG audio frame's layer bits are never 00; ADTS (raw AAC) has the same sync with layer 00.
    return (head[1]! & 0x06) === 0 ? 'AAC' : 'MP3';
  }
  if (ascii.slice(4, 8) === 'ftyp') return 'M4A';
  if (ascii.startsWith('OggS')) return 'OGG';
  if (ascii.startsWith('fLaC')) return 'FLAC';
  if (ascii.startsWith('FORM') && /^AIF[FC]$/.test(ascii.slice(8, 12))) return 'AIFF';
  return undefined;
}
