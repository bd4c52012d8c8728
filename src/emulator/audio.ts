/**
 * How long an uploaded audio file plays: WAV from its header (exact, no process), anything else
 * through ffprobe. HeyGen lip-syncs the avatar to the whole file, so this is the video's length.
 */
import { probeSeconds } from './generate.js';

/** Seconds of PCM in a RIFF/WAVE file: the `data` chunk size over the `fmt ` byte rate. */
export function wavSeconds(bytes: Buffer): number | undefined {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    return undefined;
  }
  let byteRate: number | undefined;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = bytes.toString('latin1', pos, pos + 4);
    const size = bytes.readUInt32LE(pos + 4);
    if (id === 'fmt ' && pos + 16 <= bytes.length) byteRate = bytes.readUInt32LE(pos + 16);
    if (id === 'data') {
      if (!byteRate) return undefined;
      // A streamed WAV may declare 0 or 0xFFFFFFFF; then the rest of the file is the data.
      const available = bytes.length - pos - 8;
      const dataBytes = size === 0 || size === 0xffffffff || size > available ? available : size;
      return dataBytes / byteRate;
    }
    pos += 8 + size + (size % 2);
  }
  return undefined;
}

/** How long uploaded audio plays (WAV from its header, MP3 through ffprobe), or undefined for other types. */
export async function audioSeconds(bytes: Buffer, mime: string): Promise<number | undefined> {
  if (mime === 'audio/wav') return wavSeconds(bytes) ?? probeSeconds(bytes, 'wav');
  if (mime === 'audio/mpeg') return probeSeconds(bytes, 'mp3');
  return undefined;
}
