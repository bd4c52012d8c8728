/**
 * The planner: a pure, synchronous function from resolved videos and the lockfile to a Plan.
 * No I/O: what it needs to know about the disk (which outputs exist, their sizes) is passed in.
 */
import { paidSeconds } from './paid-seconds.js';
import { baseKey, contentKey, diffParts, layerDigest, translationKey, videoParts } from '../hash/index.js';
import { pickRecord, type LockEntry, type TranslationLock } from '../model/lock.js';
import { ACTIONS, PAID_ACTIONS, type Plan, type PlanItem, type ScenePlanItem } from '../model/plan.js';
import type { VideoSpec } from '../model/spec.js';
import { type Engine, round2, translationCredits, videoCredits } from './estimate.js';
import { videoSeconds } from './derived.js';
import { isAudioOutput, translationOutput } from '../model/outputs.js';
import { decide, type Decision } from './decide.js';
import { planDub } from './dub.js';
import type { PlanInput } from './input.js';
import { planReview } from './review.js';
import { planScenes } from './scene-plan.js';
import { planTemplate } from './template.js';
import { rowReasons } from './row-reasons.js';
import { promptCredits, promptEstimate, promptReasons } from './prompt.js';

/** Credits are estimated at HeyGen's rates (Avatar IV, the v3 default) whatever the API version. */
export const PLAN_ENGINE: Engine = 'avatar_iv';

/** Whether every scene left to render is a clip already at HeyGen (none to create). */
function inFlightOnly(scenes: readonly ScenePlanItem[]): boolean {
  return scenes.some((x) => x.action === 'resume') && !scenes.some((x) => x.action === 'create');
}

/** Diffs specs against the lockfile and outputs on disk into a plan that says, per item, what will happen and why. */
export function plan(input: PlanInput): Plan {
  const items: PlanItem[] = [];
  const seen = new Set<string>();
  const outputOf = input.outputOf ?? ((o: string) => o);
  for (const spec of input.specs) {
    seen.add(spec.id);
    if (spec.dub) {
      items.push(...planDub(input, spec));
      continue;
    }
    const video = planVideo(input, spec, outputOf);
    items.push(video.item);
    planTranslations(input, spec, video, outputOf, items);
  }
  if (!input.partial) {
    // Keys, not entries: 10,000 recorded videos would make 10,000 pairs to find none missing.
    for (const id of Object.keys(input.lock.videos)) {
      if (!seen.has(id)) items.push(orphan(id, id, input.lock.videos[id]?.output?.path, 'video'));
    }
  }
  if (input.replace?.size) markReplaced(items, input.replace, input.remote === true);
  items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { items, totals: planTotals(items) };
}

/** A video's plan item, with what its translations are planned from. */
interface PlannedVideo {
  item: PlanItem;
  /** The video's record (the one kept for this content after a merge), if any. */
  entry: LockEntry | undefined;
  key: string;
  /** A template video: its translations are keyed by the video's own key. */
  template: boolean;
  seconds: number;
}

