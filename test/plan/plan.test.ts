import { describe, expect, it } from 'vitest';
import { translationKey, videoKey } from '../../src/hash/index.js';
import { emptyLockfile, type LockEntry, type Lockfile } from '../../src/model/lock.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { estimateVideoSeconds } from '../../src/plan/estimate.js';
import { hasChanges, plan } from '../../src/plan/plan.js';
import { makeSpec } from '../helpers/specs.js';

function completed(spec: VideoSpec, size = 1000): LockEntry {
  const { key, parts } = videoKey(spec);
  return {
    key,
    parts,
    status: 'completed',
    api: 'v3',
    attempt: 1,
    remoteId: `vid-${spec.id}`,
    output: { path: spec.output, sha256: 'a'.repeat(64), size },
    translations: {},
  };
}

function lockOf(...entries: [string, LockEntry][]): Lockfile {
  const lock = emptyLockfile();
  for (const [id, e] of entries) lock.videos[id] = e;
  return lock;
}

const outputs = (...paths: string[]) => new Map(paths.map((p) => [p, 1000] as [string, number]));

describe('plan', () => {
  it('creates every video on an empty lockfile, with estimates and totals', () => {
    const specs = [makeSpec('a'), makeSpec('b')];
    const p = plan({ specs, lock: emptyLockfile(), outputs: new Map(), engine: 'avatar_iv' });
    expect(p.items.map((i) => [i.id, i.action])).toEqual([
      ['a', 'create'],
      ['b', 'create'],
    ]);
    const secs = estimateVideoSeconds(specs[0]!);
    expect(p.items[0]!.estimate.seconds).toBe(secs);
    expect(p.items[0]!.estimate.credits).toBeCloseTo(secs * 0.1, 1);
    expect(p.totals.actions.create).toBe(2);
    expect(p.totals.credits).toBeCloseTo(p.items[0]!.estimate.credits * 2, 2);
    expect(hasChanges(p)).toBe(true);
  });

  it('leaves an unchanged, present video alone and costs nothing', () => {
    const a = makeSpec('a');
    const p = plan({ specs: [a], lock: lockOf(['a', completed(a)]), outputs: outputs(a.output), engine: 'avatar_iv' });
    expect(p.items[0]!.action).toBe('unchanged');
    expect(p.totals.credits).toBe(0);
    expect(hasChanges(p)).toBe(false);
  });

  it('names the changed script of an edited scene', () => {
    const a = makeSpec('a');
    const edited = makeSpec('a');
    edited.scenes[1] = { input: { type: 'script', text: 'Something else entirely.' } };
    const p = plan({ specs: [edited], lock: lockOf(['a', completed(a)]), outputs: outputs(a.output), engine: 'avatar_iv' });
    expect(p.items[0]!.action).toBe('update');
    expect(p.items[0]!.reasons).toEqual(['scenes[1].script']);
  });

  it('names voice.speed when only the speed changes', () => {
    const a = makeSpec('a');
    const faster = makeSpec('a', { voice: { ...a.voice!, speed: 1.2 } });
    const p = plan({ specs: [faster], lock: lockOf(['a', completed(a)]), outputs: outputs(a.output), engine: 'avatar_iv' });
    expect(p.items[0]!.reasons).toEqual(['voice.speed']);
  });

  it('a title or output move does not re-render; a missing output is restored without credits', () => {
    const a = makeSpec('a');
    const renamed = makeSpec('a', { title: 'New title', output: 'dist/a.mp4' });
    const p = plan({ specs: [renamed], lock: lockOf(['a', completed(a)]), outputs: new Map(), engine: 'avatar_iv' });
    expect(p.items[0]!.action).toBe('download');
    expect(p.items[0]!.estimate.credits).toBe(0);
  });

  it('restores an output whose size does not match the recorded render (a stale file)', () => {
    const a = makeSpec('a');
    const p = plan({ specs: [a], lock: lockOf(['a', completed(a, 5000)]), outputs: outputs(a.output), engine: 'avatar_iv' });
    expect(p.items[0]!.action).toBe('download');
  });

  it('resumes a submitted video instead of paying again', () => {
    const a = makeSpec('a');
    const entry: LockEntry = { ...completed(a), status: 'submitted', output: undefined };
    const p = plan({ specs: [a], lock: lockOf(['a', entry]), outputs: new Map(), engine: 'avatar_iv' });
    expect(p.items[0]!.action).toBe('resume');
    expect(p.items[0]!.reasons[0]).toContain('vid-a');
    expect(p.items[0]!.estimate.credits).toBe(0);
  });

  it('resumes a pending intent (crash between the POST and recording its id)', () => {
    const a = makeSpec('a');
    const entry: LockEntry = { ...completed(a), status: 'pending', remoteId: undefined, output: undefined };
    const p = plan({ specs: [a], lock: lockOf(['a', entry]), outputs: new Map(), engine: 'avatar_iv' });
    expect(p.items[0]!.action).toBe('resume');
    // The POST may never have reached HeyGen: the budget counts it.
    expect(p.items[0]!.estimate.credits).toBeGreaterThan(0);
  });

  it('says so when a video changed while in flight', () => {
    const a = makeSpec('a');
    const entry: LockEntry = { ...completed(a), status: 'submitted', output: undefined };
    const edited = makeSpec('a', { dimension: { width: 1920, height: 1080 } });
    const p = plan({ specs: [edited], lock: lockOf(['a', entry]), outputs: new Map(), engine: 'avatar_iv' });
    expect(p.items[0]!.action).toBe('update');
    expect(p.items[0]!.reasons).toContain('dimension');
    expect(p.items[0]!.reasons.join(' ')).toMatch(/in flight.*submitted again/);
  });

  it('retries a failed render with a new attempt', () => {
    const a = makeSpec('a');
    const entry: LockEntry = { ...completed(a), status: 'failed', error: { message: 'avatar not found' }, output: undefined };
    const p = plan({ specs: [a], lock: lockOf(['a', entry]), outputs: new Map(), engine: 'avatar_iv' });
    expect(p.items[0]!.action).toBe('create');
    expect(p.items[0]!.reasons[0]).toMatch(/avatar not found.*attempt 2/);
  });

  it("a failed item's retry reason names what failed: a render, a translation, a voiceover, a prompt video", () => {
    const failed = (e: LockEntry): LockEntry => ({ ...e, status: 'failed', error: { message: 'HeyGen said no' }, output: undefined });
    const reason = (spec: VideoSpec, entry: LockEntry, id = spec.id): string =>
      plan({ specs: [spec], lock: lockOf([spec.id, entry]), outputs: outputs(spec.output), engine: 'avatar_iv' }).items.find((i) => i.id === id)!.reasons[0]!;

    const video = makeSpec('a');
    expect(reason(video, failed(completed(video)))).toBe('previous render failed: HeyGen said no; retrying as attempt 2');

    const tr = { language: 'es', mode: 'speed' as const, captions: false, audioOnly: false };
    const translated = makeSpec('b', { translations: [tr] });
    const entry = completed(translated);
    entry.translations.es = { key: translationKey(entry.key, tr), language: 'es', status: 'failed', attempt: 1, error: { message: 'No speech was found' } };
    expect(reason(translated, entry, 'b@es')).toBe('previous translation failed: No speech was found; retrying as attempt 2');

    const voiceover = makeSpec('c', { output: 'out/c.mp3', avatar: undefined });
    expect(reason(voiceover, failed(completed(voiceover)))).toBe('previous voiceover failed: HeyGen said no; retrying as attempt 2');

    const { avatar: _a, voice: _v, ...base } = makeSpec('d', { scenes: [] });
    const prompted: VideoSpec = { ...base, prompt: { text: 'Launch video in 30 seconds.', files: [], seconds: 30, statedAs: '30 seconds' } };
    expect(reason(prompted, failed(completed(prompted)))).toBe('previous prompt video failed: HeyGen said no; retrying as attempt 2');
  });

  it('lists lockfile entries without a manifest as orphans, except in a partial plan', () => {
    const a = makeSpec('a');
    const gone = makeSpec('gone');
    const lock = lockOf(['a', completed(a)], ['gone', completed(gone)]);
    const full = plan({ specs: [a], lock, outputs: outputs(a.output), engine: 'avatar_iv' });
    expect(full.items.map((i) => [i.id, i.action])).toEqual([
      ['a', 'unchanged'],
      ['gone', 'orphan'],
    ]);
    const partial = plan({ specs: [a], lock, outputs: outputs(a.output), engine: 'avatar_iv', partial: true });
    expect(partial.items.map((i) => i.id)).toEqual(['a']);
  });

  it('plans translations as their own items, keyed on their source', () => {
    const tr = { language: 'es', mode: 'speed' as const, captions: false, audioOnly: false };
    const a = makeSpec('a', { translations: [tr] });
    const entry = completed(a);
    const p1 = plan({ specs: [a], lock: lockOf(['a', entry]), outputs: outputs(a.output), engine: 'avatar_iv' });
    expect(p1.items.map((i) => [i.id, i.action])).toEqual([
      ['a', 'unchanged'],
      ['a@es', 'create'],
    ]);
    expect(p1.items[1]!.output).toBe('out/a.es.mp4');
    expect(p1.items[1]!.estimate.credits).toBeCloseTo(estimateVideoSeconds(a) * 0.05, 1);

    entry.translations.es = {
      key: translationKey(entry.key, tr),
      language: 'Spanish (Spain)',
      status: 'completed',
      attempt: 1,
      output: { path: 'out/a.es.mp4', sha256: 'b'.repeat(64), size: 1000 },
    };
    const p2 = plan({ specs: [a], lock: lockOf(['a', entry]), outputs: outputs(a.output, 'out/a.es.mp4'), engine: 'avatar_iv' });
    expect(p2.items.every((i) => i.action === 'unchanged')).toBe(true);

    // An edit to the source re-renders the translation too.
    const edited = makeSpec('a', { translations: [tr], caption: 'file' });
    const p3 = plan({ specs: [edited], lock: lockOf(['a', entry]), outputs: outputs(a.output, 'out/a.es.mp4'), engine: 'avatar_iv' });
    expect(p3.items.map((i) => [i.id, i.action])).toEqual([
      ['a', 'update'],
      ['a@es', 'update'],
    ]);
    expect(p3.items[1]!.reasons).toEqual(['source video changed']);

    // A language dropped from the manifest is an orphan.
    const p4 = plan({ specs: [makeSpec('a')], lock: lockOf(['a', entry]), outputs: outputs(a.output), engine: 'avatar_iv' });
    expect(p4.items.map((i) => [i.id, i.action])).toEqual([
      ['a', 'unchanged'],
      ['a@es', 'orphan'],
    ]);
  });

  it('is pure: the same input gives the same plan and the input is not modified', () => {
    const a = makeSpec('a');
    const lock = lockOf(['a', completed(a)]);
    const before = JSON.stringify(lock);
    const p1 = plan({ specs: [a], lock, outputs: new Map(), engine: 'avatar_iv' });
    const p2 = plan({ specs: [a], lock, outputs: new Map(), engine: 'avatar_iv' });
    expect(p1).toEqual(p2);
    expect(JSON.stringify(lock)).toBe(before);
  });

  it('restores a deleted caption sidecar without a new render', () => {
    const a = makeSpec('a', { caption: 'file' });
    const entry = { ...completed(a), captions: { path: 'out/a.srt', sha256: 'c'.repeat(64), size: 40 } };
    const present = new Map<string, number>([[a.output, 1000], ['out/a.srt', 40]]);
    expect(plan({ specs: [a], lock: lockOf(['a', entry]), outputs: present, engine: 'avatar_iv' }).items[0]!.action).toBe('unchanged');
    const gone = new Map<string, number>([[a.output, 1000]]);
    const p = plan({ specs: [a], lock: lockOf(['a', entry]), outputs: gone, engine: 'avatar_iv' });
    expect(p.items[0]!.action).toBe('download');
    expect(p.items[0]!.reasons[0]).toContain('out/a.srt');
    expect(p.items[0]!.estimate.credits).toBe(0);
  });
});
