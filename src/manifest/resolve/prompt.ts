/**
 * `prompt:`: a video Video Agent writes from a prompt. The agent chooses the script, the scenes and
 * the look, so only what the manifest itself writes is sent: an avatar or voice inherited from config
 * defaults is not (the agent picks one), and a background or size cannot be asked for at all.
 */

import type { AvatarSpec, Dimension, PendingRef, PromptSpec, VoiceSpec } from '../../model/spec.js';
import { promptLength } from '../../plan/prompt-seconds.js';
import type { DataPath } from '../issue.js';
import type { ManifestInput } from '../types.js';
import { assetRef, type Resolving } from './context.js';

/** The keys that only mean something with `prompt:`. */
const PROMPT_ONLY = ['style', 'orientation', 'brand_kit', 'files'] as const;
/** What Video Agent takes of an avatar or voice: its id (an alias gives one). */
const ID_KEYS = new Set(['id', 'alias']);

/** The prompt spec, or undefined for another kind of video (whose prompt-only keys are reported). */
export function promptSpec(r: Resolving, m: ManifestInput): PromptSpec<PendingRef> | undefined {
  if (m.prompt === undefined) {
    for (const key of PROMPT_ONLY) {
      if (m[key] !== undefined && !r.fromDefaults([key])) {
        r.issues.push({
          code: 'E_SCHEMA',
          message: `${key} applies to a prompt video only (one with \`prompt:\`)`,
          hint: `remove ${key}:, or replace scenes:/template:/source: with prompt: to have Video Agent write the video`,
          path: [key],
          at: 'key',
        });
      }
    }
    return undefined;
  }
  notForPrompts(r, m);
  const files: PendingRef[] = [];
  (m.files ?? []).forEach((f, i) => {
    const ref = assetRef(r, f, ['files', i], 'prompt file');
    if (ref) files.push(ref);
  });
  const length = promptLength(m.prompt);
  return {
    text: m.prompt,
    ...(m.style !== undefined ? { style: m.style } : {}),
    ...(m.orientation !== undefined ? { orientation: m.orientation } : {}),
    ...(m.brand_kit !== undefined ? { brandKit: m.brand_kit } : {}),
    files,
    seconds: length.seconds,
    ...(length.statedAs !== undefined ? { statedAs: length.statedAs } : {}),
  };
}

/** Whether the manifest itself (not config defaults) writes `key`. */
function written(r: Resolving, m: ManifestInput, key: keyof ManifestInput): boolean {
  return m[key] !== undefined && !r.fromDefaults([key]);
}

/** What a prompt video cannot take, reported where it is written. */
function notForPrompts(r: Resolving, m: ManifestInput): void {
  const refuse = (path: DataPath, message: string, hint: string): void => {
    r.issues.push({ code: 'E_SCHEMA', message, hint, path, at: 'key' });
  };
  if (written(r, m, 'background')) refuse(['background'], 'background does not apply to a prompt video: Video Agent composes its scenes', 'remove background:, and describe the look in the prompt (or pick a `style:`)');
  if (written(r, m, 'dimension')) refuse(['dimension'], 'dimension does not apply to a prompt video: Video Agent renders at its own size', 'remove dimension:, and write `orientation: landscape` or `orientation: portrait`');
  // Video Agent's request has no engine or output format: neither would reach HeyGen.
  if (written(r, m, 'engine')) refuse(['engine'], 'engine does not apply to a prompt video: Video Agent picks its own engine', 'remove engine:');
  if (m.transparent === true) refuse(['transparent'], 'transparent does not apply to a prompt video: Video Agent renders an MP4', 'remove transparent:, or write the video with scenes: and one avatar');
  for (const key of ['avatar', 'voice'] as const) {
    const v = m[key];
    if (typeof v !== 'object' || r.fromDefaults([key])) continue;
    for (const k of Object.keys(v)) {
      if (!ID_KEYS.has(k)) refuse([key, k], `${key}.${k} does not apply to a prompt video: Video Agent takes only the ${key}'s id`, `remove ${k}:, or describe it in the prompt`);
    }
  }
}

/**
 * The avatar and voice a prompt video sends: only those the manifest writes, and the voice an avatar alias
 * it writes brings; config defaults leave the agent to pick.
 */
export function promptPicks(
  r: Resolving,
  m: ManifestInput,
  avatar: { spec?: AvatarSpec<PendingRef>; voice?: VoiceSpec },
  voice: VoiceSpec | undefined,
): { avatar?: AvatarSpec<PendingRef>; voice?: VoiceSpec } {
  const a = written(r, m, 'avatar') ? avatar : {};
  const v = written(r, m, 'voice') ? voice : a.voice;
  return { ...(a.spec ? { avatar: a.spec } : {}), ...(v ? { voice: v } : {}) };
}

/** The frame a prompt video's draft is drawn in (Video Agent's own renders are 1080p). */
export function promptDimension(p: PromptSpec<PendingRef>): Dimension {
  return p.orientation === 'portrait' ? { width: 1080, height: 1920 } : { width: 1920, height: 1080 };
}
