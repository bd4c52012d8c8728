/**
 * Offline drafts as a Provider. State is the content-addressed draft cache under `.heygen/drafts/`,
 * read as lockfile entries (a cached draft of this exact content is a completed render), so the same
 * pure planner decides: `unchanged`, `download` (copied from the cache) or `create` (rendered).
 * Nothing is written to the lockfile and nothing costs credits.
 */
import { availableParallelism } from 'node:os';
import { baseKey, contentKey, layerDigest, translationDraftKey, translationKey } from '../../hash/index.js';
import type { ResolvedConfig } from '../../model/config.js';
import type { FileRecord, LockEntry } from '../../model/lock.js';
import { emptyLockfile } from '../../model/lock.js';
import { captionsPath, draftOutput, translationOutput } from '../../model/outputs.js';
import type { Plan } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import { draftCache, type CachedDraft, type DraftCache } from '../../providers/local/cache.js';
import type { PlannerOptions } from '../../plan/input.js';
import { statOutputs } from '../outputs.js';
import type { ExecuteContext, ExecuteResult, Facts, Problem, Provider, ProviderState } from '../provider.js';
import { avatarImages } from './avatar-images.js';
import { planTemplate } from '../../plan/template.js';
import { knownDefinitions, templateDefinitions } from '../heygen/template-definitions.js';

/**
 * Drafts' ffmpeg processes at once by default: one per core, at least 2 (the fixed 2 it was before),
 * at most 8. Measured on 2 cores: 2 at once keep 1.78 cores busy (bench/shards.js); a fixed 2 left a
 * bigger CI runner mostly idle. The cap: each ffmpeg runs several threads already, and Node 20's core
 * count ignores a container's CPU quota (`--cpus=2` on a 64-core host would start 64 renders).
 */
export function defaultDraftJobs(): number {
  return Math.min(8, Math.max(2, availableParallelism()));
}

/** The provider that builds free offline drafts with ffmpeg; it never journals to the lockfile. */
export class LocalProvider implements Provider {
  readonly name = 'local';
  readonly journals = false;
  readonly planOptions: PlannerOptions = { engine: 'draft', outputOf: draftOutput, missingReason: 'no draft of this content yet' };
  readonly cache: DraftCache;

  constructor(
    private readonly config: ResolvedConfig,
    /** Parallel ffmpeg processes (each uses several threads): `build --concurrency`, else one per core, 2 to 8. */
    private readonly concurrency = defaultDraftJobs(),
  ) {
    this.cache = draftCache(config.root);
  }

  async readState(specs: readonly VideoSpec[]): Promise<ProviderState> {
    const lock = emptyLockfile();
    const files: string[] = [];
    const { work, templates, dubs } = await draftWork(this.config, specs);
    for (const d of dubs) lock.videos[d.spec.id] = { key: d.key, parts: {}, status: 'completed', attempt: 1, translations: {} };
    const hits = this.cache.entries(work.map((w) => w.key));
    for (const w of work) {
      files.push(w.output, captionsPath(w.output));
      const hit = hits.get(w.key);
      if (!hit) continue;
      const rec = asRecord(w.key, w.output, hit);
      if (w.language === undefined) lock.videos[w.spec.id] = { ...rec, parts: {}, translations: {} };
      // A translation's record hangs off its video's. With no cached video, the translation plans as
      // `create`, and execution finds it in the cache anyway (counted as reused, not rendered).
      else {
        const video = lock.videos[w.spec.id];
        // Its cache key holds the language's text layer: a hit is drawn with the layer the spec asks for.
        const layer = layerDigest(w.spec, w.language);
        if (video) video.translations[w.language] = { ...rec, key: w.planKey ?? rec.key, language: w.language, ...(layer !== '' ? { layer } : {}) };
      }
    }
    return { lock, outputs: statOutputs(this.config.root, files), ...(templates ? { templates } : {}) };
  }

  facts(): Promise<Facts> {
    return Promise.resolve({});
  }

  check(): Problem[] {
    return []; // drafts cost nothing and express every manifest
  }

  async execute(plan: Plan, specs: readonly VideoSpec[], state: ProviderState, ctx: ExecuteContext): Promise<ExecuteResult> {
    const templates = state.templates ? { templates: state.templates } : {};
    const rendering = new Set(plan.items.filter((i) => i.action !== 'unchanged' && i.action !== 'orphan').map((i) => i.videoId));
    const avatarImagesById = await avatarImages(this.config.root, specs.filter((s) => rendering.has(s.id)), ctx.signal);
    // The renderer (the compositor, fonts, ffmpeg) loads only when drafts are rendered, not to plan.
    const { runDrafts } = await import('./run.js');
    return runDrafts({ root: this.config.root, cache: this.cache, plan, specs, ctx, concurrency: this.concurrency, avatarImages: avatarImagesById, ...templates });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** One draft the project's manifests ask for: `key` the draft cache's, `planKey` the one the planner compares (a translation's, without its text layer). */
export interface DraftWork {
  spec: VideoSpec;
  language?: string;
  key: string;
  planKey?: string;
  output: string;
}

/**
 * Every draft the specs ask for, by draft cache key, and the dubs (a dub has no video of its own to draft:
 * its languages hang off a record of its source, keyed `key`). `heygen-build gc` keeps exactly these drafts.
 */
export async function draftWork(
  config: ResolvedConfig,
  specs: readonly VideoSpec[],
): Promise<{ work: DraftWork[]; dubs: { spec: VideoSpec; key: string }[]; templates?: ProviderState['templates'] }> {
  const work: DraftWork[] = [];
  const dubs: { spec: VideoSpec; key: string }[] = [];
  // Drafts never ask HeyGen: a template video is drafted from its cached definition, if any, and
  // keyed like the planner keys it, so a new cached definition makes a new draft.
  const templates = specs.some((s) => s.template) ? knownDefinitions(await templateDefinitions(config, specs, 'plan', undefined)) : undefined;
  for (const spec of specs) {
    const key = spec.template ? planTemplate(spec, templates?.get(spec.template.id), undefined).key : contentKey(spec);
    if (spec.dub) dubs.push({ spec, key });
    else work.push({ spec, key, output: draftOutput(spec.output) });
    if (spec.translations.length === 0) continue;
    // What a translation is made from: the video without its text overlays (a template video: its key).
    // Only hashed when there is a translation: most videos have none, and it is a second hash of the spec.
    const base = spec.template ? key : baseKey(spec);
    for (const t of spec.translations) {
      const output = draftOutput(translationOutput(spec.output, t.language));
      work.push({ spec, language: t.language, key: translationDraftKey(spec, t, base), planKey: translationKey(base, t), output });
    }
  }
  return { work, dubs, ...(templates ? { templates } : {}) };
}

type DraftRecord = Pick<LockEntry, 'key' | 'status' | 'attempt' | 'output' | 'captions'>;

/** A cached draft as the planner reads a finished render: its output, and its sidecar when it has one. */
function asRecord(key: string, output: string, hit: CachedDraft & { captionsSize?: number }): DraftRecord {
  const rec: DraftRecord = { key, status: 'completed', attempt: 1, output: { path: output, size: hit.size, sha256: hit.sha256 } };
  if (hit.captions) {
    const captions: FileRecord = { path: captionsPath(output), size: hit.captionsSize ?? -1, sha256: '' };
    rec.captions = captions;
  }
  return rec;
}
