/** Small VideoSpec builders for mapping tests. */
import type { Mutable } from '../../../hash/specs.js';
import type { AssetRef, AvatarSpec, SceneSpec, VideoSpec, VoiceSpec } from '../../../../src/model/spec.js';

export const avatar = (over: Partial<AvatarSpec> = {}): AvatarSpec => ({
  id: 'Angela-inblackskirt-20220820',
  label: 'angela',
  style: 'normal',
  scale: 1,
  offset: { x: 0, y: 0 },
  ...over,
});

export const voice = (over: Partial<VoiceSpec> = {}): VoiceSpec => ({ id: '1bd001e7e50f421d891986aad5158bc8', label: 'narrator', speed: 1, pitch: 0, ...over });

export const local = (path: string): AssetRef => ({ kind: 'local', path, sha256: 'a'.repeat(64), size: 10 });
export const remote = (url: string): AssetRef => ({ kind: 'url', url });

export const script = (text: string, over: Partial<SceneSpec> = {}): SceneSpec => ({ input: { type: 'script', text }, ...over });

/** A spec the test may change in place. */
export function video(over: Partial<VideoSpec> = {}): Mutable<VideoSpec> {
  return <Mutable<VideoSpec>>{
    id: 'welcome',
    source: 'videos/welcome.yaml',
    tags: [],
    output: 'out/welcome.mp4',
    dimension: { width: 1920, height: 1080 },
    caption: 'none',
    avatar: avatar(),
    voice: voice(),
    background: { type: 'color', color: '#112233' },
    scenes: [script('Hello and welcome.')],
    translations: [],
    ...over,
  };
}

/** Uploaded ids for local assets: `asset-<path>`. */
export const ctx = {
  assetId: (ref: AssetRef): string | undefined => (ref.kind === 'local' ? `asset-${ref.path.replace(/[^a-z0-9]/gi, '_')}` : undefined),
  callbackId: 'hb-0123456789abcdef0123456789abcdef01234567-0',
};