/** One video's item: its decision, its price, and (rendered scene by scene) its scenes. */
function planVideo(input: PlanInput, spec: VideoSpec, outputOf: (o: string) => string): PlannedVideo {
  const recorded = input.lock.videos[spec.id];
  const tpl = spec.template && planTemplate(spec, input.templates?.get(spec.template.id), recorded);
  const key = tpl ? tpl.key : contentKey(spec);
  // After a lockfile merge, the record of this content may be one kept beside the entry.
  const entry = pickRecord(recorded, key);
  const seconds = tpl ? tpl.seconds : spec.prompt ? spec.prompt.seconds : videoSeconds(spec);
  const output = outputOf(spec.output);
  const changed = (): string[] => (!entry ? [] : tpl ? tpl.changed(entry) : changedParts(entry, spec));
  const v = decide(input, spec.id, key, entry, output, changed, spec.prompt ? 'prompt video' : isAudioOutput(spec.output) ? 'voiceover' : 'render');
  const item: PlanItem = {
    kind: 'video',
    id: spec.id,
    videoId: spec.id,
    action: v.action,
    key,
    previousKey: entry?.key,
    reasons: v.reasons,
    source: spec.source,
    output,
    ...(isAudioOutput(spec.output) ? { media: 'audio' as const } : {}),
    estimate: { seconds, credits: PAID_ACTIONS.has(v.action) || v.mayPay ? (spec.prompt ? promptCredits : videoCredits)(seconds, input.engine) : 0 },
    ...(spec.row ? { group: spec.row.group } : {}),
  };
  if (spec.prompt) {
    // A journaled session is followed, never opened again: nothing more is paid.
    if (v.action === 'resume' && entry?.sessionId !== undefined && entry.key === key) {
      item.reasons = [`Video Agent session ${entry.sessionId} ${entry.remoteId ? `rendering ${entry.remoteId}` : 'in progress'}: followed, not opened again`];
      item.estimate = { seconds, credits: 0 };
    }
    item.prompt = promptEstimate(spec.prompt, entry);
    item.reasons = [...item.reasons, ...promptReasons(item.prompt, v.action, input.engine !== 'draft')];
  }
  // A resumed whole-video render (from before scenes) finishes as it started.
  if (input.scenes && !tpl && !spec.prompt && (PAID_ACTIONS.has(v.action) || (v.action === 'resume' && entry?.composed === true))) {
    planVideoScenes(input, spec, item, entry, seconds);
  }
  return { item, entry, key, template: Boolean(tpl), seconds };
}

/** Scene by scene: only the clips not yet rendered are paid for. */
function planVideoScenes(input: PlanInput, spec: VideoSpec, item: PlanItem, entry: LockEntry | undefined, seconds: number): void {
  const s = planScenes(spec, input.lock.clips, input.engine, input.replace?.has(spec.id) ?? false);
  item.scenes = s.scenes;
  item.reasons = [...item.reasons, s.summary];
  item.estimate = { seconds, credits: s.credits };
  if (!entry && inFlightOnly(s.scenes)) {
    // A new video whose clips a detached or killed build left at HeyGen: its entry is written once it
    // is composed, so the lockfile has none yet. It is resumed, not one more video to create.
    item.action = 'resume';
    item.reasons = ['its scene clips render at HeyGen (build --detach or a killed build): composed once they are done', s.summary];
  }
}

/** The items of a video's translations, and of the languages recorded and no longer asked for. */
function planTranslations(input: PlanInput, spec: VideoSpec, video: PlannedVideo, outputOf: (o: string) => string, items: PlanItem[]): void {
  const { entry, key } = video;
  const languages = new Set<string>();
  const tSeconds = video.item.prompt?.actualSeconds ?? video.seconds;
  // From the composition without overlays: an overlay edit never pays for a translation again.
  const sourceKey = spec.translations.length === 0 || video.template ? key : baseKey(spec);
  for (const t of spec.translations) {
    languages.add(t.language);
    const tkey = translationKey(sourceKey, t);
    const trec = pickRecord(entry?.translations[t.language], tkey);
    const out = outputOf(translationOutput(spec.output, t.language));
    const why = (): string[] => (trec && entry && entry.key !== key ? ['source video changed'] : ['translation options changed']);
    const id = `${spec.id}@${t.language}`;
    const group = spec.row ? { group: spec.row.group } : {};
    if (t.review && input.engine !== 'draft') {
      const r = planReview({ input, id, sourceKey, t, entry, seconds: video.seconds, output: out, changed: why });
      items.push({ kind: 'translation', id, videoId: spec.id, language: t.language, ...r, source: spec.source, ...group });
      continue;
    }
    const decided = decide(input, id, tkey, trec, out, why, 'translation');
    const d = layerChange(decided, trec, layerDigest(spec, t.language), t.language);
    items.push({
      kind: 'translation',
      id,
      videoId: spec.id,
      language: t.language,
      action: d.action,
      key: tkey,
      previousKey: trec?.key,
      reasons: d.reasons,
      source: spec.source,
      output: out,
      // A prompt video's real length, once known, prices its translations better than the assumption.
      estimate: { seconds: tSeconds, credits: (PAID_ACTIONS.has(d.action) && !d.recompose) || d.mayPay ? translationCredits(tSeconds, t.mode, input.engine) : 0 },
      ...(d.recompose ? { recompose: true as const } : {}),
      ...group,
    });
  }
  for (const [lang, trec] of Object.entries(entry?.translations ?? {})) {
    if (!languages.has(lang)) items.push(orphan(`${spec.id}@${lang}`, spec.id, trec.output?.path, 'translation', lang));
  }
  // A language dropped while under review has only its proofread session recorded.
  for (const [lang, prec] of Object.entries(entry?.proofreads ?? {})) {
    if (!languages.has(lang) && !entry?.translations[lang]) items.push(orphan(`${spec.id}@${lang}`, spec.id, prec.output?.path, 'translation', lang));
  }
}

