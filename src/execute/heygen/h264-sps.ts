/**
 * An H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1), read as far as the picture's size and
 * whether FFmpeg's decoder gives it the pixel format `yuv420p`: 8-bit 4:2:0 in limited range. Full
 * range (`yuvj420p` in FFmpeg), other depths and chroma formats are left undefined: the caller asks
 * ffprobe then.
 */

/** What an SPS says: the cropped picture size, and `yuv420p` when it is that (see above). */
export interface Sps {
  width: number;
  height: number;
  pixFmt?: 'yuv420p';
}

/** Profiles whose SPS carries chroma format, bit depths and scaling matrices. */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Reads bits MSB first from an RBSP; throws past the end (a truncated SPS reads as unknown). */
class Bits {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  u(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.bytes[this.at >> 3];
      if (byte === undefined) throw new RangeError('end of SPS');
      v = v * 2 + ((byte >> (7 - (this.at & 7))) & 1);
      this.at++;
    }
    return v;
  }

  /** Exp-Golomb, unsigned. */
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) if (++zeros > 31) throw new RangeError('bad Exp-Golomb code');
    return 2 ** zeros - 1 + this.u(zeros);
  }

  /** Exp-Golomb, signed. */
  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -(k / 2);
  }
}

/** The NAL unit's payload without its emulation-prevention bytes (00 00 03 -> 00 00). */
function rbsp(nal: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (let i = 1; i < nal.length; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out.push(b);
  }
  return Uint8Array.from(out);
}

function skipScalingList(r: Bits, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** The SPS in `nal` (a whole NAL unit, header byte first), or undefined when it cannot be read. */
export function readSps(nal: Uint8Array): Sps | undefined {
  if (nal.length < 4 || (nal[0]! & 0x1f) !== 7) return undefined;
  try {
    const r = new Bits(rbsp(nal));
    const profile = r.u(8);
    r.u(16); // constraint flags, level
    r.ue(); // seq_parameter_set_id
    let chroma = 1;
    let depth = 8;
    if (HIGH_PROFILES.has(profile)) {
      chroma = r.ue();
      if (chroma === 3) r.u(1); // separate_colour_plane_flag
      depth = 8 + r.ue();
      const depthChroma = 8 + r.ue();
      if (depthChroma !== depth) return undefined;
      r.u(1); // qpprime_y_zero_transform_bypass_flag
      if (r.u(1)) for (let i = 0; i < (chroma === 3 ? 12 : 8); i++) if (r.u(1)) skipScalingList(r, i < 6 ? 16 : 64);
    }
    r.ue(); // log2_max_frame_num_minus4
    const pocType = r.ue();
    if (pocType === 0) r.ue();
    else if (pocType === 1) {
      r.u(1);
      r.se();
      r.se();
      const n = r.ue();
      for (let i = 0; i < n; i++) r.se();
    }
    r.ue(); // max_num_ref_frames
    r.u(1); // gaps_in_frame_num_value_allowed_flag
    const widthMbs = r.ue() + 1;
    const heightUnits = r.ue() + 1;
    const frameMbsOnly = r.u(1);
    if (!frameMbsOnly) r.u(1); // mb_adaptive_frame_field_flag
    r.u(1); // direct_8x8_inference_flag
    const crop = r.u(1) ? [r.ue(), r.ue(), r.ue(), r.ue()] : [0, 0, 0, 0];
    let fullRange = false;
    if (r.u(1)) {
      // VUI: aspect ratio, overscan, then the video signal type that holds the range.
      if (r.u(1) && r.u(8) === 255) r.u(32);
      if (r.u(1)) r.u(1);
      if (r.u(1)) {
        r.u(3);
        fullRange = r.u(1) === 1;
      }
    }
    if (chroma !== 1) return undefined;
    const cropX = 2;
    const cropY = 2 * (2 - frameMbsOnly);
    const width = widthMbs * 16 - (crop[0]! + crop[1]!) * cropX;
    const height = (2 - frameMbsOnly) * heightUnits * 16 - (crop[2]! + crop[3]!) * cropY;
    if (width <= 0 || height <= 0) return undefined;
    return { width, height, ...(depth === 8 && !fullRange ? { pixFmt: 'yuv420p' as const } : {}) };
  } catch {
    return undefined;
  }
}
