/** Planning prompt videos: Video Agent's rate, "not reproducible", estimate against the real length, a followed session. */
import { describe, expect, it } from 'vitest';
import { contentKey, videoParts } from '../../src/hash/index.js';
import { emptyLockfile, type LockEntry } from '../../src/model/lock.js';
import type { AssetRef, VideoSpec } from '../../src/model/spec.js';
import { plan } from '../../src/plan/plan.js';
import { makeSpec } from '../helpers/specs.js';

const HEX = (c: string) => c.repeat(64);
const file = (path: string, sha: string): AssetRef => ({ kind: 'local', path, sha256: HEX(sha), size: 10 });

function promptSpec(over: Partial<NonNullable<VideoSpec['prompt']>> = {}, extra: Partial<VideoSpec> = {}): VideoSpec {
  const { avatar: _a, voice: _v, ...base } = makeSpec('launch', { scenes: [] });
  return { ...base, ...extra, prompt: { text: 'Launch video in 30 seconds.', files: [file('v/a.png', 'a')], seconds: 30, statedAs: '30 seconds', ...over } };
}

function planOne(s: VideoSpec, entry?: LockEntry, opts: { engine?: 'avatar_iv' | 'draft'; replace?: string[]; outputs?: Map<string, number> } = {}) {
  const lock = emptyLockfile();
  if (entry) lock.videos[s.id] = entry;
  const p = plan({ specs: [s], lock, outputs: opts.outputs ?? new Map(), engine: opts.engine ?? 'avatar_iv', replace: new Set(opts.replace ?? []) });
  return p.items.find((i) => i.id === s.id)!;
}

function done(s: VideoSpec, extra: Partial<LockEntry> = {}): LockEntry {
  return {
    key: contentKey(s),
    parts: videoParts(s),
    status: 'completed',
    attempt: 1,
    sessionId: 'sess_1',
    remoteId: 'vid_1',
    durationSeconds: 33,
    output: { path: 'out/launch.mp4', sha256: HEX('f'), size: 100 },
    translations: {},
    ...extra,
  };
}

describe('planning a prompt video', () => {
  it('is priced at Video Agent rate for the stated length, and says it is not reproducible', () => {
    const item = planOne(promptSpec());
    expect(item.action).toBe('create');
    expect(item.estimate).toEqual({ seconds: 30, credits: 2 });
    expect(item.reasons).toEqual(['not in the lockfile', expect.stringContaining('not reproducible'), 'length assumed 30 s ("30 seconds" in the prompt)']);
    expect(item.prompt).toEqual({ assumedSeconds: 30, statedAs: '30 seconds' });
    // A draft is free, and says nothing about reproducibility (drafts are).
    const draft = planOne(promptSpec(), undefined, { engine: 'draft' });
    expect(draft.estimate.credits).toBe(0);
    expect(draft.reasons.join()).not.toContain('reproducible');
  });

  it('unchanged, it is never rendered again unless --replace; the plan shows the real length', () => {
    const s = promptSpec();
    const outputs = new Map([['out/launch.mp4', 100]]);
    const same = planOne(s, done(s), { outputs });
    expect(same.action).toBe('unchanged');
    expect(same.reasons).toEqual(['rendered 33 s (estimated 30 s, "30 seconds" in the prompt)']);
    expect(same.prompt).toEqual({ assumedSeconds: 30, statedAs: '30 seconds', actualSeconds: 33 });
    const replaced = planOne(s, done(s), { outputs, replace: ['launch'] });
    expect(replaced.action).toBe('update');
    expect(replaced.reasons.join('\n')).toContain('the last render was 33 s');
  });

  it('a file\'s new bytes, the style or the orientation change the key and are named', () => {
    const s = promptSpec();
    const outputs = new Map([['out/launch.mp4', 100]]);
    expect(planOne(promptSpec({ files: [file('v/a.png', 'b')] }), done(s), { outputs }).reasons[0]).toBe('asset v/a.png');
    expect(planOne(promptSpec({ orientation: 'portrait' }), done(s), { outputs }).reasons[0]).toBe('prompt.orientation');
    expect(planOne(promptSpec({ style: 'sty_2' }), done(s), { outputs }).reasons[0]).toBe('prompt.style');
    // Moving the file without changing it is not a change of the video.
    expect(contentKey(promptSpec({ files: [file('moved/a.png', 'a')] }))).toBe(contentKey(s));
  });

  it('a recorded session is followed for free, not opened again', () => {
    const s = promptSpec();
    const item = planOne(s, done(s, { status: 'pending', remoteId: undefined, output: undefined, durationSeconds: undefined }));
    expect(item.action).toBe('resume');
    expect(item.reasons).toEqual(['Video Agent session sess_1 in progress: followed, not opened again']);
    expect(item.estimate.credits).toBe(0);
    // Without a session the intent may have reached HeyGen: counted at full price, to be safe.
    const unanswered = planOne(s, done(s, { status: 'pending', sessionId: undefined, remoteId: undefined, output: undefined }));
    expect(unanswered.estimate.credits).toBe(2);
  });

  it('translations are priced on the real length once there is one', () => {
    const s = promptSpec({}, { translations: [{ language: 'es', mode: 'speed', captions: false, audioOnly: false }] });
    const t = planOne(s, done(s), { outputs: new Map([['out/launch.mp4', 100]]) });
    expect(t.action).toBe('unchanged');
    const lock = emptyLockfile();
    lock.videos.launch = done(s);
    const p = plan({ specs: [s], lock, outputs: new Map([['out/launch.mp4', 100]]), engine: 'avatar_iv' });
    expect(p.items.find((i) => i.id === 'launch@es')!.estimate).toEqual({ seconds: 33, credits: 1.65 });
  });
});
