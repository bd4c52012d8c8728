/**
 * What a watch run has to do: the provider's own plan (the same pipeline as `build`), less what this
 * watch already tried and saw fail with the same content. Saving another file must not start the same
 * failing render again; changing the failing manifest does.
 */
import type { Catalog } from '../model/catalog.js';
import { castOf } from './cast.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Lockfile } from '../model/lock.js';
import type { Action, PlanItem } from '../model/plan.js';
import type { VideoSpec } from '../model/spec.js';
import type { PlannedItem, PlannedVideo } from './state.js';
import type { SceneView } from './types.js';

/** What this watch last did for an item: the key it rendered (or tried to) and whether it worked. */
export interface Attempt {
  key: string;
  ok: boolean;
}

/** One item a watch run renders, with the spec and plan item it comes from. */
export interface WatchJob extends PlannedItem {
  spec: VideoSpec;
  action: Action;
  item: PlanItem;
}

/** The output as found on disk: the preview shows it until this watch makes a newer one. */
function existingFile(root: string, output: string, lock: Readonly<Lockfile>, item: PlanItem): PlannedItem['existing'] {
  const s = statSync(resolve(root, output), { throwIfNoEntry: false });
  if (!s?.isFile()) return undefined;
  const entry = lock.videos[item.videoId];
  const rec = item.language === undefined ? entry : entry?.translations[item.language];
  // An unchanged output is the recorded one: its digest identifies it.
  const sha256 = item.action === 'unchanged' && rec?.output?.size === s.size ? rec.output.sha256 : undefined;
  return { size: s.size, mtimeMs: s.mtimeMs, ...(sha256 ? { sha256 } : {}) };
}

/** One job per planned video and translation (orphans are not the watch's business). */
export function watchJobs(
  root: string,
  specs: readonly VideoSpec[],
  items: readonly PlanItem[],
  lock: Readonly<Lockfile>,
  attempts: ReadonlyMap<string, Attempt>,
): WatchJob[] {
  const byId = new Map(specs.map((s) => [s.id, s]));
  const jobs: WatchJob[] = [];
  for (const item of items) {
    const spec = byId.get(item.videoId);
    if (!spec || item.action === 'orphan' || item.key === undefined) continue;
    const last = attempts.get(item.id);
    const failedBefore = last !== undefined && last.key === item.key && !last.ok;
    const existing = existingFile(root, item.output, lock, item);
    jobs.push({
      id: item.id,
      key: item.key,
      output: item.output,
      spec,
      action: item.action,
      item,
      needsWork: item.action !== 'unchanged' && !failedBefore,
      plan: { action: item.action, reasons: item.reasons, seconds: item.estimate.seconds, credits: item.estimate.credits },
      captions: item.language === undefined ? spec.caption !== 'none' : spec.translations.some((t) => t.language === item.language && t.captions),
      ...(item.language !== undefined ? { language: item.language } : {}),
      ...(existing ? { existing } : {}),
    });
  }
  // The state model lists videos in manifest order, each before its translations in their order.
  const order = new Map(specs.map((s, i) => [s.id, i]));
  const rank = (j: WatchJob): [number, number] => [order.get(j.spec.id)!, j.language === undefined ? -1 : j.spec.translations.findIndex((t) => t.language === j.language)];
  return jobs.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1];
  });
}

/** Jobs grouped per video, for the state model. */
export function plannedVideos(jobs: WatchJob[], catalog?: Catalog): PlannedVideo[] {
  const byId = new Map<string, PlannedVideo>();
  for (const { spec, action: _action, item: _item, ...planned } of jobs) {
    let v = byId.get(spec.id);
    if (!v) {
      v = {
        id: spec.id,
        source: spec.source,
        items: [],
        scenes: sceneViews(spec),
        cast: castOf(spec, catalog),
        ...(spec.title !== undefined ? { title: spec.title } : {}),
        ...(spec.row ? { group: spec.row.group } : {}),
      };
      byId.set(spec.id, v);
    }
    v.items.push(planned);
  }
  return [...byId.values()];
}

/** The scenes as the preview lists them: script text (or audio file, or silence), avatar and voice labels. */
export function sceneViews(spec: VideoSpec): SceneView[] {
  return spec.scenes.map((scene): SceneView => {
    const input = scene.input;
    const text = input.type === 'script' ? input.text : input.type === 'audio' ? audioName(input.source) : `${input.seconds} s of silence`;
    const avatar = scene.avatar ?? spec.avatar;
    const voice = scene.voice ?? spec.voice;
    return {
      kind: input.type,
      text,
      ...(avatar ? { avatar: avatar.label } : {}),
      ...(input.type === 'script' && voice ? { voice: voice.label } : {}),
    };
  });
}

function audioName(source: { kind: string; path?: string; url?: string }): string {
  return source.kind === 'local' ? (source.path ?? '') : (source.url ?? '');
}
