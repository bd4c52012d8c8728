/** Scenes: their input (script, audio or silence), and what they override of the video. */

import type { PendingRef, SceneSpec, VoiceSpec } from '../../model/spec.js';
import { formatPath, type DataPath } from '../issue.js';
import type { ManifestInput, SceneInputYaml } from '../types.js';
import { assetRef, type Resolving } from './context.js';
import { avatar, background, voice } from './media.js';
import { textOverlays } from './text.js';
import type { Dimension } from '../../model/spec.js';

const BREAK_TAG = /<break\b[^>]*>/g;
const VALID_BREAK = /^<break time="\d+(\.\d+)?s"\s*\/>$/;

function sceneInput(r: Resolving, s: SceneInputYaml, at: DataPath): SceneSpec<PendingRef>['input'] {
  if (s.script !== undefined) {
    const bad = [...s.script.matchAll(BREAK_TAG)].map((x) => x[0]).find((t) => !VALID_BREAK.test(t));
    if (bad) {
      r.issues.push({
        code: 'E_SCHEMA',
        message: `${formatPath([...at, 'script'])} has a malformed pause ${bad}`,
        hint: 'write pauses as <break time="1.5s"/>',
        path: [...at, 'script'],
      });
    }
    return { type: 'script', text: s.script };
  }
  if (s.audio !== undefined) {
    const src = assetRef(r, s.audio, [...at, 'audio'], 'audio');
    return src ? { type: 'audio', source: src } : { type: 'silence', seconds: 0 };
  }
  return { type: 'silence', seconds: s.silence ?? 0 };
}

/**
 * What a scene inherits: the video's own voice or its avatar alias's (a script scene needs one somewhere), and whether
 * the video's avatar was already reported (its alias might have brought a voice: no follow-on E_NO_VOICE).
 */
export interface VideoVoice {
  voice: VoiceSpec | undefined;
  avatarFailed: boolean;
}

/** Resolves one scene against the video's voice, collecting its problems; `dim` is the video's frame (for its overlays). */
export function scene(r: Resolving, m: ManifestInput, s: SceneInputYaml, i: number, video: VideoVoice, dim: Dimension): SceneSpec<PendingRef> {
  const videoVoice = video.voice;
  const at: DataPath = ['scenes', i];
  const input = sceneInput(r, s, at);
  const sceneAvatar = avatar(r, s.avatar, [...at, 'avatar']);
  // A scene that switches to an avatar alias with its own voice speaks with that voice,
  // unless the scene names a voice itself.
  const sceneVoice = voice(r, s.voice, [...at, 'voice']) ?? sceneAvatar.voice;
  const sceneBackground = s.background === undefined ? undefined : background(r, s.background, [...at, 'background']);
  // A voice that was written but failed to resolve, or an avatar alias that failed (it may bring one), was
  // reported already: saying "no voice" for the same mistake would only bury it.
  const voiceGiven = s.voice !== undefined || m.voice !== undefined || video.avatarFailed || sceneAvatar.failed === true;
  // An avatar speaks with its look's default voice when none is given: the plan checks it has one.
  const avatarGiven = s.avatar !== undefined || m.avatar !== undefined;
  if (input.type === 'script' && !sceneVoice && !videoVoice && !voiceGiven && !avatarGiven) {
    r.issues.push({
      code: 'E_NO_VOICE',
      message: `${formatPath(at)} has a script but no voice (and no avatar whose default voice could speak it)`,
      hint: 'set `voice:` on the video or the scene, set defaults.voice in heygen.config.ts, or give the avatar alias a `voice`',
      path: [...at, 'script'],
      at: 'key',
    });
  }
  const text = textOverlays(r, s.text, [...at, 'text'], dim);
  return {
    input,
    ...(sceneAvatar.spec ? { avatar: sceneAvatar.spec } : {}),
    ...(s.engine !== undefined ? { engine: s.engine } : {}),
    ...(sceneVoice ? { voice: sceneVoice } : {}),
    ...(sceneBackground ? { background: sceneBackground } : {}),
    ...(text ? { text } : {}),
  };
}
