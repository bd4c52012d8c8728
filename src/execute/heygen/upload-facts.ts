/**
 * What `plan` (and a build's own plan, before it spends anything) tells of the files its scene clips,
 * template renders and dubs would upload: each one HeyGen's asset upload would not take, by the rules the
 * build holds it to before sending anything of its video (upload-check.ts, template-video.ts, dub.ts), said
 * as the build would fail that video (E_COMPOSE_ASSET, the manifest, the scene, template variable or
 * `source:`, the file and the same hint). The verdicts come with the assets' digests
 * (manifest/media-verdict.ts): a warm plan reads no file for them. A file with no verdict yet (a picture
 * too large to keep whole while hashing, a record another process made) is read once per process.
 *
 * Not the compositor's ffprobe of an audio or video file: a WAV whose header is all there is, or an MP4
 * cut short before its index, is left to the build.
 */
import { resolve } from 'node:path';
import type { AssetRecord } from '../../manifest/assets.js';
import { judgeFile, type MediaVerdict } from '../../manifest/media-verdict.js';
import type { Plan, PlanItem } from '../../model/plan.js';
import type { AssetRef, LocalAsset, VideoSpec } from '../../model/spec.js';
import { sceneClip } from '../../plan/scenes.js';
import type { RefusedUpload } from '../provider.js';
import { itemUploads, type Definitions } from './item-uploads.js';
import { notTaken } from './upload-check.js';
import { kindOf, uploadsOf, type ClipFile, type UploadKind, type UploadToCheck } from './upload-files.js';
import { recordedVerdict, whyRefused, type Why } from './upload-verdict.js';

/** Where `refusedUploads` finds the files and what is known of them. */
export interface UploadFactsOptions {
  /** The project's root: the files' paths are relative to it. */
  root: string;
  /** What loading the manifests learnt of each file, by project-relative path (none: each file is read). */
  assets?: ReadonlyMap<string, AssetRecord>;
  /** The template definitions, which say a variable's type (none: no template variable is judged). */
  templates?: Definitions;
}

/**
 * Each file the scene clips, template renders and dub languages `plan` pays for would upload that HeyGen
 * would not take, with every scene, template variable or dub source that uploads it.
 */
export async function refusedUploads(plan: Plan, specs: readonly VideoSpec[], { root, assets = new Map(), templates = new Map() }: UploadFactsOptions): Promise<RefusedUpload[]> {
  const judge = new Judge(root, assets);
  const byId = new Map(specs.map((s) => [s.id, s]));
  const refused = new Map<string, { why: Why; places: UploadToCheck[] }>();
  // A dub's languages all send its one source: it is said once for the video.
  const said = new Set<string>();
  for (const item of plan.items) {
    const spec = byId.get(item.videoId);
    if (!spec || item.restore !== undefined) continue;
    const whole = spec.template !== undefined || spec.dub !== undefined;
    if (whole && said.has(spec.id)) continue;
    const uploads = whole ? itemUploads(item, spec, templates) : clipUploads(item, spec, judge);
    if (whole && uploads.length > 0) said.add(spec.id);
    for (const upload of uploads) {
      const why = await judge.why(upload.file);
      if (!why) continue;
      const key = `${kindOf(upload.file.role)}\0${upload.file.ref.path}`;
      const seen = refused.get(key);
      if (seen) seen.places.push(upload);
      else refused.set(key, { why, places: [upload] });
    }
  }
  const out: RefusedUpload[] = [];
  for (const { why, places } of refused.values()) {
    const errors = await Promise.all(places.map((p) => refusal(p, why)));
    out.push({ details: errors.map((e) => e.message), hint: errors[0]!.hint ?? '' });
  }
  return out;
}

/** The files the clips `item` pays for would upload; none when no file of `spec` is suspect. */
function clipUploads(item: PlanItem, spec: VideoSpec, judge: Judge): UploadToCheck[] {
  if (!item.scenes || !judge.maySuspect(spec)) return [];
  return uploadsOf(spec, item.scenes.filter((s) => s.action === 'create').map((s) => ({ index: s.index, clip: sceneClip(spec, s.index) })));
}

/** The error the build fails the video with for `upload`, refused for `why`. */
async function refusal(upload: UploadToCheck, why: Why): Promise<{ message: string; hint?: string }> {
  if (!why.unreadable) return notTaken(upload, why.problem);
  // The compositor's own words for a picture it cannot read; its module loads only when one is found.
  const { unreadableImage } = await import('../../compose/image-check.js');
  return unreadableImage(why.problem, { code: 'E_COMPOSE_ASSET', path: upload.file.ref.path, place: upload.place });
}

/** Read once per process for files whose verdict the load did not have, by content and path. */
const read = new Map<string, Promise<MediaVerdict | undefined>>();

/** The verdicts on one plan's files, each worked out once. */
class Judge {
  private readonly suspects = new Map<string, boolean>();

  constructor(
    private readonly root: string,
    private readonly assets: ReadonlyMap<string, AssetRecord>,
  ) {}

  /**
   * Whether any file `spec` could upload might be refused, from the verdicts at hand alone: a video
   * over files HeyGen takes (most of them) costs a few lookups, not a scene clip per scene.
   */
  maySuspect(spec: VideoSpec): boolean {
    if (this.suspect('image', spec.avatar?.photo) || (spec.background?.type === 'image' && this.suspect('image', spec.background.source))) return true;
    return spec.scenes.some(
      (s) =>
        this.suspect('image', s.avatar?.photo) ||
        (s.background?.type === 'image' && this.suspect('image', s.background.source)) ||
        (s.input.type === 'audio' && this.suspect('audio', s.input.source)),
    );
  }

  async why(file: ClipFile): Promise<Why | undefined> {
    const kind = kindOf(file.role);
    let verdict = this.cached(file.ref);
    let why = verdict && whyRefused(kind, verdict);
    if (verdict === undefined || why === 'unread') {
      verdict = await this.readNow(file.ref);
      why = verdict && whyRefused(kind, verdict);
    }
    return why === 'unread' ? undefined : why;
  }

  private suspect(kind: UploadKind, ref: AssetRef | undefined): boolean {
    if (ref?.kind !== 'local') return false;
    const key = `${kind}\0${ref.path}`;
    let s = this.suspects.get(key);
    if (s === undefined) {
      const verdict = this.cached(ref);
      s = verdict === undefined || whyRefused(kind, verdict) !== undefined;
      this.suspects.set(key, s);
    }
    return s;
  }

  /** The verdict recorded with this very content's digest, if the load had one. */
  private cached(ref: LocalAsset): MediaVerdict | undefined {
    return recordedVerdict(this.assets, ref);
  }

  /** Reads the file (a picture whole, as the build does); undefined when it cannot be read (the build says so). */
  private readNow(ref: LocalAsset): Promise<MediaVerdict | undefined> {
    const key = `${ref.sha256}\0${resolve(this.root, ref.path)}`;
    let p = read.get(key);
    if (!p) {
      if (read.size >= 1000) read.clear();
      p = judgeFile(resolve(this.root, ref.path), ref.path, Infinity).catch(() => undefined);
      read.set(key, p);
    }
    return p;
  }
}