/**
 * `--replace` promises a render with HeyGen: a paid item it names is marked so, so that neither the plan
 * nor the build takes it (or its scene clips) from the remote store, also when an edit changed its key.
 */
function markReplaced(items: PlanItem[], replace: ReadonlySet<string>, remote: boolean): void {
  const why = `replacement requested (--replace): rendered with HeyGen${remote ? ', not taken from the remote store' : ''}`;
  for (const it of items) {
    if (!replace.has(it.id) || !PAID_ACTIONS.has(it.action)) continue;
    it.replace = true;
    if (it.previousKey !== it.key) it.reasons = [...it.reasons, why];
  }
}

/**
 * A finished translation whose language's text layer changed: laid over the translated video again,
 * with no new translation (`recompose` keeps it free in the estimate and tells the executor).
 */
function layerChange(d: Decision, rec: TranslationLock | undefined, layer: string, language: string): Decision {
  if (!rec || rec.status !== 'completed' || (d.action !== 'unchanged' && d.action !== 'download')) return d;
  if ((rec.layer ?? '') === layer) return d;
  return { action: 'update', reasons: [`text overlays (${language}) changed: recompose only`], recompose: true };
}

/** Why a video's key changed: its parts, or for a row, its cells or the template (see rowReasons). */
function changedParts(entry: LockEntry, spec: VideoSpec): string[] {
  return spec.row ? rowReasons(entry.parts.row, spec.row) : diffParts(entry.parts, videoParts(spec));
}

function orphan(id: string, videoId: string, output: string | undefined, kind: PlanItem['kind'], language?: string): PlanItem {
  return {
    kind,
    id,
    videoId,
    ...(language === undefined ? {} : { language }),
    action: 'orphan',
    reasons: [kind === 'video' ? 'in the lockfile, but no manifest declares it' : 'no longer listed in the manifest'],
    output: output ?? '',
    estimate: { seconds: 0, credits: 0 },
  };
}

/** Counts per action; seconds to be rendered and paid for (paid-seconds.ts); credits. */
export function planTotals(items: PlanItem[]): Plan['totals'] {
  const actions = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Plan['totals']['actions'];
  let seconds = 0;
  let credits = 0;
  for (const it of items) {
    // A restore from the remote store is no new video: counted apart, its seconds left out.
    if (it.restore) actions.restore = (actions.restore ?? 0) + 1;
    else actions[it.action]++;
    seconds += paidSeconds(it);
    credits += it.estimate.credits;
  }
  return { actions, seconds: round2(seconds), credits: round2(credits) };
}

/** True when running the plan would do anything, pruning orphans included (for `--detailed-exitcode`). */
export function hasChanges(p: Plan): boolean {
  return p.items.some((i) => i.action !== 'unchanged');
}
