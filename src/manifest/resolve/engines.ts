/**
 * HeyGen's engine rules and what a transparent video needs, checked before anything is sent, each at the
 * key that breaks it (VideoCreate.json states them in its field descriptions):
 *
 * - a photo (`avatar: {photo}`) is animated by `type: image`, which takes no `engine`: Avatar IV only;
 * - `expressiveness` is taken on Avatar IV only ("rejected when engine.type is 'avatar_v'"; Avatar III
 *   supports neither it nor `motion_prompt`);
 * - `motion` is never taken on Avatar III. Whether a look is a photo avatar (motion on IV) is the
 *   catalog's to say (src/execute/heygen/catalog-checks.ts);
 * - `transparent: true` (`output_format: webm`) "rejects any background", and needs an avatar to cut out.
 */
import { isAudioOutput } from '../../model/outputs.js';
import type { AvatarEngine, AvatarSpec, PendingRef, SceneSpec, VoiceSpec } from '../../model/spec.js';
import type { DataPath } from '../issue.js';
import type { ManifestInput } from '../types.js';
import type { Resolving } from './context.js';

/** Where the engine a scene renders on was written, by the same precedence as `effectiveScene`. */
function engineAt(m: ManifestInput, i: number): { engine?: AvatarEngine; at: DataPath } {
  const s = m.scenes?.[i];
  const own = (a: ManifestInput['avatar']): AvatarEngine | undefined => (typeof a === 'object' ? a.engine : undefined);
  if (s?.engine !== undefined) return { engine: s.engine, at: ['scenes', i, 'engine'] };
  if (s?.avatar !== undefined) return own(s.avatar) !== undefined ? { engine: own(s.avatar), at: ['scenes', i, 'avatar', 'engine'] } : { at: ['scenes', i, 'avatar'] };
  if (m.engine !== undefined) return { engine: m.engine, at: ['engine'] };
  return own(m.avatar) !== undefined ? { engine: own(m.avatar), at: ['avatar', 'engine'] } : { at: ['avatar'] };
}

/**
 * The engine rules, per scene; a video-level mistake is reported once, at its key. A photo has no default voice
 * (HeyGen falls back to a look's only), so its script scenes need one.
 */
export function engineIssues(
  r: Resolving,
  m: ManifestInput,
  video: { avatar: AvatarSpec<PendingRef> | undefined; voice: VoiceSpec | undefined },
  scenes: readonly SceneSpec<PendingRef>[],
): void {
  const videoAvatar = video.avatar;
  const seen = new Set<string>();
  const push = (code: 'E_AVATAR_ENGINE' | 'E_AVATAR_EXPRESSIVENESS' | 'E_AVATAR_MOTION', path: DataPath, message: string, hint: string): void => {
    const k = `${code} ${path.join('.')}`;
    if (seen.has(k)) return;
    seen.add(k);
    r.issues.push({ code, message, hint, path });
  };
  scenes.forEach((scene, i) => {
    const avatar = scene.avatar ?? videoAvatar;
    // Every rule below asks for a photo, an expressiveness or a motion: most avatars have none (no paths to build).
    if (!avatar || (!avatar.photo && avatar.expressiveness === undefined && avatar.motion === undefined)) return;
    const own: DataPath = scene.avatar ? ['scenes', i, 'avatar'] : ['avatar'];
    const where = engineAt(m, i);
    // An alias may bring the engine: then the avatar is where it was asked for.
    const engine = where.engine ?? avatar.engine;
    const enginePath = where.engine !== undefined ? where.at : own;
    if (avatar.photo && engine !== undefined && engine !== 'avatar_iv') {
      push('E_AVATAR_ENGINE', enginePath, `engine ${engine} cannot animate a photo: HeyGen animates \`avatar: {photo}\` with \`type: image\`, which renders on Avatar IV only`,
        'remove the engine (a photo renders on avatar_iv), or make the photo a photo avatar look in HeyGen and use its id, `avatar: {id: <look id>}`, which takes any engine the look supports');
    }
    if (avatar.expressiveness !== undefined && engine !== undefined && engine !== 'avatar_iv') {
      push('E_AVATAR_EXPRESSIVENESS', [...own, 'expressiveness'], `expressiveness is set with the ${engine} engine: HeyGen takes expressiveness on avatar_iv only`,
        'remove `expressiveness`, or render this avatar on avatar_iv (remove the engine)');
    }
    if (avatar.photo && scene.input.type === 'script' && !scene.voice && !video.voice && m.voice === undefined && m.scenes?.[i]?.voice === undefined) {
      r.issues.push({
        code: 'E_NO_VOICE',
        message: `scenes[${i}] has a script and a photo avatar, but no voice: a photo has no default voice`,
        hint: 'set `voice:` on the video or the scene (or defaults.voice in heygen.config.ts)',
        path: ['scenes', i, 'script'],
        at: 'key',
      });
    }
    if (avatar.motion !== undefined && engine === 'avatar_iii') {
      push('E_AVATAR_MOTION', [...own, 'motion'], 'motion is set with the avatar_iii engine: Avatar III takes no motion prompt',
        'remove `motion`, or render on avatar_iv (photos and photo avatar looks) or avatar_v (any look that supports it)');
    }
  });
}

/** What `transparent: true` needs: a video (not a template, dub or voiceover) with its own avatar and no background anywhere. */
export function transparentIssues(r: Resolving, m: ManifestInput, output: string): void {
  if (m.transparent !== true) return;
  const fail = (path: DataPath, message: string, hint?: string, at?: 'key'): void => {
    r.issues.push({ code: 'E_TRANSPARENT', message, ...(hint ? { hint } : {}), path, ...(at ? { at } : {}) });
  };
  const kind = m.template !== undefined ? 'a template video' : m.source !== undefined ? 'a dub (source:)' : isAudioOutput(output) ? 'a voiceover' : undefined;
  if (kind) return fail(['transparent'], `${kind} cannot be transparent: HeyGen cuts out an avatar it renders`, 'remove `transparent: true`', 'key');
  if (m.avatar === undefined) {
    fail(['transparent'], 'a transparent video needs a video-level `avatar:`: the alpha channel is the avatar cut out of its background', 'add `avatar:` to the video, or remove `transparent: true`', 'key');
  }
  if (m.background !== undefined && !r.fromDefaults(['background'])) fail(['background'], 'a transparent video has no background (HeyGen rejects any background with output_format webm)', 'remove `background:`, or remove `transparent: true`', 'key');
  (m.scenes ?? []).forEach((s, i) => {
    if (s.background !== undefined) fail(['scenes', i, 'background'], `scenes[${i}] has a background, and the video is transparent`, 'remove the scene\'s `background:`, or remove `transparent: true`', 'key');
  });
  if ((m.translations ?? []).length > 0) {
    fail(['translations'], 'a transparent video cannot be translated: HeyGen\'s translations are MP4s, without the alpha channel', 'translate a copy of the video without `transparent: true`', 'key');
  }
}
