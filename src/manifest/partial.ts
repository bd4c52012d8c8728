/**
 * The resolver's checks that stand on their own (aliases, local files and the paths to them, pause
 * tags, text styles), run on the parts of a manifest the schema found nothing wrong with, so that a
 * schema error does not hide them until it is fixed (as tsc reports every error at once).
 *
 * The resolver assumes schema-valid input: only subtrees with no schema error at, above or under
 * them are given to it. An unknown key is the one exception: it makes only itself bad, since the
 * resolver reads keys by name and never sees it. Checks that weigh the whole document (E_NO_VOICE,
 * templates, translations, engines, overlay timing) wait until the schema problems are fixed: on a
 * broken document they would only echo the schema errors.
 */

import type { ErrorObject } from 'ajv';
import type { Dimension } from '../model/spec.js';
import { parsePointer, type DataPath, type Issue } from './issue.js';
import { isPlainMap } from './merge.js';
import { startResolving, type PendingAsset, type ResolveContext, type Resolving } from './resolve/context.js';
import { resolveDimension } from './resolve/dimension.js';
import { avatar, background, voice } from './resolve/media.js';
import { scene } from './resolve/scenes.js';
import { textOverlays } from './resolve/text.js';
import type { ManifestInput, SceneInputYaml } from './types.js';

/** Where the schema found problems, as "/"-joined data paths. */
class BadPaths {
  private readonly bad: string[] = [];
  /** Unknown keys: bad themselves, but the map they are in is read as if they were not there. */
  private readonly unknown: string[] = [];

  constructor(errors: readonly ErrorObject[]) {
    for (const e of errors) {
      const path = parsePointer(e.instancePath);
      const key = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty?: unknown }).additionalProperty : undefined;
      if (typeof key === 'string') this.unknown.push(join([...path, key]));
      else this.bad.push(join(path));
    }
  }

  /** Whether no schema problem is at `path`, above it, or under it (other than an unknown key under it). */
  clean(path: DataPath): boolean {
    const p = join(path);
    const above = (b: string): boolean => b === '' || b === p || p.startsWith(`${b}/`);
    return !this.bad.some((b) => above(b) || b.startsWith(`${p}/`)) && !this.unknown.some(above);
  }
}

function join(path: readonly (string | number)[]): string {
  return path.map(String).join('/');
}

/** Problems and local files of the schema-valid parts of a manifest that has schema errors. */
export function resolveValidParts(m: ManifestInput, errors: readonly ErrorObject[], ctx: ResolveContext): { issues: Issue[]; pending: PendingAsset[] } {
  const r = startResolving(ctx);
  const bad = new BadPaths(errors);
  if (!bad.clean([])) return { issues: [], pending: [] };
  const ok = (key: keyof ManifestInput): boolean => m[key] !== undefined && bad.clean([key]);
  const videoAvatar = ok('avatar') ? avatar(r, m.avatar, ['avatar']) : {};
  const videoVoice = ok('voice') ? voice(r, m.voice, ['voice']) : undefined;
  // A background the defaults bring does not apply to a transparent video (as resolve/index.ts).
  if (ok('background') && !(r.fromDefaults(['background']) && m.transparent !== undefined)) background(r, m.background!, ['background']);
  const dimension = m.prompt === undefined && (m.dimension === undefined || bad.clean(['dimension'])) ? resolveDimension(m.dimension) : undefined;
  if (ok('text') && dimension) textOverlays(r, m.text, ['text'], dimension);
  if (Array.isArray(m.scenes) && m.prompt === undefined) {
    // Whether a scene has a voice is a question for the whole document: E_NO_VOICE waits (see above).
    const video = { voice: videoVoice ?? videoAvatar.voice, avatarFailed: true };
    m.scenes.forEach((s, i) => {
      if (isPlainMap(s) && bad.clean(['scenes', i])) validScene(r, m, s, i, video, dimension);
    });
  }
  return { issues: r.issues, pending: r.pending };
}

/** One schema-valid scene through the resolver; its text overlays only when the video's frame is known. */
function validScene(r: Resolving, m: ManifestInput, s: SceneInputYaml, i: number, video: { voice: ReturnType<typeof voice>; avatarFailed: boolean }, dim: Dimension | undefined): void {
  if (dim) {
    scene(r, m, s, i, video, dim);
    return;
  }
  const { text: _text, ...rest } = s;
  scene(r, m, rest, i, video, { width: 0, height: 0 });
}
