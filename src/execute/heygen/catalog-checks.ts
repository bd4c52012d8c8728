/**
 * The catalog checks, pure: what HeyGen would fail a render for, known from the account's looks and
 * voices before anything is paid for. Each finding names where to fix it: the manifest's avatar or
 * voice (placed at file:line:col later, see api/place.ts), or the config alias it came through.
 *
 * Only scenes a build would render are checked: a video rendered before keeps its clips even if its
 * look was since deleted. Aliases no scene uses are checked too, as warnings.
 */
import type { Catalog, CatalogLook, CatalogVoice } from '../../model/catalog.js';
import type { ResolvedConfig } from '../../model/config.js';
import { PAID_ACTIONS, type Plan } from '../../model/plan.js';
import { effectiveScene, type AvatarSpec, type VideoSpec, type VoiceSpec } from '../../model/spec.js';
import { didYouMean } from '../../util/suggest.js';
import type { CatalogCode, Finding, Place } from './catalog-finding.js';

/** The engine HeyGen renders with when a request names none. */
export const DEFAULT_ENGINE = 'avatar_iv';

const BREAK = /<break\b/i;

interface Index {
  looks: Map<string, CatalogLook>;
  voices: Map<string, CatalogVoice>;
  catalog: Catalog;
  /** Answers already worked out: one avatar in 1,000 scenes is looked up (and its did-you-mean searched) once. */
  memo: Map<string, { code: CatalogCode; message: string }[]>;
  /** Built on the first miss only. */
  lookNames?: Map<string, Named>;
  voiceNames?: Map<string, Named>;
}

function index(catalog: Catalog): Index {
  return { looks: new Map(catalog.looks.map((l) => [l.id, l])), voices: new Map(catalog.voices.map((v) => [v.voice_id, v])), catalog, memo: new Map() };
}

function memoized(ix: Index, key: string, work: () => { code: CatalogCode; message: string }[]): { code: CatalogCode; message: string }[] {
  let found = ix.memo.get(key);
  if (!found) {
    found = work();
    ix.memo.set(key, found);
  }
  return found;
}

/** An item a did-you-mean can answer with: its id, and the name people know it by. */
export type Named = { id: string; name: string };

/** Ids and names -> the item, ids first (a name never hides an id). */
export function namesOf(items: readonly Named[]): Map<string, Named> {
  const byKey = new Map<string, Named>();
  for (const i of items) byKey.set(i.id, i);
  for (const i of items) if (!byKey.has(i.name)) byKey.set(i.name, i);
  return byKey;
}

/** ` (did you mean "id" (Name)?)` over ids and names, answering with an id. */
export function suggest(word: string, byKey: ReadonlyMap<string, Named>): string {
  const max = word.length > 12 ? 3 : undefined;
  const best = didYouMean(word, byKey.keys(), max);
  const hit = best === undefined ? undefined : byKey.get(best);
  return hit ? ` (did you mean "${hit.id}" (${hit.name})?)` : '';
}

function lookItems(ix: Index): ReadonlyMap<string, Named> {
  ix.lookNames ??= namesOf(ix.catalog.looks.map((l) => ({ id: l.id, name: l.name })));
  return ix.lookNames;
}

function voiceItems(ix: Index): ReadonlyMap<string, Named> {
  ix.voiceNames ??= namesOf(ix.catalog.voices.map((v) => ({ id: v.voice_id, name: v.name })));
  return ix.voiceNames;
}

/** What is wrong with a look for a render with the avatar's engine and expressiveness, or nothing. */
function lookFindings(avatar: LookAsked, ix: Index): { code: CatalogCode; message: string }[] {
  return memoized(ix, `look|${avatar.id}|${avatar.engine ?? ''}|${avatar.expressiveness ?? ''}|${avatar.motion === undefined ? '' : 'm'}`, () => lookProblems(avatar, ix));
}

/** What a look is asked to render with. */
type LookAsked = Pick<AvatarSpec, 'id' | 'engine' | 'expressiveness' | 'motion'>;

