/**
 * The scene as the unit of rendering. Each scene maps to the cheapest faithful HeyGen v3 request (or
 * to none), described as data: a `SceneClip`. Its key is the sha256 of that description with local
 * assets replaced by their bytes' digests, so the key holds exactly what HeyGen renders:
 *
 * - an avatar over a color or a covering image, style normal, scale 1, no offset: HeyGen composites
 *   the scene (`avatar`, `layout: 'heygen'`), and the clip is the finished scene;
 * - an avatar that needs local layout (closeUp, circle, scale, offset, a video background, an image
 *   fit other than cover, or no background): a transparent WebM (`layout: 'local'`), laid out over the
 *   background by the compositor, so the background is not part of the clip's key;
 * - a silent avatar scene: the avatar lip-syncs to an uploaded silent audio of the scene's length;
 * - a script without an avatar: speech from `/v3/voices/speech` (`speech`), over its background;
 * - audio or silence without an avatar: no HeyGen call at all.
 *
 * Reordering scenes, or moving one to another video, keeps its key: nothing is rendered again.
 */
import { canonicalJson, sha256Hex } from '../hash/canonical.js';
import { clipKeyText } from '../hash/clip-text.js';
import type { ClipBackground, ClipSpeech, ClipVoice, SceneClip } from '../model/clip.js';
import type { AssetRef, AvatarSpec, BackgroundSpec, Dimension, EffectiveScene, VideoSpec, VoiceSpec } from '../model/spec.js';
import { effectiveScene } from '../model/spec.js';
import { isAudioOutput } from '../model/outputs.js';
import { estimateEffectiveSeconds } from './estimate.js';

/** Bump when a clip's hashed shape changes meaning: every clip key changes with it. */
export const CLIP_FORMAT = 1;

/** v3 avatar renders come in these sizes only (short side 720, 1080 or 2160 at five aspect ratios). */
const V3_RATIOS: readonly [number, number][] = [[16, 9], [9, 16], [1, 1], [4, 5], [5, 4]];
const V3_SHORT_SIDES = [720, 1080, 2160] as const;

/** One scene's plan inputs: the HeyGen clip it needs (if any), its content key and its estimated length. */
export interface ScenePlan {
  index: number;
  /** Absent when the scene needs no HeyGen call (audio or silence without an avatar). */
  clip?: SceneClip;
  /** The clip's content key. */
  key?: string;
  /** Estimated seconds of the scene (what the paid clip would last). */
  seconds: number;
}

/** The label of a video's scene clip in progress, events and webhooks: `<video id>#<scene number>` (from 1). */
export function sceneLabel(videoId: string, index: number): string {
  return `${videoId}#${index + 1}`;
}

/** Each scene of `spec` with the clip it needs from HeyGen, if any. */
export function scenePlans(spec: VideoSpec): ScenePlan[] {
  // Pushed, not mapped: one kind of array whichever tier runs this (see manifest/finish.ts).
  const plans: ScenePlan[] = [];
  // Asked once for the video, not per scene.
  const audio = isAudioOutput(spec.output);
  for (let index = 0; index < spec.scenes.length; index++) {
    // What the scene inherits is worked out once for its estimate and its clip (estimateSceneSeconds and sceneClip each would).
    const eff = effectiveScene(spec, index);
    const seconds = estimateEffectiveSeconds(eff);
    const clip = clipOf(spec, eff, audio);
    plans.push(clip ? { index, clip, key: clipKey(clip), seconds } : { index, seconds });
  }
  return plans;
}

/** The HeyGen clip one scene needs, or undefined when it is composed locally from audio or silence. */
export function sceneClip(spec: VideoSpec, index: number): SceneClip | undefined {
  return clipOf(spec, effectiveScene(spec, index));
}

/** `audio`: whether the video is a voiceover (isAudioOutput of its output), when the caller knows. */
function clipOf(spec: VideoSpec, eff: EffectiveScene, audio: boolean = isAudioOutput(spec.output)): SceneClip | undefined {
  // A voiceover is speech only, whatever avatar the config's defaults bring.
  if (!eff.avatar || audio) {
    if (eff.input.type !== 'script') return undefined;
    // A script with no voice cannot be spoken; validation reports it (E_NO_VOICE) before any plan.
    return eff.voice ? { kind: 'speech', text: eff.input.text, voice: clipVoice(eff.voice) } : undefined;
  }
  const background = heygenBackground(eff.avatar, eff.background);
  const size = v3Size(spec.dimension);
  const heygen = background !== undefined && size.width === spec.dimension.width && size.height === spec.dimension.height;
  // Members set one by one, optional ones only when present, in the order a spread of
  // `cond ? {…} : {}` parts gave (without a throwaway object per part: this runs per scene).
  const clip: AvatarClip = { kind: 'avatar', layout: heygen ? 'heygen' : 'local' };
  if (eff.avatar.photo) clip.photo = eff.avatar.photo;
  else clip.avatarId = eff.avatar.id;
  if (eff.avatar.engine) clip.engine = eff.avatar.engine;
  if (eff.avatar.expressiveness) clip.expressiveness = eff.avatar.expressiveness;
  if (eff.avatar.motion !== undefined) clip.motion = eff.avatar.motion;
  clip.speech = clipSpeech(eff);
  if (heygen) clip.background = background;
  clip.size = size;
  clip.captions = spec.caption !== 'none';
  return clip as SceneClip;
}

