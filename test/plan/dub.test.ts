/** The plan of a dub, pure: keys per language, reasons, and the estimate from the probed source length. */
import { describe, expect, it } from 'vitest';
import { dubSourceKey, translationKey, videoParts } from '../../src/hash/index.js';
import { emptyLockfile, type Lockfile } from '../../src/model/lock.js';
import type { AssetRef, TranslationSpec, VideoSpec } from '../../src/model/spec.js';
import { plan } from '../../src/plan/plan.js';
import { makeSpec } from '../helpers/specs.js';

const SOURCE = { kind: 'local' as const, path: 'videos/webinar.mp4', sha256: 'a'.repeat(64), size: 1000 };
const NEW_SOURCE = { ...SOURCE, sha256: 'b'.repeat(64) };
const es: TranslationSpec = { language: 'es', mode: 'speed', captions: false, audioOnly: false };
const fr: TranslationSpec = { language: 'fr', mode: 'precision', captions: false, audioOnly: false, options: { speaker_num: 2 } };

function dubSpec(source: AssetRef = SOURCE, translations: TranslationSpec[] = [es, fr]): VideoSpec {
  return makeSpec('webinar', { scenes: [], translations, dub: { video: source } });
}

/** A lockfile where every language of `spec` was made from `source`. */
function built(spec: VideoSpec, source = SOURCE): Lockfile {
  const lock = emptyLockfile();
  const sourceKey = dubSourceKey(source);
  lock.videos[spec.id] = { key: sourceKey, parts: videoParts(spec), status: 'completed', api: 'v3', attempt: 1, translations: {} };
  for (const t of spec.translations) {
    const output = `out/webinar.${t.language}.mp4`;
    lock.videos[spec.id]!.translations[t.language] = { key: translationKey(sourceKey, t), language: t.language, status: 'completed', attempt: 1, remoteId: `t-${t.language}`, output: { path: output, sha256: 'c'.repeat(64), size: 10 } };
  }
  return lock;
}

const outputs = new Map([['out/webinar.es.mp4', 10], ['out/webinar.fr.mp4', 10], ['out/webinar.de.mp4', 10]]);
const run = (specs: VideoSpec[], lock: Lockfile, durations = new Map([[dubSourceKey(SOURCE), 60], [dubSourceKey(NEW_SOURCE), 30]])) =>
  plan({ specs, lock, outputs, engine: 'avatar_iv', scenes: true, durations });

describe('planning a dub', () => {
  it("a failed language's retry is a dub's, not a render's", () => {
    const spec = dubSpec();
    const lock = built(spec);
    lock.videos.webinar!.translations.es = { ...lock.videos.webinar!.translations.es!, status: 'failed', error: { message: 'No speech was found in the video' }, output: undefined };
    const item = run([spec], lock).items.find((i) => i.id === 'webinar@es')!;
    expect([item.action, ...item.reasons]).toEqual(['create', 'previous dub failed: No speech was found in the video; retrying as attempt 2']);
  });

  it('has one translation item per language and no video item, priced from the probed length at each mode', () => {
    const p = run([dubSpec()], emptyLockfile());
    expect(p.items.map((i) => [i.id, i.kind, i.action])).toEqual([
      ['webinar@es', 'translation', 'create'],
      ['webinar@fr', 'translation', 'create'],
    ]);
    expect(p.items.map((i) => i.estimate)).toEqual([{ seconds: 60, credits: 3 }, { seconds: 60, credits: 6 }]);
  });

  it('adds one language as the only create', () => {
    const lock = built(dubSpec());
    const p = run([dubSpec(SOURCE, [es, fr, { ...es, language: 'de' }])], lock);
    expect(p.items.map((i) => [i.id, i.action])).toEqual([
      ['webinar@de', 'create'],
      ['webinar@es', 'unchanged'],
      ['webinar@fr', 'unchanged'],
    ]);
  });

  it('says `source changed` for every language when the bytes change, and prices the new length', () => {
    const p = run([dubSpec(NEW_SOURCE)], built(dubSpec()));
    expect(p.items.map((i) => [i.action, i.reasons])).toEqual([
      ['update', ['source changed']],
      ['update', ['source changed']],
    ]);
    expect(p.totals.credits).toBe(4.5);
  });

  it("re-renders only the language whose options changed, and says so", () => {
    const p = run([dubSpec(SOURCE, [es, { ...fr, options: { speaker_num: 3 } }])], built(dubSpec()));
    expect(p.items.map((i) => [i.id, i.action, i.reasons])).toEqual([
      ['webinar@es', 'unchanged', []],
      ['webinar@fr', 'update', ['translation options changed']],
    ]);
  });

  it('estimates a URL source at 0 s and says why', () => {
    const p = run([dubSpec({ kind: 'url', url: 'https://example.com/w.mp4' })], emptyLockfile());
    expect(p.items[0]!.estimate).toEqual({ seconds: 0, credits: 0 });
    expect(p.items[0]!.reasons.at(-1)).toMatch(/source length unknown/);
  });

  it('lists a language no longer in the manifest as an orphan', () => {
    const p = run([dubSpec(SOURCE, [es])], built(dubSpec()));
    expect(p.items.map((i) => [i.id, i.action])).toEqual([
      ['webinar@es', 'unchanged'],
      ['webinar@fr', 'orphan'],
    ]);
  });
});

describe('translation keys', () => {
  it('stay as they were for entries without HeyGen options; stretching is sent (as enable_dynamic_duration), so it keys', () => {
    const key = translationKey('k', es);
    expect(translationKey('k', { ...es, options: { enable_video_stretching: true } })).not.toBe(key);
    expect(translationKey('k', { ...es, options: { speaker_num: 2 } })).not.toBe(key);
  });

  it('an approved review keys on its SRT digest; an unapproved one does not change the key', () => {
    const key = translationKey('k', es);
    expect(translationKey('k', { ...es, review: { state: 'review', srt: 't/w.es.srt' } })).toBe(key);
    const a = translationKey('k', { ...es, review: { state: 'approved', srt: 't/w.es.srt', sha256: 'a'.repeat(64) } });
    const b = translationKey('k', { ...es, review: { state: 'approved', srt: 't/w.es.srt', sha256: 'b'.repeat(64) } });
    expect(a).not.toBe(key);
    expect(a).not.toBe(b);
  });
});
