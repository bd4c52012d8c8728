/**
 * Content keys: what decides whether a video must be rendered again.
 *
 * The key covers everything that changes the rendered picture or sound and nothing else:
 * metadata (id, title, description, tags), where the file goes (output), the manifest it came
 * from, alias labels and translations (which have their own keys) are left out. Local assets
 * enter the key by their bytes (sha256), never their path, so moving a file keeps the key.
 *
 * `parts` explains a key change: one short digest per leaf (`voice.speed`, `scenes[2].script`)
 * plus one per local asset (`asset <path>` = the start of its sha256). A leaf holding a local asset digests
 * the asset's *path* only, so new bytes show up as `asset <path>` and a different file as the leaf.
 */
import type { AssetRef, AvatarSpec, BackgroundSpec, SceneInput, TranslationSpec, VideoSpec, VoiceSpec } from '../model/spec.js';
import { hasOverlays, localAssets } from '../model/spec.js';
import { isAudioOutput } from '../model/outputs.js';
import { baseKeyText } from './base-text.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { templateParts, templateValue } from './template.js';
import { layerDigest, overlayParts, overlaysValue } from './overlays.js';
import { promptParts, promptValue } from './prompt.js';

// The task's contract names key.ts as the home of these too; they live in their own files.
export { diffParts } from './diff.js';
export { idempotencyKey } from './idempotency.js';

/** Bump when the hashed shape changes meaning: every key changes with it (a deliberate full rebuild). */
export const HASH_FORMAT = 1;

/**
 * Part digests are for explanation only (a plan's "what changed"), so 32 bits is plenty: the parts are
 * most of a lockfile entry. Each is a prefix of a sha256, so a longer digest from an older lockfile
 * reads as its first PART_DIGEST_LENGTH digits (src/lockfile/parts.ts) and compares exactly.
 */
export const PART_DIGEST_LENGTH = 8;

/** A video's content key and the per-part digests that explain what changed. */
export interface VideoKey {
  key: string;
  parts: Record<string, string>;
}

/** Key and part digests together (what the lockfile records). */
export function videoKey(spec: VideoSpec): VideoKey {
  return { key: contentKey(spec), parts: videoParts(spec) };
}

/**
 * The key alone: one canonical JSON and one sha256. The planner needs parts only when a key changed,
 * so a plan of unchanged videos never computes them.
 */
export function contentKey(spec: VideoSpec): string {
  let key = keys.get(spec);
  if (key === undefined) {
    key = computeContentKey(spec);
    keys.set(spec, key);
  }
  return key;
}

/**
 * Records `key` as the content key of `spec`, computed for this very spec by the same code in an
 * earlier run (the manifest cache, src/plan/derived.ts, or the rows cache): a warm plan then hashes nothing.
 */
export function rememberContentKey(spec: VideoSpec, key: string): void {
  keys.set(spec, key);
}

/*
 * A VideoSpec is immutable once resolved, so its key and parts are computed once per spec object and
 * shared by the planner, the checks and the executor (which records the parts in the lockfile).
 */
const keys = new WeakMap<VideoSpec, string>();
const partsMemo = new WeakMap<VideoSpec, Readonly<Record<string, string>>>();

function computeContentKey(spec: VideoSpec): string {
  if (spec.dub) return dubSourceKey(spec.dub.video);
  // A voiceover has no picture: only what is heard (and the sidecar) is hashed, plus the fact it is audio.
  if (isAudioOutput(spec.output)) {
    return sha256Hex(
      canonicalJson({
        format: HASH_FORMAT,
        media: 'audio',
        caption: spec.caption,
        voice: spec.voice && voiceValue(spec.voice),
        scenes: spec.scenes.map((s) => ({ input: inputValue(s.input, assetByBytes), voice: s.voice && voiceValue(s.voice) })),
      }),
    );
  }
  const text = overlaysValue(spec);
  // Without overlays `text` is undefined, which canonical JSON drops: the text is the base key's, so
  // it is hashed once for both (a cold plan asks for both keys of every video).
  return text === undefined ? baseKey(spec) : sha256Hex(canonicalJson({ ...baseValue(spec), text }));
}

/**
 * The composition's key without its text overlays: what a translation is made from. Equal to the
 * content key for a video without overlays (`text` is then undefined, which canonical JSON drops),
 * and for a dub (its source's key).
 */
export function baseKey(spec: VideoSpec): string {
  let key = bases.get(spec);
  if (key === undefined) {
    // A video (not a voiceover) without overlays (exactly when `overlaysValue` is undefined) has the content key as its base key, and that
    // key is often known already (computed, or restored from a cache written by this same code).
    const known = spec.dub || isAudioOutput(spec.output) || hasOverlays(spec) ? undefined : keys.get(spec);
    key = known ?? (spec.dub ? dubSourceKey(spec.dub.video) : sha256Hex(baseKeyText(HASH_FORMAT, spec) ?? canonicalJson(baseValue(spec))));
    bases.set(spec, key);
  }
  return key;
}
const bases = new WeakMap<VideoSpec, string>();