function lookProblems(avatar: LookAsked, ix: Index): { code: CatalogCode; message: string }[] {
  const id = avatar.id;
  const engine = avatar.engine ?? DEFAULT_ENGINE;
  const look = ix.looks.get(id);
  if (!look) {
    const group = ix.catalog.looks.filter((l) => l.group_id === id);
    if (group.length > 0) {
      const ids = group.slice(0, 3).map((l) => `"${l.id}" (${l.name})`).join(', ');
      return [{ code: 'E_UNKNOWN_AVATAR', message: `avatar "${id}" is an avatar group, not a look: use one of its looks, such as ${ids}` }];
    }
    return [{ code: 'E_UNKNOWN_AVATAR', message: `avatar "${id}" is not a look of this HeyGen account${suggest(id, lookItems(ix))}` }];
  }
  const out: { code: CatalogCode; message: string }[] = [];
  if (look.ownership === 'private' && look.status !== null && look.status !== 'completed') {
    const why = look.status === 'failed' && look.error ? `: ${look.error.message}` : '';
    out.push({ code: 'E_AVATAR_NOT_READY', message: `avatar "${id}" (${look.name}) cannot render yet: its training status is "${look.status}"${why}` });
  }
  if (look.supported_api_engines.length > 0 && !look.supported_api_engines.includes(engine)) {
    const how = engine === DEFAULT_ENGINE ? ` (HeyGen's default)` : '';
    out.push({
      code: 'E_AVATAR_ENGINE',
      message: `avatar "${id}" (${look.name}) does not support the ${engine} engine${how}; it supports ${look.supported_api_engines.join(', ')}`,
    });
  }
  if (avatar.expressiveness !== undefined && look.avatar_type !== 'photo_avatar') {
    out.push({
      code: 'E_AVATAR_EXPRESSIVENESS',
      message: `expressiveness is set, and avatar "${id}" (${look.name}) is a ${look.avatar_type}: HeyGen takes expressiveness for photo avatars only`,
    });
  } else if (avatar.expressiveness !== undefined && engine !== 'avatar_iv') {
    out.push({ code: 'E_AVATAR_EXPRESSIVENESS', message: `expressiveness is set with the ${engine} engine: HeyGen takes it with avatar_iv only` });
  }
  // motion_prompt: "Supported for photo avatars on either engine, and for video avatars when engine.type is 'avatar_v'."
  if (avatar.motion !== undefined && look.avatar_type !== 'photo_avatar' && engine !== 'avatar_v') {
    out.push({
      code: 'E_AVATAR_MOTION',
      message: `motion is set, and avatar "${id}" (${look.name}) is a ${look.avatar_type} on the ${engine} engine: HeyGen takes motion for video avatars on avatar_v only`,
    });
  }
  return out;
}

/** Where an avatar or voice came from: the config alias it names, else the manifest's own field. */
function placeOf(kind: 'avatar' | 'voice', spec: AvatarSpec | VoiceSpec, video: VideoSpec, scene: number, own: boolean, config: ResolvedConfig): Place {
  const table = kind === 'avatar' ? config.avatars : config.voices;
  if (spec.label !== spec.id && Object.hasOwn(table, spec.label)) return { kind: 'alias', table: kind === 'avatar' ? 'avatars' : 'voices', name: spec.label };
  return { kind: 'manifest', file: video.source, path: own ? ['scenes', scene, kind] : [kind] };
}

/** Which scenes of a video a build would render: all for a whole-video render, else those planned. */
function paidScenes(plan: Plan): Map<string, Set<number> | 'all'> {
  const out = new Map<string, Set<number> | 'all'>();
  for (const item of plan.items) {
    if (item.kind !== 'video' || !PAID_ACTIONS.has(item.action)) continue;
    out.set(item.videoId, item.scenes ? new Set(item.scenes.filter((s) => s.action === 'create').map((s) => s.index)) : 'all');
  }
  return out;
}

