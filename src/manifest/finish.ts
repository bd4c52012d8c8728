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
  const avatar = ({ photo, ...rest }: AvatarSpec<PendingRef>): AvatarSpec => (photo ? { ...rest, photo: ref(photo) } : rest);
  // Destructured so that no unfinished ref is spread into the result, and keys keep their order.
  const scene = ({ background, avatar: a, ...rest }: SceneSpec<PendingRef>): SceneSpec => ({
    ...rest,
    input: input(rest.input),
    ...(a ? { avatar: avatar(a) } : {}),
    ...(background ? { background: bg(background) } : {}),
  });
  const { background, scenes, translations, dub, prompt, template, avatar: videoAvatar, ...head } = spec;
  return {
    ...head,
    ...(videoAvatar ? { avatar: avatar(videoAvatar) } : {}),
    // A template variable's local file is read like an asset: its digest goes into the key.
    ...(template ? { template: template.files ? { ...template, files: Object.fromEntries(Object.entries(template.files).map(([n, f]) => [n, { path: f.path, ...digestOf(f.path) }])) } : template } : {}),
    ...(background ? { background: bg(background) } : {}),
    scenes: scenes.map(scene),
    // An approved review's SRT is read like an asset: its digest goes into the language's key.
    translations: translations.map((t) => (t.review?.state === 'approved' ? { ...t, review: { ...t.review, ...digestOf(t.review.srt) } } : t)),
    ...(dub ? { dub: { video: ref(dub.video) } } : {}),
    ...(prompt ? { prompt: { ...prompt, files: prompt.files.map(ref) } } : {}),
  };
}
