/**
 * Which project files a video uploads to HeyGen (its scene clips' files, a template's variable files, a
 * dub's source), and where the manifest uses each: what the build checks before it sends anything of the
 * video (upload-check.ts), and what `plan` warns about (upload-facts.ts). Pure and light: `plan` loads it
 * without the build's modules.
 */
import type { LocalAsset, VideoSpec } from '../../model/spec.js';
import type { TemplateDefinition } from '../../model/template.js';
import type { SceneClip } from '../../model/clip.js';
import type { ScenePlan } from '../../plan/scenes.js';

/** A project file a scene clip uploads, and what it is to the scene. */
export interface ClipFile {
  /**
   * `image`, `video`: a template's image or video variable (a template video's files are checked as a clip's
   * are); `video` is also a dub's source, which HeyGen holds to the same kind.
   */
  role: 'photo' | 'background' | 'audio' | 'image' | 'video';
  ref: LocalAsset;
}

/** A file to check, and where the manifest uses it (`videos/a.yaml, scene 2's avatar photo`). */
export interface UploadToCheck {
  file: ClipFile;
  place: string;
}

/** What HeyGen holds a file to, by its role: a photo, a background and an image variable are pictures. */
export type UploadKind = 'image' | 'audio' | 'video';

/** The kind of file `role` uploads (see UploadKind). */
export function kindOf(role: ClipFile['role']): UploadKind {
  return role === 'audio' || role === 'video' ? role : 'image';
}

const PLACES: Record<ClipFile['role'], string> = { photo: 'avatar photo', background: 'background', audio: 'audio', image: 'image', video: 'video' };

/** The project files `clip` uploads: the photo HeyGen animates, the image background it composites, the audio the avatar speaks. */
export function clipFiles(clip: SceneClip): ClipFile[] {
  if (clip.kind !== 'avatar') return [];
  const out: ClipFile[] = [];
  if (clip.photo?.kind === 'local') out.push({ role: 'photo', ref: clip.photo });
  if (clip.background?.type === 'image' && clip.background.source.kind === 'local') out.push({ role: 'background', ref: clip.background.source });
  if (clip.speech.type === 'audio' && clip.speech.source.kind === 'local') out.push({ role: 'audio', ref: clip.speech.source });
  return out;
}

/** The project files the clips of `scenes` upload, in scene order, each with where `spec` uses it. */
export function uploadsOf(spec: VideoSpec, scenes: readonly Pick<ScenePlan, 'index' | 'clip'>[]): UploadToCheck[] {
  const out: UploadToCheck[] = [];
  for (const s of scenes) {
    if (!s.clip) continue;
    for (const file of clipFiles(s.clip)) out.push({ file, place: `${spec.source}, scene ${s.index + 1}'s ${PLACES[file.role]}` });
  }
  return out;
}

/**
 * The local files a template video's variables upload that HeyGen holds to a kind: an `image` variable's
 * picture, an `audio` variable's sound and a `video` variable's video (its definition says which). Other
 * variables (text, ids) upload nothing.
 */
export function templateUploadsOf(spec: VideoSpec, def: TemplateDefinition | undefined): UploadToCheck[] {
  const out: UploadToCheck[] = [];
  for (const [name, f] of Object.entries(spec.template?.files ?? {})) {
    const type = def?.variables[name];
    if ((type !== 'image' && type !== 'audio' && type !== 'video') || f.sha256 === undefined) continue;
    const ref: LocalAsset = { kind: 'local', path: f.path, sha256: f.sha256, size: f.size ?? 0 };
    out.push({ file: { role: type, ref }, place: `${spec.source}, template variable "${name}"` });
  }
  return out;
}

/**
 * A dub's local source video, placed at its `source:` (`videos/webinar.yaml:1:9: source`): uploaded once for
 * every language, and held to what HeyGen takes as a video as a template's `video` variable is. None for a URL.
 */
export function dubUploadsOf(spec: VideoSpec): UploadToCheck[] {
  const dub = spec.dub;
  if (dub?.video.kind !== 'local') return [];
  const at = dub.at ? `${dub.at.file ?? spec.source}:${dub.at.line}:${dub.at.column}` : spec.source;
  return [{ file: { role: 'video', ref: dub.video }, place: `${at}: source` }];
}
