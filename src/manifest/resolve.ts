/**
 * A schema-valid manifest (defaults merged in) -> VideoSpec. Synchronous: local assets are
 * collected as `pending` refs whose digests are filled in afterwards, once per distinct file.
 */

import path from 'node:path';
import type { ResolvedConfig } from '../model/config.js';
import type {
  AssetRef,
  AvatarSpec,
  BackgroundSpec,
  CaptionMode,
  Dimension,
  SceneSpec,
  TranslationSpec,
  VideoSpec,
  VoiceSpec,
} from '../model/spec.js';
import { isProblem, resolveAvatar, resolveVoice } from './aliases.js';
import { isUrl, projectPath } from './assets.js';
import { formatPath, quoteList, type DataPath, type Issue } from './issue.js';
import type { BackgroundInput, DimensionInput, ManifestInput, SceneInputYaml, TranslationInput } from './types.js';

export type LocalRef = Extract<AssetRef, { kind: 'local' }>;

export interface PendingAsset {
  /** Filled in place once the digest is known. */
  ref: LocalRef;
  path: DataPath;
  what: string;
  /** As written in the manifest. */
  value: string;
}

export interface ResolveContext {
  config: ResolvedConfig;
  /** Project-relative POSIX path of the manifest. */
  source: string;
  /** The id from the file's path, used when the manifest has no `id`. */
  defaultId: string;
  /** Whether the value at a path came from config defaults (its paths are then root-relative). */
  fromDefaults: (p: DataPath) => boolean;
}

export interface Resolution {
  spec: VideoSpec;
  pending: PendingAsset[];
  issues: Issue[];
}

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

const ASPECTS: Record<string, Dimension> = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
  '4:5': { width: 1080, height: 1350 },
  '5:4': { width: 1350, height: 1080 },
  '4:3': { width: 1440, height: 1080 },
};
const PRESETS: Record<string, Dimension> = { '720p': { width: 1280, height: 720 }, '1080p': { width: 1920, height: 1080 } };
const DEFAULT_DIMENSION: Dimension = { width: 1280, height: 720 };
const BREAK_TAG = /<break\b[^>]*>/g;
const VALID_BREAK = /^<break time="\d+(\.\d+)?s"\s*\/>$/;

export function resolveDimension(d: DimensionInput | undefined): Dimension {
  if (d === undefined) return { ...DEFAULT_DIMENSION };
  if (typeof d === 'string') return { ...(PRESETS[d] ?? ASPECTS[d] ?? DEFAULT_DIMENSION) };
  if ('width' in d) return { width: d.width, height: d.height };
  const p = PRESETS[d.preset] ?? DEFAULT_DIMENSION;
  if (d.orientation === 'portrait') return { width: p.height, height: p.width };
  if (d.orientation === 'square') return { width: p.height, height: p.height };
  return { ...p };
}

function captionMode(c: ManifestInput['caption']): CaptionMode {
  if (c === undefined || c === false) return 'none';
  if (c === true) return 'file';
  return c.burn ? 'burn' : 'file';
}

