/**
 * The plan of a dub (`source:` + `translations`): one translation item per language, keyed by the source's
 * content digest, the language and its options. Nothing renders the source itself, so there is no video item.
 */
import { contentKey, translationKey } from '../hash/index.js';
import { pickRecord, type LockEntry, type TranslationLock } from '../model/lock.js';
import { translationOutput } from '../model/outputs.js';
import { PAID_ACTIONS, type PlanItem } from '../model/plan.js';
import type { VideoSpec } from '../model/spec.js';
import { round2, translationCredits } from './estimate.js';
import { decide } from './decide.js';
import type { PlanInput } from './input.js';
import { planReview } from './review.js';

/** One item per language of a dub, plus orphans for languages no longer listed. */
export function planDub(input: PlanInput, spec: VideoSpec): PlanItem[] {
  const sourceKey = contentKey(spec);
  // After a lockfile merge, the record of this source may be one kept beside the entry.
  const entry = pickRecord(input.lock.videos[spec.id], sourceKey);
  const probed = input.durations?.get(sourceKey);
  const seconds = round2(probed ?? 0);
  const outputOf = input.outputOf ?? ((o: string) => o);
  const items: PlanItem[] = [];
  const languages = new Set<string>();
  for (const t of spec.translations) {
    languages.add(t.language);
    const id = `${spec.id}@${t.language}`;
    const key = translationKey(sourceKey, t);
    const rec = pickRecord(entry?.translations[t.language], key);
    const output = outputOf(translationOutput(spec.output, t.language));
    if (t.review && input.engine !== 'draft') {
      const r = planReview({ input, id, sourceKey, t, entry, seconds, output, changed: () => changedReasons(entry, rec, sourceKey, t), what: 'dub' });
      items.push({ kind: 'translation', id, videoId: spec.id, language: t.language, ...r, source: spec.source });
      continue;
    }
    const d = decide(input, id, key, rec, output, () => changedReasons(entry, rec, sourceKey, t), 'dub');
    const paid = PAID_ACTIONS.has(d.action) || d.mayPay === true;
    const reasons = paid && probed === undefined ? [...d.reasons, unknownLength(spec)] : d.reasons;
    items.push({
      kind: 'translation',
      id,
      videoId: spec.id,
      language: t.language,
      action: d.action,
      key,
      ...(rec ? { previousKey: rec.key } : {}),
      reasons,
      source: spec.source,
      output,
      estimate: { seconds, credits: paid ? translationCredits(seconds, t.mode, input.engine) : 0 },
    });
  }
  // A language dropped while under review has only its proofread session recorded.
  const recorded = { ...entry?.proofreads, ...entry?.translations };
  for (const [lang, rec] of Object.entries(recorded)) {
    if (languages.has(lang)) continue;
    items.push({
      kind: 'translation',
      id: `${spec.id}@${lang}`,
      videoId: spec.id,
      language: lang,
      action: 'orphan',
      reasons: ['no longer listed in the manifest'],
      output: rec.output?.path ?? '',
      estimate: { seconds: 0, credits: 0 },
    });
  }
  return items;
}

/** Why the estimate is 0 s: a URL is not fetched to plan; a local file ffprobe could not read. */
function unknownLength(spec: VideoSpec): string {
  return spec.dub?.video.kind === 'url'
    ? 'source length unknown before the build (a URL): estimated at 0 s'
    : 'source length unknown (ffprobe could not read it): estimated at 0 s';
}

/**
 * Why a language's key changed: the source (the entry records the source key the languages were last
 * made from), its options, or both.
 */
function changedReasons(entry: LockEntry | undefined, rec: TranslationLock | undefined, sourceKey: string, t: VideoSpec['translations'][number]): string[] {
  if (!entry || !rec || entry.key === sourceKey) return ['translation options changed'];
  return rec.key === translationKey(entry.key, t) ? ['source changed'] : ['source changed', 'translation options changed'];
}
