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
    const bad = malformedBreak(s.script);
    if (bad !== undefined) {
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
 * The first pause tag that is not `<break time="Ns"/>`, if any. An exec loop, not matchAll: this
 * runs on every script of a cold load, and matchAll clones the regex and builds an iterator each time.
 */
function malformedBreak(script: string): string | undefined {
  if (!script.includes('<break')) return undefined;
  BREAK_TAG.lastIndex = 0;
  for (let m = BREAK_TAG.exec(script); m !== null; m = BREAK_TAG.exec(script)) {
    if (!VALID_BREAK.test(m[0])) {
      BREAK_TAG.lastIndex = 0;
      return m[0];
    }
  }
  return undefined;
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
  // Paths are built only for what the scene writes: most scenes set neither avatar nor voice.
  const sceneAvatar = s.avatar === undefined ? NO_AVATAR : avatar(r, s.avatar, [...at, 'avatar']);
  // A scene that switches to an avatar alias with its own voice speaks with that voice,
  // unless the scene names a voice itself.
  const sceneVoice = (s.voice === undefined ? undefined : voice(r, s.voice, [...at, 'voice'])) ?? sceneAvatar.voice;
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
  const text = s.text === undefined ? undefined : textOverlays(r, s.text, [...at, 'text'], dim);
  // Members set one by one in this fixed order, optional ones only when present (as a spread of
  // `cond ? {…} : {}` parts would, without a throwaway object per part).
  const out: Writable<SceneSpec<PendingRef>> = { input };
  if (sceneAvatar.spec) out.avatar = sceneAvatar.spec;
  if (s.engine !== undefined) out.engine = s.engine;
  if (sceneVoice) out.voice = sceneVoice;
  if (sceneBackground) out.background = sceneBackground;
  if (text) out.text = text;
  return out;
}

const NO_AVATAR: ReturnType<typeof avatar> = Object.freeze({});

type Writable<T> = { -readonly [K in keyof T]: T[K] };