/** The composition as the base key hashes it (exported for the direct writer's test, base-text.ts). */
export function baseValue(spec: VideoSpec): Record<string, unknown> {
  return {
    format: HASH_FORMAT,
    // A template renders at its own size unless `template.dimension` asks for one (hashed there);
    // Video Agent at its own, in the orientation the prompt's value holds.
    dimension: spec.template || spec.prompt ? undefined : { width: spec.dimension.width, height: spec.dimension.height },
    caption: spec.caption,
    // Only when set (canonical JSON drops undefined): keys made before these existed stay the same.
    engine: spec.engine,
    transparent: spec.transparent,
    avatar: spec.avatar && avatarValue(spec.avatar),
    voice: spec.voice && voiceValue(spec.voice),
    background: spec.background && backgroundValue(spec.background, assetByBytes),
    scenes: spec.scenes.map((s) => ({
      input: inputValue(s.input, assetByBytes),
      avatar: s.avatar && avatarValue(s.avatar),
      engine: s.engine,
      voice: s.voice && voiceValue(s.voice),
      background: s.background && backgroundValue(s.background, assetByBytes),
    })),
    template: spec.template && templateValue(spec.template),
    prompt: spec.prompt && promptValue(spec.prompt, assetByBytes),
  };
}

/** The content key of a translation: its source video's key plus the translation's settings. */
export function translationKey(sourceKey: string, t: TranslationSpec): string {
  return sha256Hex(
    canonicalJson({
      format: HASH_FORMAT,
      source: sourceKey,
      language: t.language,
      mode: t.mode,
      captions: t.captions,
      audioOnly: t.audioOnly,
      // Only when set: translations keyed before these options existed keep their keys.
      ...(t.options && Object.keys(t.options).length > 0 ? { options: t.options } : {}),
      // An approved review renders the committed SRT: editing it renders that language again.
      ...(t.review?.state === 'approved' ? { srt: t.review.sha256 ?? '' } : {}),
    }),
  );
}

/** The key of a dubbed source: its bytes' digest (a local file) or its URL. Every language's key builds on it. */
export function dubSourceKey(video: AssetRef): string {
  return sha256Hex(canonicalJson({ format: HASH_FORMAT, dub: assetByBytes(video) }));
}

/**
 * A translation's draft: its key plus its language's text layer, so that fixing an overlay's text in
 * that language draws the draft again. Equal to the translation's key when the video has no overlays.
 * `sourceKey`: the key the translation is made from (a template video's holds its definition's digest).
 */
export function translationDraftKey(spec: VideoSpec, t: TranslationSpec, sourceKey: string = baseKey(spec)): string {
  const key = translationKey(sourceKey, t);
  const layer = layerDigest(spec, t.language);
  return layer === '' ? key : sha256Hex(canonicalJson({ translation: key, layer }));
}

/** The per-part digests of a video, as described above, computed once per spec. */
export function videoParts(spec: VideoSpec): Record<string, string> {
  let parts = partsMemo.get(spec);
  if (!parts) {
    parts = computeParts(spec);
    partsMemo.set(spec, parts);
  }
  // A copy: callers store it in the lockfile, which they may change later.
  return { ...parts };
}

function computeParts(spec: VideoSpec): Record<string, string> {
  // A row keeps one short digest of its cells: the key already covers the rest, and 10,000 rows of
  // per-part digests would be most of the lockfile. It only words the reason ("row" or "template changed").
  if (spec.row) return { row: spec.row.digest.slice(0, PART_DIGEST_LENGTH) };
  const parts: Record<string, string> = {};
  const leaf = (name: string, value: unknown): void => {
    if (value !== undefined) parts[name] = shortDigest(value);
  };
  if (spec.dub) {
    leaf('source', assetByPath(spec.dub.video));
    for (const asset of localAssets(spec)) parts[`asset ${asset.path}`] = asset.sha256.slice(0, PART_DIGEST_LENGTH);
    return parts;
  }
  if (!spec.template && !spec.prompt) leaf('dimension', { width: spec.dimension.width, height: spec.dimension.height });
  leaf('caption', spec.caption);
  leaf('engine', spec.engine);
  leaf('transparent', spec.transparent);
  overrideParts('', spec, leaf);
  // A scene added or removed at the end would otherwise only show as new/missing scene parts.
  if (!spec.template && !spec.prompt) leaf('scenes.length', spec.scenes.length);
  spec.scenes.forEach((scene, i) => {
    const p = `scenes[${i}].`;
    const input = scene.input;
    if (input.type === 'script') leaf(`${p}script`, input.text);
    else if (input.type === 'audio') leaf(`${p}audio`, assetByPath(input.source));
    else leaf(`${p}silence`, input.seconds);
    leaf(`${p}engine`, scene.engine);
    overrideParts(p, scene, leaf);
  });
  if (spec.template) templateParts(spec.template, leaf);
  if (spec.prompt) promptParts(spec.prompt, leaf, assetByPath);
  overlayParts(spec, leaf);
  for (const asset of localAssets(spec)) parts[`asset ${asset.path}`] = asset.sha256.slice(0, PART_DIGEST_LENGTH);
  return parts;
}

