/**
 * Which videos are built and current, asked the way `plan` asks: HeyGen's from the lockfile (a
 * video the plan calls unchanged: its key matches and its output is intact), drafts from the draft
 * cache (a draft of the manifest's content as it is now). No request is made and nothing is paid.
 */
import { loadProvider } from '../execute/choose.js';
import { probeDubSources } from '../execute/dub-sources.js';
import type { ResolvedConfig } from '../model/config.js';
import type { Lockfile } from '../model/lock.js';
import type { VideoSpec } from '../model/spec.js';
import { plan as planPure } from '../plan/plan.js';

/** The current state of every video: the HeyGen lockfile, and which ones have a final or a draft. */
export interface BuiltState {
  lock: Readonly<Lockfile>;
  /** Ids of videos whose HeyGen output is built and current. */
  finals: ReadonlySet<string>;
  /** Draft cache keys of videos drafted in their current content, by id. */
  drafts: ReadonlyMap<string, string>;
}

/** Reads the lockfile and the draft cache once, and plans against each (pure, no request). */
export async function builtState(config: ResolvedConfig, specs: readonly VideoSpec[]): Promise<BuiltState> {
  const heygen = await loadProvider('heygen', config);
  const local = await loadProvider('local', config);
  try {
    const state = await heygen.readState(specs, 'plan');
    const durations = await probeDubSources(config.root, specs);
    const plan = planPure({
      ...heygen.planOptions,
      specs,
      lock: state.lock,
      outputs: state.outputs,
      partial: true,
      durations,
      ...(state.templates ? { templates: state.templates } : {}),
    });
    const finals = new Set(plan.items.filter((i) => i.language === undefined && i.action === 'unchanged').map((i) => i.videoId));
    // The draft provider's state holds a record only for content found in the draft cache.
    const drafted = await local.readState(specs, 'plan');
    const drafts = new Map<string, string>();
    for (const spec of specs) {
      const rec = drafted.lock.videos[spec.id];
      if (rec && !spec.dub) drafts.set(spec.id, rec.key);
    }
    return { lock: state.lock, finals, drafts };
  } finally {
    await heygen.close();
    await local.close();
  }
}
