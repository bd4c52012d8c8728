/**
 * The plan of a rendered video, scene by scene: each scene's clip is reused when its key is recorded,
 * resumed when in flight, and created (paid) otherwise. Only created clips are estimated in credits.
 */
import type { ClipKind, ClipLock } from '../model/lock.js';
import type { ScenePlanItem } from '../model/plan.js';
import type { AvatarEngine, VideoSpec } from '../model/spec.js';
import { CREDIT_RATES, round2, type Engine } from './estimate.js';
import { sceneFacts } from './derived.js';

/** Starfish text to speech (`POST /v3/voices/speech`): 0.000333 credit per second (heygen-api.md §8). */
export const SPEECH_CREDITS_PER_SECOND = 0.000333;

/** The scene-by-scene plan of a composed video: what each scene costs and a one-line summary. */
export interface VideoScenes {
  scenes: ScenePlanItem[];
  credits: number;
  /** "1 of 3 scenes to render, 2 reused" (a clip in flight: "1 of 3 scenes to render (1 in flight: resumed, not paid twice), 2 reused"), or "recompose only (0 of 3 scenes to render, 3 reused)" */
  summary: string;
}

/** Plans each scene of a video against its locked clips: render, reuse, or compose locally at no cost. */
export function planScenes(spec: VideoSpec, clips: Readonly<Record<string, ClipLock>> | undefined, engine: Engine, replace = false): VideoScenes {
  const scenes = sceneFacts(spec).map((p, index): ScenePlanItem => {
    const seconds = round2(p.seconds);
    if (!p.clip) return { index, action: 'local', reasons: ['no HeyGen call: composed locally'], estimate: { seconds, credits: 0 } };
    const key = p.clip.key;
    const rec = clips?.[key];
    const paid = { seconds, credits: clipCredits(p.clip, seconds, engine) };
    if (!rec) return { index, key, action: 'create', reasons: ['new clip'], estimate: paid };
    if (replace && (rec.status === 'completed' || rec.status === 'failed')) {
      return { index, key, action: 'create', reasons: ['replacement requested (--replace): rendered again as a new attempt'], estimate: paid };
    }
    switch (rec.status) {
      case 'completed':
        return { index, key, action: 'reuse', reasons: ['clip already rendered'], estimate: { seconds, credits: 0 } };
      case 'pending':
        // The POST may never have reached HeyGen: counted at full price, to be safe.
        return { index, key, action: 'resume', reasons: ['intent recorded: resent with the same Idempotency-Key'], estimate: paid };
      case 'submitted':
        return { index, key, action: 'resume', reasons: [`submitted as ${rec.remoteId ?? '?'}, not finished`], estimate: { seconds, credits: 0 } };
      case 'failed':
        return { index, key, action: 'create', reasons: [`previous render failed${rec.error ? `: ${rec.error.message}` : ''}`], estimate: paid };
    }
  });
  const credits = round2(scenes.reduce((n, s) => n + s.estimate.credits, 0));
  return { scenes, credits, summary: sceneSummary(scenes) };
}

/**
 * "1 of 3 scenes to render, 2 reused": the one-line summary of a video's scenes. `fromStore` of the
 * reused ones come from the remote store (src/remote/plan-records.ts), and are said apart.
 */
export function sceneSummary(scenes: readonly ScenePlanItem[], fromStore = 0): string {
  const toRender = scenes.filter((s) => s.action === 'create' || s.action === 'resume').length;
  // Clips a detached or killed build left at HeyGen: said apart, so "to render" does not read as paying again.
  const inFlight = scenes.filter((s) => s.action === 'resume').length;
  const reused = scenes.filter((s) => s.action === 'reuse').length - fromStore;
  const counted = `${toRender} of ${scenes.length} scene${scenes.length === 1 ? '' : 's'} to render${inFlight ? ` (${inFlight} in flight: resumed, not paid twice)` : ''}${reused ? `, ${reused} reused` : ''}${fromStore ? `, ${fromStore} from the remote store` : ''}`;
  // Nothing for HeyGen to render: only what is laid on top changed (overlays, layout, caption look).
  return toRender === 0 ? `recompose only (${counted})` : counted;
}

/** A clip at its own engine's rate (HeyGen's default, Avatar IV, when it names none); every draft is free. */
function clipCredits(clip: { kind: ClipKind; engine?: AvatarEngine }, seconds: number, engine: Engine): number {
  if (engine === 'draft') return 0;
  return round2(seconds * (clip.kind === 'speech' ? SPEECH_CREDITS_PER_SECOND : CREDIT_RATES[clip.engine ?? engine].video));
}
