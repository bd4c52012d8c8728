/**
 * From the plan's scene clips (src/plan/scenes.ts) to the compositor's clips: what each scene of a
 * HeyGen build hands to `compose`, given the files its v3 renders were downloaded to.
 */
import path from 'node:path';
import { HeygenBuildError } from '../errors.js';
import type { VideoSpec } from '../model/spec.js';
import { effectiveScene } from '../model/spec.js';
import type { ScenePlan } from '../plan/scenes.js';
import type { Clip, ClipCue } from './types.js';

/** A downloaded v3 render: the clip file, its captions (relative to its start), its duration. */
export interface RenderedClip {
  path: string;
  captions?: readonly ClipCue[];
  seconds?: number;
}

/**
 * The compositor's clip for scene `plan.index`: an avatar HeyGen composited is a finished scene, a
 * transparent avatar is laid out locally, speech is narration over the background; a scene with no
 * HeyGen call plays its own audio file (a URL one from `assets`) or silence.
 */
export function clipFor(
  spec: VideoSpec,
  plan: ScenePlan,
  rendered: RenderedClip | undefined,
  ctx: { root: string; assets?: ReadonlyMap<string, string> },
): Clip {
  const extra = (r: RenderedClip): Pick<Clip, 'captions' | 'seconds'> => ({
    ...(r.captions ? { captions: r.captions } : {}),
    ...(r.seconds !== undefined ? { seconds: r.seconds } : {}),
  });
  const clip = plan.clip;
  if (clip) {
    if (!rendered) {
      throw new HeygenBuildError('E_COMPOSE_CLIPS', `video ${spec.id}: scene ${plan.index + 1} has no rendered clip to compose`, {
        hint: 'this is a bug in heygen-build: please report it',
      });
    }
    if (clip.kind === 'speech') return { kind: 'audio', path: rendered.path, ...extra(rendered) };
    return { kind: clip.layout === 'heygen' ? 'scene' : 'alpha', path: rendered.path, ...extra(rendered) };
  }
  const input = effectiveScene(spec, plan.index).input;
  if (input.type === 'audio') {
    const file = input.source.kind === 'local' ? path.resolve(ctx.root, input.source.path) : ctx.assets?.get(input.source.url);
    if (file === undefined) {
      throw new HeygenBuildError('E_COMPOSE_ASSET', `video ${spec.id}: the audio of scene ${plan.index + 1} was not downloaded`, {
        hint: 'this is a bug in the build (it downloads URL assets before composing): please report it',
      });
    }
    return { kind: 'audio', path: file };
  }
  return { kind: 'audio', seconds: input.type === 'silence' ? input.seconds : plan.seconds };
}