function scenesFindings(video: VideoSpec, scenes: Set<number> | 'all', ix: Index, config: ResolvedConfig): Finding[] {
  const out: Finding[] = [];
  video.scenes.forEach((scene, i) => {
    if (scenes !== 'all' && !scenes.has(i)) return;
    const eff = effectiveScene(video, i);
    // A photo is no look of the account: its rules are checked with the manifest (src/manifest/resolve/engines.ts).
    if (eff.avatar && !eff.avatar.photo) {
      const place = placeOf('avatar', eff.avatar, video, i, scene.avatar !== undefined, config);
      for (const f of lookFindings(eff.avatar, ix)) out.push({ ...f, place, effect: 'error', key: `${eff.avatar.id}` });
    }
    if (eff.input.type !== 'script') return;
    if (!eff.voice) {
      if (eff.avatar && !eff.avatar.photo) out.push(...defaultVoiceFindings(eff.avatar.id, eff.input.text, video, i, ix));
      return;
    }
    const place = placeOf('voice', eff.voice, video, i, scene.voice !== undefined, config);
    const voice = ix.voices.get(eff.voice.id);
    if (!voice) {
      for (const f of unknownVoice(eff.voice.id, ix)) out.push({ ...f, place, effect: 'error', key: eff.voice.id });
      return;
    }
    const named = `voice "${eff.voice.id}" (${voice.name})`;
    if (BREAK.test(eff.input.text) && !voice.support_pause) {
      const at: Place = { kind: 'manifest', file: video.source, path: ['scenes', i, 'script'] };
      out.push({ code: 'E_VOICE_NO_PAUSE', message: `the script has <break> pauses, and ${named} does not support them (support_pause is false)`, place: at, effect: 'error', key: `${i}` });
    }
    if (eff.voice.locale !== undefined && !voice.support_locale) {
      out.push({ code: 'E_VOICE_NO_LOCALE', message: `locale "${eff.voice.locale}" is set, and ${named} has no locale variants (support_locale is false)`, place, effect: 'error', key: `${eff.voice.id}:${eff.voice.locale}` });
    }
    if (!eff.avatar && !voice.starfish) {
      out.push({
        code: 'E_VOICE_NOT_STARFISH',
        message: `this scene has no avatar, so it is spoken through /v3/voices/speech, and ${named} is not a Starfish voice; usable: ${starfishVoices(ix)}`,
        place,
        effect: 'error',
        key: `${eff.voice.id}`,
      });
    }
  });
  return out;
}

/** How many Starfish voices a refusal names. */
const LISTED = 8;

/** A few Starfish voices of the account, to name in a refusal (the rest: `heygen-build voices --tts`). */
function starfishVoices(ix: Index): string {
  const all = ix.catalog.voices.filter((v) => v.starfish);
  const some = all.slice(0, LISTED).map((v) => `${v.name} (${v.voice_id}${v.language ? `, ${v.language}` : ''})`);
  const more = all.length > LISTED ? `, and ${all.length - LISTED} more (\`heygen-build voices --tts\`)` : '';
  return some.length > 0 ? some.join('; ') + more : 'none listed (`heygen-build voices --tts`)';
}

function unknownVoice(id: string, ix: Index): { code: CatalogCode; message: string }[] {
  return memoized(ix, `voice|${id}`, () => [{ code: 'E_UNKNOWN_VOICE', message: `voice "${id}" is not a voice of this HeyGen account${suggest(id, voiceItems(ix))}` }]);
}

/** A script scene with an avatar and no voice: the look's default voice speaks it, if it has one. */
function defaultVoiceFindings(avatarId: string, text: string, video: VideoSpec, i: number, ix: Index): Finding[] {
  const look = ix.looks.get(avatarId);
  if (!look) return []; // reported as an unknown avatar
  const at: Place = { kind: 'manifest', file: video.source, path: ['scenes', i, 'script'] };
  const id = look.default_voice_id;
  if (!id) {
    return [{ code: 'E_NO_VOICE', message: `the scene has no voice, and avatar "${avatarId}" (${look.name}) has no default voice`, place: at, effect: 'error', key: avatarId }];
  }
  const voice = ix.voices.get(id);
  const out: Finding[] = [
    { code: 'W_DEFAULT_VOICE', message: `no voice is set: ${look.name}'s default voice, ${voice ? `${voice.name} (${id})` : id}, will speak`, place: at, effect: 'note', key: avatarId },
  ];
  if (voice && BREAK.test(text) && !voice.support_pause) {
    out.push({ code: 'E_VOICE_NO_PAUSE', message: `the script has <break> pauses, and the avatar's default voice ${voice.name} (${id}) does not support them`, place: at, effect: 'error', key: `${i}` });
  }
  return out;
}

/** What Video Agent refuses before it starts: a look that is not the account's or not trained, a voice it does not have. */
const PROMPT_LOOK_CODES = new Set<CatalogCode>(['E_UNKNOWN_AVATAR', 'E_AVATAR_NOT_READY']);

/**
 * A prompt video sends only the avatar and voice ids its manifest writes (`POST /v3/video-agents`); the
 * agent picks the engine and the script, so only whether the look and voice exist (and the look is trained)
 * can be known before paying.
 */
function promptFindings(video: VideoSpec, ix: Index, config: ResolvedConfig): Finding[] {
  const out: Finding[] = [];
  if (video.avatar && !video.avatar.photo) {
    const place = placeOf('avatar', video.avatar, video, 0, false, config);
    for (const f of lookFindings({ id: video.avatar.id }, ix)) {
      if (PROMPT_LOOK_CODES.has(f.code)) out.push({ ...f, place, effect: 'error', key: video.avatar.id });
    }
  }
  if (video.voice && !ix.voices.has(video.voice.id)) {
    const place = placeOf('voice', video.voice, video, 0, false, config);
    for (const f of unknownVoice(video.voice.id, ix)) out.push({ ...f, place, effect: 'error', key: video.voice.id });
  }
  return out;
}