export function resolveManifest(m: ManifestInput, ctx: ResolveContext): Resolution {
  const issues: Issue[] = [];
  const pending: PendingAsset[] = [];
  const root = ctx.config.root;
  const manifestDir = path.dirname(path.join(root, ctx.source));

  const source = (value: string, at: DataPath, what: string): AssetRef | undefined => {
    if (isUrl(value)) return { kind: 'url', url: value };
    const base = ctx.fromDefaults(at) ? root : manifestDir;
    const r = projectPath(root, base, value);
    if (!r.ok) {
      issues.push(
        r.reason === 'scheme'
          ? { code: 'E_SCHEMA', message: `${formatPath(at)} must be a local path or an http(s) URL (got "${value}")`, path: at }
          : {
              code: 'E_PATH_ESCAPE',
              message: `${what} "${value}" is outside the project`,
              hint: 'use a path relative to the manifest that stays inside the project folder, or an http(s) URL',
              path: at,
            },
      );
      return undefined;
    }
    const ref: LocalRef = { kind: 'local', path: r.rel, sha256: '', size: 0 };
    pending.push({ ref, path: at, what, value });
    return ref;
  };

  const background = (b: BackgroundInput, at: DataPath): BackgroundSpec | undefined => {
    if (typeof b === 'string') return { type: 'color', color: b.toUpperCase() };
    if ('color' in b) return { type: 'color', color: b.color.toUpperCase() };
    if ('image' in b) {
      const s = source(b.image, [...at, 'image'], 'background image');
      return s && { type: 'image', source: s, fit: b.fit ?? 'cover' };
    }
    const s = source(b.video, [...at, 'video'], 'background video');
    return s && { type: 'video', source: s, play: b.play ?? 'loop', fit: b.fit ?? 'cover' };
  };

  const voice = (v: ManifestInput['voice'], at: DataPath): VoiceSpec | undefined => {
    if (v === undefined) return undefined;
    const r = resolveVoice(v, ctx.config.voices);
    if (isProblem(r)) {
      issues.push({ code: 'E_UNKNOWN_ALIAS', ...r, path: at });
      return undefined;
    }
    return r;
  };

  /** An avatar, and the voice its alias brings (problems with that voice point at the avatar). */
  const avatar = (a: ManifestInput['avatar'], at: DataPath): { spec?: AvatarSpec; voice?: VoiceSpec } => {
    if (a === undefined) return {};
    const r = resolveAvatar(a, ctx.config.avatars);
    if (isProblem(r)) {
      issues.push({ code: 'E_UNKNOWN_ALIAS', ...r, path: at });
      return {};
    }
    if (r.voice === undefined) return { spec: r.spec };
    const v = resolveVoice(r.voice, ctx.config.voices);
    if (isProblem(v)) {
      issues.push({
        code: 'E_UNKNOWN_ALIAS',
        message: `avatar alias "${r.spec.label}" names voice "${r.voice}", which is not a voice alias`,
        hint: v.hint,
        path: at,
      });
      return { spec: r.spec };
    }
    return { spec: r.spec, voice: v };
  };

  const id = m.id ?? ctx.defaultId;
  if (m.id === undefined && !ID_PATTERN.test(id)) {
    issues.push({
      code: 'E_SCHEMA',
      message: `the file name gives the id "${id}", which is not a valid id`,
      hint: 'rename the file, or set `id:` (letters, digits, ".", "_", "/", "-")',
      path: [],
    });
  }

  // The id becomes a path (`<outDir>/<id>.mp4`): `.`/`..`/empty segments could leave outDir.
  if (id.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
    issues.push({
      code: 'E_SCHEMA',
      message: `id "${id}" must not have empty, "." or ".." path segments`,
      path: m.id === undefined ? [] : ['id'],
    });
  }

  const videoAvatar = avatar(m.avatar, ['avatar']);
  // The video's voice: its own, else the one its avatar alias brings.
  const videoVoice = voice(m.voice, ['voice']) ?? videoAvatar.voice;
  const videoBackground = m.background === undefined ? undefined : background(m.background, ['background']);
  const caption = captionMode(m.caption);

  const scenes = m.scenes.map((s: SceneInputYaml, i): SceneSpec => {
    const at: DataPath = ['scenes', i];
    let input: SceneSpec['input'];
    if (s.script !== undefined) {
      input = { type: 'script', text: s.script };
      const bad = [...s.script.matchAll(BREAK_TAG)].map((x) => x[0]).find((t) => !VALID_BREAK.test(t));
      if (bad) {
        issues.push({
          code: 'E_SCHEMA',
          message: `${formatPath([...at, 'script'])} has a malformed pause ${bad}`,
          hint: 'write pauses as <break time="1.5s"/>',
          path: [...at, 'script'],
        });
      }
    } else if (s.audio !== undefined) {
      const src = source(s.audio, [...at, 'audio'], 'audio');
      input = src ? { type: 'audio', source: src } : { type: 'silence', seconds: 0 };
    } else {
      input = { type: 'silence', seconds: s.silence ?? 0 };
    }
    const scene: SceneSpec = { input };
    const sceneAvatar = avatar(s.avatar, [...at, 'avatar']);
    if (sceneAvatar.spec) scene.avatar = sceneAvatar.spec;
    // A scene that switches to an avatar alias with its own voice speaks with that voice,
    // unless the scene names a voice itself.
    const sceneVoice = voice(s.voice, [...at, 'voice']) ?? sceneAvatar.voice;
    if (sceneVoice) scene.voice = sceneVoice;
    if (s.background !== undefined) {
      const b = background(s.background, [...at, 'background']);
      if (b) scene.background = b;
    }
    const voiceGiven = s.voice !== undefined || m.voice !== undefined;
    if (input.type === 'script' && !sceneVoice && !videoVoice && !voiceGiven) {
      issues.push({
        code: 'E_NO_VOICE',
        message: `${formatPath(at)} has a script but no voice`,
        hint: 'set `voice:` on the video or the scene, set defaults.voice in heygen.config.ts, or give the avatar alias a `voice`',
        path: [...at, 'script'],
        at: 'key',
      });
    }
    return scene;
  });

  const seenLanguages = new Map<string, number>();
  const translations = (m.translations ?? []).flatMap((t: TranslationInput, i): TranslationSpec[] => {
    const spec: TranslationSpec =
      typeof t === 'string'
        ? { language: t, mode: 'speed', captions: caption !== 'none', audioOnly: false }
        : { language: t.language, mode: t.mode ?? 'speed', captions: t.captions ?? caption !== 'none', audioOnly: t.audio_only ?? false };
    const first = seenLanguages.get(spec.language);
    if (first !== undefined) {
      issues.push({
        code: 'E_SCHEMA',
        message: `translations[${i}] repeats ${quoteList([spec.language])} (already translations[${first}])`,
        path: ['translations', i],
      });
      return [];
    }
    seenLanguages.set(spec.language, i);
    return [spec];
  });

  let output = path.posix.join(outDirRel(ctx.config), `${id}.mp4`);
  if (m.output !== undefined) {
    const base = ctx.fromDefaults(['output']) ? root : manifestDir;
    const r = projectPath(root, base, m.output);
    if (r.ok && !/\.mp4$/i.test(r.rel)) {
      issues.push({
        code: 'E_OUTPUT',
        message: `output "${m.output}" must be an .mp4 file`,
        hint: 'name the video file, e.g. out/name.mp4 (drafts, captions and translations are written next to it)',
        path: ['output'],
      });
    } else if (r.ok) output = r.rel;
    else
      issues.push({
        code: r.reason === 'scheme' ? 'E_SCHEMA' : 'E_PATH_ESCAPE',
        message: r.reason === 'scheme' ? `output must be a local path (got "${m.output}")` : `output "${m.output}" is outside the project`,
        hint: 'write the video somewhere inside the project folder, e.g. out/name.mp4',
        path: ['output'],
      });
  }

  // Keys in a fixed order, optional ones only when present, so specs compare and serialize stably.
  const spec: VideoSpec = {
    id,
    source: ctx.source,
    ...(m.title !== undefined ? { title: m.title } : {}),
    ...(m.description !== undefined ? { description: m.description } : {}),
    tags: [...(m.tags ?? [])],
    output,
    dimension: resolveDimension(m.dimension),
    caption,
    ...(videoAvatar.spec ? { avatar: videoAvatar.spec } : {}),
    ...(videoVoice ? { voice: videoVoice } : {}),
    ...(videoBackground ? { background: videoBackground } : {}),
    scenes,
    translations,
  };
  return { spec, pending, issues };
}

/** The config's outDir as a project-relative POSIX path. */
export function outDirRel(config: ResolvedConfig): string {
  const rel = path.isAbsolute(config.outDir) ? path.relative(config.root, config.outDir) : config.outDir;
  return rel.split(path.sep).join('/').replace(/\/+$/, '') || '.';
}
