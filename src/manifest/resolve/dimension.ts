/** Video size and caption mode: pure functions of what the manifest wrote. */

import type { CaptionMode, Dimension } from '../../model/spec.js';
import type { DimensionInput, ManifestInput } from '../types.js';

const ASPECTS: Record<string, Dimension> = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
  '4:5': { width: 1080, height: 1350 },
  '5:4': { width: 1350, height: 1080 },
  '4:3': { width: 1440, height: 1080 },
};
const PRESETS: Record<string, Dimension> = {
  '720p': { width: 1280, height: 720 },
  '1080p': { width: 1920, height: 1080 },
  // HeyGen's 4k tier: 2160 on the short side.
  '4k': { width: 3840, height: 2160 },
};
const DEFAULT_DIMENSION: Dimension = { width: 1280, height: 720 };

/** The frame size a manifest asks for (preset, aspect ratio or explicit size), or the default when it names none. */
export function resolveDimension(d: DimensionInput | undefined): Dimension {
  if (d === undefined) return { ...DEFAULT_DIMENSION };
  if (typeof d === 'string') return { ...(PRESETS[d] ?? ASPECTS[d] ?? DEFAULT_DIMENSION) };
  if ('width' in d) return { width: d.width, height: d.height };
  const p = PRESETS[d.preset] ?? DEFAULT_DIMENSION;
  if (d.orientation === 'portrait') return { width: p.height, height: p.width };
  if (d.orientation === 'square') return { width: p.height, height: p.height };
  return { ...p };
}

/** How captions are delivered: none, a sidecar file, or burnt into the picture. */
export function captionMode(c: ManifestInput['caption']): CaptionMode {
  if (c === undefined || c === false) return 'none';
  if (c === true) return 'file';
  return c.burn ? 'burn' : 'file';
}