/** An avatar clip while clipOf fills it in. */
type AvatarClip = Partial<Extract<SceneClip, { kind: 'avatar' }>> & Pick<Extract<SceneClip, { kind: 'avatar' }>, 'kind' | 'layout'>;

/** The background HeyGen can composite itself, or undefined when the scene needs local layout. */
function heygenBackground(avatar: AvatarSpec, bg: BackgroundSpec | undefined): ClipBackground | undefined {
  if (avatar.style !== 'normal' || avatar.scale !== 1 || avatar.offset.x !== 0 || avatar.offset.y !== 0) return undefined;
  if (bg?.type === 'color') return { type: 'color', color: bg.color.toUpperCase() };
  if (bg?.type === 'image' && bg.fit === 'cover') return { type: 'image', source: bg.source };
  return undefined;
}

function clipSpeech(eff: EffectiveScene): ClipSpeech {
  const input = eff.input;
  if (input.type === 'audio') return { type: 'audio', source: input.source };
  if (input.type === 'silence') return { type: 'silence', seconds: input.seconds };
  return { type: 'script', text: input.text, ...(eff.voice ? { voice: clipVoice(eff.voice) } : {}) };
}

function clipVoice(v: VoiceSpec): ClipVoice {
  const out: { -readonly [K in keyof ClipVoice]: ClipVoice[K] } = { id: v.id, speed: v.speed, pitch: v.pitch };
  if (v.locale !== undefined) out.locale = v.locale;
  if (v.volume !== undefined) out.volume = v.volume;
  if (v.elevenlabs !== undefined) out.elevenlabs = v.elevenlabs;
  return out;
}

/** The output's size when v3 renders it; else the v3 size of the nearest aspect ratio, at least as large. */
export function v3Size(d: Dimension): Dimension {
  const short = Math.min(d.width, d.height);
  // Loops, not `find` with a closure: this runs per avatar scene of a cold plan.
  let tier = 2160;
  for (const s of V3_SHORT_SIDES) {
    if (s >= short) {
      tier = s;
      break;
    }
  }
  let exact: readonly [number, number] | undefined;
  for (const r of V3_RATIOS) {
    if (d.width * r[1] === d.height * r[0]) {
      exact = r;
      break;
    }
  }
  const ratio = exact ?? nearestRatio(d);
  const w = ratio[0];
  const h = ratio[1];
  return w >= h ? { width: (tier * w) / h, height: tier } : { width: tier, height: (tier * h) / w };
}

function nearestRatio(d: Dimension): [number, number] {
  const r = Math.log(d.width / d.height);
  let best = V3_RATIOS[0]!;
  for (const c of V3_RATIOS) if (Math.abs(Math.log(c[0] / c[1]) - r) < Math.abs(Math.log(best[0] / best[1]) - r)) best = c;
  return best;
}

/** The clip's content key: canonical JSON of the description, local assets by their bytes' digest. */
export function clipKey(clip: SceneClip): string {
  return sha256Hex(clipKeyText(CLIP_FORMAT, clip) ?? canonicalJson({ format: CLIP_FORMAT, clip: hashedClip(clip) }));
}

/** The description with each asset replaced by what identifies its content (built directly: this runs per scene). */
function hashedClip(clip: SceneClip): unknown {
  if (clip.kind === 'speech') return clip;
  const speech = clip.speech.type === 'audio' ? { type: 'audio', source: byBytes(clip.speech.source) } : clip.speech;
  const background = clip.background?.type === 'image' ? { type: 'image', source: byBytes(clip.background.source) } : clip.background;
  return { ...clip, speech, background, photo: clip.photo && byBytes(clip.photo) };
}

function byBytes(ref: AssetRef): { sha256: string } | { url: string } {
  return ref.kind === 'local' ? { sha256: ref.sha256 } : { url: ref.url };
}