function aliasFindings(config: ResolvedConfig, ix: Index): Finding[] {
  const out: Finding[] = [];
  for (const [name, alias] of Object.entries(config.avatars)) {
    const avatar = typeof alias === 'string' ? { id: alias } : alias;
    const place: Place = { kind: 'alias', table: 'avatars', name };
    for (const f of lookFindings(avatar, ix)) out.push({ ...f, place, effect: 'warning', key: avatar.id });
  }
  for (const [name, alias] of Object.entries(config.voices)) {
    const id = typeof alias === 'string' ? alias : alias.id;
    if (ix.voices.has(id)) continue;
    const place: Place = { kind: 'alias', table: 'voices', name };
    for (const f of unknownVoice(id, ix)) out.push({ ...f, place, effect: 'warning', key: id });
  }
  return out;
}

function placeKey(p: Place): string {
  return p.kind === 'alias' ? `alias:${p.table}:${p.name}` : `${p.file}:${p.path.join('.')}`;
}

/**
 * Everything the catalog says a build would fail on, once per place: errors for scenes a build would
 * render, warnings for aliases nothing renders with yet.
 */
export function catalogFindings(plan: Plan, specs: readonly VideoSpec[], catalog: Catalog, config: ResolvedConfig): Finding[] {
  const ix = index(catalog);
  const paid = paidScenes(plan);
  const found: Finding[] = [];
  for (const video of specs) {
    const scenes = paid.get(video.id);
    if (scenes) found.push(...(video.prompt ? promptFindings(video, ix, config) : scenesFindings(video, scenes, ix, config)));
  }
  found.push(...aliasFindings(config, ix));
  // One finding per place and rule: an alias used by 30 scenes is one line, at the config, an error if any scene needs it.
  const byPlace = new Map<string, Finding>();
  for (const f of found) {
    const k = `${f.code}|${placeKey(f.place)}|${f.key}`;
    const prev = byPlace.get(k);
    if (!prev || (prev.effect === 'warning' && f.effect === 'error')) byPlace.set(k, f);
  }
  return [...byPlace.values()];
}

/**
 * At most this many looks and voices are fetched one by one (`catalogNeeds`); more, and the lists are.
 * Six: no more requests than the lists of a small account take (seven, with the credits beside them).
 */
const SINGLE_LOOKUPS = 6;

/**
 * The looks and voices `catalogFindings` would look up for this plan, or `whole` when the checks need
 * what only the lists tell (a voice's `support_locale`, the Starfish listing of a voice spoken without
 * an avatar, an avatar's default voice) or more than SINGLE_LOOKUPS ids. Then a catalog of just these
 * ids answers every check as the whole one would, as long as none of them is missing (a miss is
 * reported with suggestions from the lists).
 */
export function catalogNeeds(plan: Plan, specs: readonly VideoSpec[], config: ResolvedConfig): { looks: string[]; voices: string[] } | 'whole' {
  const paid = paidScenes(plan);
  const looks = new Set<string>();
  const voices = new Set<string>();
  let whole = false;
  for (const video of specs) {
    const scenes = paid.get(video.id);
    if (!scenes) continue;
    if (video.prompt) {
      if (video.avatar && !video.avatar.photo) looks.add(video.avatar.id);
      if (video.voice) voices.add(video.voice.id);
      continue;
    }
    video.scenes.forEach((_, i) => {
      if (scenes !== 'all' && !scenes.has(i)) return;
      const eff = effectiveScene(video, i);
      if (eff.avatar && !eff.avatar.photo) looks.add(eff.avatar.id);
      if (eff.input.type !== 'script') return;
      if (!eff.voice) {
        if (eff.avatar && !eff.avatar.photo) whole = true; // the look's default voice speaks
        return;
      }
      voices.add(eff.voice.id);
      if (eff.voice.locale !== undefined || !eff.avatar) whole = true;
    });
  }
  for (const alias of Object.values(config.avatars)) looks.add(typeof alias === 'string' ? alias : alias.id);
  for (const alias of Object.values(config.voices)) voices.add(typeof alias === 'string' ? alias : alias.id);
  if (whole || looks.size + voices.size > SINGLE_LOOKUPS) return 'whole';
  return { looks: [...looks], voices: [...voices] };
}
