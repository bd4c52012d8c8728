/**
 * The finished VideoSpec, built once every local asset's digest is known: a new tree in which
 * each local ref carries its sha256 and size. Nothing is patched in place, so a spec is either
 * unresolved (`UnresolvedSpec`) or finished (`VideoSpec`), never half of each.
 */

import type { AssetRef, AvatarSpec, BackgroundSpec, PendingRef, SceneInput, SceneSpec, UnresolvedSpec, VideoSpec } from '../model/spec.js';

/** A local asset's content digest and size, the parts of a file that go into the content hash. */
export interface Digest {
  sha256: string;
  size: number;
}

/** `digestOf` must know every local file of `spec` (the loader only calls this when it does). */
export function finishSpec(spec: UnresolvedSpec, digestOf: (file: string) => Digest): VideoSpec {
  const ref = (r: PendingRef): AssetRef => {
    if (r.kind === 'url') return r;
    const d = digestOf(r.path);
    return { kind: 'local', path: r.path, sha256: d.sha256, size: d.size };
  };
  const bg = (b: BackgroundSpec<PendingRef>): BackgroundSpec => (b.type === 'color' ? b : { ...b, source: ref(b.source) });
  const input = (i: SceneInput<PendingRef>): SceneInput => (i.type === 'audio' ? { ...i, source: ref(i.source) } : i);
  // The members but `photo` in their order, then the finished photo (an avatar without one is copied as it is).
  const avatar = (a: AvatarSpec<PendingRef>): AvatarSpec => {
    if (!('photo' in a)) return { ...(a as AvatarSpec) };
    const { photo, ...rest } = a;
    return photo ? { ...rest, photo: ref(photo) } : rest;
  };
  // No unfinished ref is copied into the result: the scene's members but avatar and background in their
  // order, then those two finished. Built member by member: object rest ran per scene of every cold load.
  const scene = (s: SceneSpec<PendingRef>): SceneSpec => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(s)) if (k !== 'avatar' && k !== 'background') out[k] = s[k as keyof SceneSpec<PendingRef>];
    out.input = input(s.input);
    if (s.avatar) out.avatar = avatar(s.avatar);
    if (s.background) out.background = bg(s.background);
    return out as unknown as SceneSpec;
  };
  // As for a scene: the other members in their order, then these, finished.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(spec)) if (!FINISHED.has(k)) out[k] = spec[k as keyof UnresolvedSpec];
  const { background, scenes, translations, dub, prompt, template, avatar: videoAvatar } = spec;
  if (videoAvatar) out.avatar = avatar(videoAvatar);
  // A template variable's local file is read like an asset: its digest goes into the key.
  if (template) out.template = template.files ? { ...template, files: Object.fromEntries(Object.entries(template.files).map(([n, f]) => [n, { path: f.path, ...digestOf(f.path) }])) } : template;
  if (background) out.background = bg(background);
  // Filled by push, not made by `map`: in V8 a `map` gives a packed array until its caller is
  // optimized and a holey one after, and code optimized for one kind is thrown away when it meets
  // the other (a cold load recompiled the planner's functions for it). Pushed arrays are one kind.
  const finished: SceneSpec[] = [];
  for (let i = 0; i < scenes.length; i++) finished.push(scene(scenes[i]!));
  out.scenes = finished;
  // An approved review's SRT is read like an asset: its digest goes into the language's key.
  const langs: VideoSpec['translations'][number][] = [];
  for (let i = 0; i < translations.length; i++) {
    const t = translations[i]!;
    langs.push(t.review?.state === 'approved' ? { ...t, review: { ...t.review, ...digestOf(t.review.srt) } } : t);
  }
  out.translations = langs;
  if (dub) out.dub = dub.at ? { video: ref(dub.video), at: dub.at } : { video: ref(dub.video) };
  if (prompt) out.prompt = { ...prompt, files: prompt.files.map(ref) };
  return out as unknown as VideoSpec;
}

/** The members of a spec `finishSpec` writes itself, after the others. */
const FINISHED: ReadonlySet<string> = new Set(['background', 'scenes', 'translations', 'dub', 'prompt', 'template', 'avatar']);
