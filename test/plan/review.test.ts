/** The plan of a reviewed translation, pure: proofread pricing, awaiting review, approval and SRT edits. */
import { describe, expect, it } from 'vitest';
import { dubSourceKey, proofreadKey, translationKey, videoParts } from '../../src/hash/index.js';
import { emptyLockfile, type Lockfile } from '../../src/model/lock.js';
import type { TranslationSpec, VideoSpec } from '../../src/model/spec.js';
import { plan } from '../../src/plan/plan.js';
import { makeSpec } from '../helpers/specs.js';

const SOURCE = { kind: 'local' as const, path: 'videos/tour.mp4', sha256: 'a'.repeat(64), size: 1000 };
const SK = dubSourceKey(SOURCE);
const SRT = 'translations/tour.es.srt';
const review: TranslationSpec = { language: 'es', mode: 'speed', captions: false, audioOnly: false, review: { state: 'review', srt: SRT } };
const approved = (sha: string): TranslationSpec => ({ ...review, review: { state: 'approved', srt: SRT, sha256: sha.repeat(64), size: 200 } });
const spec = (t: TranslationSpec): VideoSpec => makeSpec('tour', { scenes: [], translations: [t], dub: { video: SOURCE } });
const run = (s: VideoSpec, lock: Lockfile, outputs = new Map<string, number>(), engine: 'avatar_iv' | 'draft' = 'avatar_iv') =>
  plan({ specs: [s], lock, outputs, engine, scenes: true, durations: new Map([[SK, 120]]) });

/** The lock after `review: true` built: a completed session whose SRT was written. */
function reviewed(): Lockfile {
  const lock = emptyLockfile();
  lock.videos.tour = { key: SK, parts: videoParts(spec(review)), status: 'completed', api: 'v3', attempt: 1, translations: {} };
  lock.videos.tour.proofreads = {
    es: { key: proofreadKey(SK, review), language: 'Spanish (Spain)', status: 'completed', attempt: 1, remoteId: 'p-es', output: { path: SRT, sha256: 'd'.repeat(64), size: 180 } },
  };
  return lock;
}

describe('planning a reviewed translation', () => {
  it('review: true prices a proofread (0.00833 cr/s), not a translation, and writes the SRT', () => {
    const [item] = run(spec(review), emptyLockfile()).items;
    expect(item).toMatchObject({ action: 'create', review: 'proofread', output: SRT, estimate: { seconds: 120, credits: 1 } });
  });

  it('waits for review once the SRT is there, even after the reviewer edited it', () => {
    const p = run(spec(review), reviewed(), new Map([[SRT, 250]]));
    expect(p.items[0]).toMatchObject({ action: 'unchanged', review: 'awaiting', estimate: { credits: 0 } });
    expect(p.items[0]!.reasons[0]).toContain(`edit ${SRT}, then set review: approved`);
  });

  it("a failed proofread's retry says a proofread failed, not a render", () => {
    const lock = reviewed();
    lock.videos.tour!.proofreads!.es = { ...lock.videos.tour!.proofreads!.es!, status: 'failed', error: { message: 'no audible speech' }, output: undefined };
    const [item] = run(spec(review), lock).items;
    expect(item).toMatchObject({ action: 'create', review: 'proofread' });
    expect(item!.reasons[0]).toBe('previous proofread failed: no audible speech; retrying as attempt 2');
  });

    it('fetches a deleted SRT again for free', () => {
    expect(run(spec(review), reviewed()).items[0]).toMatchObject({ action: 'download', estimate: { credits: 0 } });
  });

  it('approved through the reviewed session: a translation, no new proofread', () => {
    const [item] = run(spec(approved('e')), reviewed()).items;
    expect(item).toMatchObject({ action: 'create', review: 'approved', estimate: { credits: 6 } });
    expect(item!.reasons).toEqual([`review approved: rendered from ${SRT}`]);
  });

  it('an edited approved SRT names the file, and pays for a seeded proofread as well', () => {
    const lock = reviewed();
    const t = approved('e');
    lock.videos.tour!.proofreads!.es!.generated = translationKey(SK, t);
    lock.videos.tour!.translations.es = { key: translationKey(SK, t), language: 'Spanish (Spain)', status: 'completed', attempt: 1, remoteId: 't-es', srt: 'e'.repeat(64), output: { path: 'out/tour.es.mp4', sha256: 'c'.repeat(64), size: 10 } };
    const outputs = new Map([['out/tour.es.mp4', 10]]);
    expect(run(spec(t), lock, outputs).items[0]!.action).toBe('unchanged');
    const [item] = run(spec(approved('f')), lock, outputs).items;
    expect(item).toMatchObject({ action: 'update', estimate: { credits: 7 } });
    expect(item!.reasons[0]).toBe(`${SRT} changed`);
  });

  it('a language dropped while under review is an orphan (its session leaves the lockfile)', () => {
    const p = run(makeSpec('tour', { scenes: [], translations: [], dub: { video: SOURCE } }), reviewed());
    expect(p.items).toMatchObject([{ id: 'tour@es', action: 'orphan', output: SRT }]);
  });

  it('drafts a reviewed language like any other (free, no proofread)', () => {
    const [item] = run(spec(review), emptyLockfile(), new Map(), 'draft').items;
    expect(item).toMatchObject({ action: 'create', estimate: { credits: 0 } });
    expect(item!.review).toBeUndefined();
  });
});