/** The avatar, voice and background leaves, shared by the video and each scene's overrides. */
function overrideParts(
  prefix: string,
  owner: { avatar?: AvatarSpec; voice?: VoiceSpec; background?: BackgroundSpec },
  leaf: (name: string, value: unknown) => void,
): void {
  if (owner.avatar) {
    const a = avatarValue(owner.avatar);
    leaf(`${prefix}avatar.id`, a.id);
    // The photo's path: new bytes show as its `asset <path>` part.
    leaf(`${prefix}avatar.photo`, owner.avatar.photo && assetByPath(owner.avatar.photo));
    leaf(`${prefix}avatar.style`, a.style);
    leaf(`${prefix}avatar.scale`, a.scale);
    leaf(`${prefix}avatar.offset`, a.offset);
    leaf(`${prefix}avatar.engine`, a.engine);
    leaf(`${prefix}avatar.expressiveness`, a.expressiveness);
    leaf(`${prefix}avatar.motion`, a.motion);
  }
  if (owner.voice) {
    const v = voiceValue(owner.voice);
    leaf(`${prefix}voice.id`, v.id);
    leaf(`${prefix}voice.speed`, v.speed);
    leaf(`${prefix}voice.pitch`, v.pitch);
    leaf(`${prefix}voice.emotion`, v.emotion);
    leaf(`${prefix}voice.locale`, v.locale);
    leaf(`${prefix}voice.volume`, v.volume);
    leaf(`${prefix}voice.elevenlabs`, v.elevenlabs);
  }
  if (owner.background) leaf(`${prefix}background`, backgroundValue(owner.background, assetByPath));
}

// Explicit field picks (never spreads): a field added to the model later must be a conscious
// decision to hash, and `label` must never leak in.
function avatarValue(a: AvatarSpec) {
  // engine, expressiveness and motion only when set: keys made before they existed stay the same.
  // A photo is its bytes (its id is only where it lies).
  return {
    id: a.photo ? undefined : a.id,
    photo: a.photo && assetByBytes(a.photo),
    style: a.style,
    scale: a.scale,
    offset: { x: a.offset.x, y: a.offset.y },
    engine: a.engine,
    expressiveness: a.expressiveness,
    motion: a.motion,
  };
}

function voiceValue(v: VoiceSpec) {
  const e = v.elevenlabs;
  const elevenlabs = e && { model: e.model, stability: e.stability, similarity_boost: e.similarity_boost, style: e.style };
  return { id: v.id, speed: v.speed, pitch: v.pitch, emotion: v.emotion, locale: v.locale, volume: v.volume, elevenlabs };
}

type AssetValue = (ref: AssetRef) => Record<string, string>;

function assetByBytes(ref: AssetRef): Record<string, string> {
  if (ref.kind === 'local') return { kind: 'local', sha256: ref.sha256 };
  return { kind: 'url', url: ref.url };
}

function assetByPath(ref: AssetRef): Record<string, string> {
  if (ref.kind === 'local') return { kind: 'local', path: ref.path };
  return { kind: 'url', url: ref.url };
}

function backgroundValue(b: BackgroundSpec, asset: AssetValue): Record<string, unknown> {
  switch (b.type) {
    case 'color':
      return { type: 'color', color: b.color };
    case 'image':
      return { type: 'image', source: asset(b.source), fit: b.fit };
    case 'video':
      return { type: 'video', source: asset(b.source), play: b.play, fit: b.fit };
  }
}

function inputValue(input: SceneInput, asset: AssetValue): Record<string, unknown> {
  switch (input.type) {
    case 'script':
      return { type: 'script', text: input.text };
    case 'audio':
      return { type: 'audio', source: asset(input.source) };
    case 'silence':
      return { type: 'silence', seconds: input.seconds };
  }
}

function shortDigest(value: unknown): string {
  return sha256Hex(canonicalJson(value)).slice(0, PART_DIGEST_LENGTH);
}
