/**
 * What the planner derives from a spec by hashing: its content key, and each scene's clip (kind
 * and key) and estimated seconds. A VideoSpec is immutable, so these are computed once per spec
 * object; and they are kept in the manifest cache next to the spec they came from, so a warm
 * plan of an unchanged manifest hashes nothing (30,000 clip keys for 10,000 three-scene videos).
 *
 * A cached key read back wrong would plan a changed video as unchanged, so an entry is only
 * reused when it was written by the same code: it carries a digest of the source of every module
 * the keys and estimates are computed by (util/source-digest.ts), not just a format number someone
 * has to remember to bump.
 */
import { contentKey, rememberContentKey } from '../hash/key.js';
import type { ClipKind } from '../model/lock.js';
import type { AvatarEngine, VideoSpec } from '../model/spec.js';
import { round2 } from './estimate.js';
import { scenePlans } from './scenes.js';
import { sourceDigest } from '../util/source-digest.js';

/** One scene as the planner sees it: its estimated seconds, and the clip HeyGen renders for it, if any. */
export interface SceneFact {
  seconds: number;
  /** `engine`: the avatar clip's engine when the manifest names one (it prices the clip). */
  clip?: { kind: ClipKind; key: string; engine?: AvatarEngine };
}

const ENGINES: readonly unknown[] = ['avatar_iii', 'avatar_iv', 'avatar_v'];

const facts = new WeakMap<VideoSpec, readonly SceneFact[]>();

/** Each scene's facts, computed once per spec (or restored from the manifest cache). */
export function sceneFacts(spec: VideoSpec): readonly SceneFact[] {
  let f = facts.get(spec);
  if (!f) {
    // Pushed, not mapped: one kind of array whichever tier runs this (see manifest/finish.ts).
    const list: SceneFact[] = [];
    for (const p of scenePlans(spec)) {
      if (!p.clip || !p.key) list.push({ seconds: p.seconds });
      else {
        const engine = p.clip.kind === 'avatar' ? p.clip.engine : undefined;
        list.push({ seconds: p.seconds, clip: engine ? { kind: p.clip.kind, key: p.key, engine } : { kind: p.clip.kind, key: p.key } });
      }
    }
    facts.set(spec, list);
    f = list;
  }
  return f;
}

/** Estimated length of the whole video, rounded to hundredths: the same sum as `estimateVideoSeconds`. */
export function videoSeconds(spec: VideoSpec): number {
  let total = 0;
  for (const f of sceneFacts(spec)) total += f.seconds;
  return round2(total);
}

/** Modules whose code decides a content key, a clip key or a scene's estimate. */
const SOURCES = ['../hash/key', '../hash/canonical', '../hash/base-text', '../hash/clip-text', '../hash/template', '../hash/overlays', './scenes', './estimate', '../model/spec', '../model/outputs', './derived'];
let code: string | null | undefined;
/** Asked twice per cached spec on a warm plan: read once. */
const codeDigest = (): string | null => (code === undefined ? (code = sourceDigest(import.meta.url, SOURCES)) : code);

/** How derived facts are stored in a manifest cache entry (compact: one array). */
type Stored = [code: string, key: string, scenes: (number | [number, ClipKind, string] | [number, ClipKind, string, AvatarEngine])[]];

/**
 * The manifest cache's hook (see LoadOptions.derived): what to store for a spec, and how to take it
 * back. `restore` answers false when the stored value is missing, damaged or from other code.
 */
export const derivedCache = {
  store(spec: VideoSpec): unknown {
    const code = codeDigest();
    if (code === null) return undefined;
    const scenes: Stored[2] = [];
    for (const f of sceneFacts(spec)) {
      if (!f.clip) scenes.push(f.seconds);
      else scenes.push(f.clip.engine ? [f.seconds, f.clip.kind, f.clip.key, f.clip.engine] : [f.seconds, f.clip.kind, f.clip.key]);
    }
    const stored: Stored = [code, contentKey(spec), scenes];
    return stored;
  },
  restore(spec: VideoSpec, value: unknown): boolean {
    const code = codeDigest();
    if (code === null || !Array.isArray(value) || value.length !== 3 || value[0] !== code) return false;
    // Indexed reads, not destructuring (an iterator per array before the JIT warms up): the main
    // thread restores every spec a worker loaded, on its critical path.
    const key: unknown = value[1];
    const scenes: unknown = value[2];
    if (typeof key !== 'string' || !Array.isArray(scenes) || scenes.length !== spec.scenes.length) return false;
    const list: SceneFact[] = [];
    for (let i = 0; i < scenes.length; i++) {
      const s: unknown = scenes[i];
      if (typeof s === 'number') list.push({ seconds: s });
      else if (!Array.isArray(s)) return false;
      else {
        const seconds: unknown = s[0];
        const kind: unknown = s[1];
        const clip: unknown = s[2];
        const engine: unknown = s[3];
        if (typeof seconds !== 'number' || (kind !== 'avatar' && kind !== 'speech') || typeof clip !== 'string') return false;
        if (engine === undefined) list.push({ seconds, clip: { kind, key: clip } });
        else if (!ENGINES.includes(engine)) return false;
        else list.push({ seconds, clip: { kind, key: clip, engine: engine as AvatarEngine } });
      }
    }
    rememberContentKey(spec, key);
    facts.set(spec, list);
    return true;
  },
};
