/**
 * What HeyGen renders for one scene, described as data (plan/scenes.ts makes it, hash/clip-text.ts
 * writes its key text, the executor sends it). Plain types only, so that the hashing and the
 * planning code can both import them without importing each other.
 */
import type { AssetRef, AvatarEngine, Dimension, Expressiveness, VoiceSpec } from './spec.js';

/** The voice fields that change a clip's audio, and so its content key (volume and ElevenLabs settings only when set). */
export type ClipVoice = Pick<VoiceSpec, 'id' | 'speed' | 'pitch' | 'locale' | 'volume' | 'elevenlabs'>;

/** What the avatar says: a script, an audio file, or silence of a length (an uploaded silent track). */
export type ClipSpeech =
  | { type: 'script'; text: string; voice?: ClipVoice }
  | { type: 'audio'; source: AssetRef }
  | { type: 'silence'; seconds: number };

/** The backgrounds HeyGen can composite behind an avatar clip. */
export type ClipBackground = { type: 'color'; color: string } | { type: 'image'; source: AssetRef };

/** What HeyGen renders for one scene: an avatar clip, or speech alone; its content key is hashed from this. */
export type SceneClip =
  | {
      kind: 'avatar';
      /** `heygen`: HeyGen composites the background, the clip is the scene; `local`: a transparent WebM. */
      layout: 'heygen' | 'local';
      /** The look HeyGen renders (`type: avatar`); absent for a photo. */
      avatarId?: string;
      /** The photo HeyGen animates (`type: image`), hashed by its bytes; absent for a look. */
      photo?: AssetRef;
      /** Only when the manifest sets them (undefined is not hashed: older keys stay). */
      engine?: AvatarEngine;
      expressiveness?: Expressiveness;
      motion?: string;
      speech: ClipSpeech;
      /** Present only when HeyGen composites it. */
      background?: ClipBackground;
      /** The size HeyGen renders at: the output's, or the nearest v3 size when v3 has no such size. */
      size: Dimension;
      captions: boolean;
    }
  | { kind: 'speech'; text: string; voice: ClipVoice };
