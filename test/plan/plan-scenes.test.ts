/** The plan speaks in scenes: only the clips not yet rendered are paid for. */
import { describe, expect, it } from 'vitest';
import { videoKey } from '../../src/hash/index.js';
import { emptyLockfile, type Lockfile } from '../../src/model/lock.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { plan } from '../../src/plan/plan.js';
import { SPEECH_CREDITS_PER_SECOND } from '../../src/plan/scene-plan.js';
import { scenePlans } from '../../src/plan/scenes.js';
import { makeSpec } from '../helpers/specs.js';
import type { Mutable } from '../hash/specs.js';

const fiveScenes = (edit?: string): Mutable<VideoSpec> =>
  makeSpec('tour', {
    scenes: ['One', 'Two', 'Three', 'Four', 'Five'].map((w, i) => ({ input: { type: 'script' as const, text: i === 2 && edit ? edit : `Scene ${w} of the tour, with a few words.` } })),
  });

/** A lockfile as a scene-by-scene build leaves it: the video composed, every clip completed. */
function built(spec: VideoSpec): Lockfile {
  const lock = emptyLockfile();
  const { key, parts } = videoKey(spec);
  lock.videos[spec.id] = { key, parts, status: 'completed', api: 'v3', attempt: 1, composed: true, translations: {}, output: { path: spec.output, sha256: 'a'.repeat(64), size: 10 } };
  lock.clips = {};
  for (const s of scenePlans(spec)) if (s.key) lock.clips[s.key] = { kind: 'avatar', status: 'completed', attempt: 1, remoteId: `clip-${s.index}` };
  return lock;
}

const run = (specs: VideoSpec[], lock: Lockfile) =>
  plan({ specs, lock, outputs: new Map([['out/tour.mp4', 10]]), engine: 'avatar_iv', scenes: true });

describe('plan with scenes', () => {
  it('prices only the edited scene of a five-scene video, and says so', () => {
    const before = fiveScenes();
    const after = fiveScenes('An edited third scene.');
    const item = run([after], built(before)).items[0]!;
    expect(item.action).toBe('update');
    expect(item.scenes!.map((s) => s.action)).toEqual(['reuse', 'reuse', 'create', 'reuse', 'reuse']);
    expect(item.reasons).toContain('1 of 5 scenes to render, 4 reused');
    expect(item.estimate.credits).toBe(item.scenes![2]!.estimate.credits);
    expect(item.estimate.credits).toBeGreaterThan(0);
  });

  it('a clip a detached build left in flight is said as resumed, not as one more to pay for', () => {
    const before = fiveScenes();
    const after = fiveScenes('An edited third scene.');
    const lock = built(before);
    const edited = scenePlans(after)[2]!.key!;
    lock.clips![edited] = { kind: 'avatar', status: 'submitted', attempt: 1, remoteId: 'clip-new' };
    const item = run([after], lock).items[0]!;
    expect(item.scenes![2]).toMatchObject({ action: 'resume', estimate: { credits: 0 } });
    expect(item.reasons).toContain('1 of 5 scenes to render (1 in flight: resumed, not paid twice), 4 reused');
    expect(item.estimate.credits).toBe(0);
  });

  it('a new video whose every clip a detached build left in flight is resumed, not created again, and costs nothing', () => {
    const spec = fiveScenes();
    const lock = emptyLockfile();
    lock.clips = {};
    for (const s of scenePlans(spec)) if (s.key) lock.clips[s.key] = { kind: 'avatar', status: 'submitted', attempt: 1, remoteId: `clip-${s.index}` };
    const p = plan({ specs: [spec], lock, outputs: new Map(), engine: 'avatar_iv', scenes: true });
    expect(p.items[0]).toMatchObject({ action: 'resume', estimate: { credits: 0 } });
    expect(p.items[0]!.reasons[0]).toContain('render at HeyGen');
    expect(p.totals.actions).toMatchObject({ create: 0, resume: 1 });
    // One clip still to create: the video is created (that clip is paid for), the others resumed.
    delete lock.clips[scenePlans(spec)[0]!.key!];
    expect(plan({ specs: [spec], lock, outputs: new Map(), engine: 'avatar_iv', scenes: true }).items[0]!.action).toBe('create');
  });

  it('--replace of an edited video mentions the remote store only when one is configured', () => {
    const lock = built(fiveScenes());
    const edited = [fiveScenes('An edited third scene.')];
    const input = { specs: edited, lock, outputs: new Map([['out/tour.mp4', 10]]), engine: 'avatar_iv' as const, scenes: true, replace: new Set(['tour']) };
    expect(plan(input).items[0]!.reasons).toContain('replacement requested (--replace): rendered with HeyGen');
    expect(plan({ ...input, remote: true }).items[0]!.reasons).toContain('replacement requested (--replace): rendered with HeyGen, not taken from the remote store');
  });

  it('renders nothing new when scenes are only reordered', () => {
    const before = fiveScenes();
    const after = structuredClone(before);
    after.scenes.reverse();
    const item = run([after], built(before)).items[0]!;
    expect(item.action).toBe('update');
    expect(item.scenes!.every((s) => s.action === 'reuse')).toBe(true);
    expect(item.estimate.credits).toBe(0);
  });

  it('prices a narrated scene at the speech rate and an audio scene at nothing', () => {
    const spec = makeSpec('tour', {
      avatar: undefined,
      background: { type: 'color', color: '#000000' },
      scenes: [{ input: { type: 'script', text: 'Narrated over a slide, with ten words in it.' } }, { input: { type: 'silence', seconds: 2 } }],
    });
    delete spec.avatar;
    const item = run([spec], emptyLockfile()).items[0]!;
    expect(item.scenes!.map((s) => s.action)).toEqual(['create', 'local']);
    const narrated = item.scenes![0]!;
    expect(narrated.estimate.credits).toBeCloseTo(Math.round(narrated.estimate.seconds * SPEECH_CREDITS_PER_SECOND * 100) / 100, 5);
    expect(item.estimate.credits).toBeLessThan(0.01);
  });

  it('finishes a whole-video render started before scenes as it started', () => {
    const spec = fiveScenes();
    const lock = emptyLockfile();
    const { key, parts } = videoKey(spec);
    lock.videos.tour = { key, parts, status: 'submitted', api: 'v3', attempt: 1, remoteId: 'whole-1', translations: {} };
    const item = run([spec], lock).items[0]!;
    expect(item.action).toBe('resume');
    expect(item.scenes).toBeUndefined();
  });
});
