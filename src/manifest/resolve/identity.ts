/** The video's id (written or from the file name) and where its output goes. */

import path from 'node:path';
import type { ResolvedConfig } from '../../model/config.js';
import { projectPath } from '../assets.js';
import type { ManifestInput } from '../types.js';
import type { Resolving } from './context.js';

/** What a video id may look like: it is used in file names and plan output, so no spaces or leading punctuation. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** An empty, `.` or `..` segment of a `/`-separated id (one test, no array of segments per manifest). */
const BAD_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** The video's id, from `id:` or derived from the manifest's path; a derived id that is not valid is reported. */
export function videoId(r: Resolving, m: ManifestInput): string {
  const id = m.id ?? r.defaultId;
  if (m.id === undefined && !ID_PATTERN.test(id)) {
    r.issues.push({
      code: 'E_SCHEMA',
      message: `the file name gives the id "${id}", which is not a valid id`,
      hint: 'rename the file, or set `id:` (letters, digits, ".", "_", "/", "-")',
      path: [],
    });
  }
  // The id becomes a path (`<outDir>/<id>.mp4`): `.`/`..`/empty segments could leave outDir.
  if (BAD_SEGMENT.test(id)) {
    r.issues.push({
      code: 'E_SCHEMA',
      message: `id "${id}" must not have empty, "." or ".." path segments`,
      path: m.id === undefined ? [] : ['id'],
    });
  }
  return id;
}

/** The config's outDir as a project-relative POSIX path. */
export function outDirRel(config: ResolvedConfig): string {
  const rel = path.isAbsolute(config.outDir) ? path.relative(config.root, config.outDir) : config.outDir;
  return rel.split(path.sep).join('/').replace(/\/+$/, '') || '.';
}

/**
 * Where the video is written: `<outDir>/<id>.mp4` unless `output:` names an .mp4 inside the project; any other
 * `output:` is reported.
 */
export function outputPath(r: Resolving, m: ManifestInput, id: string): string {
  // A transparent video is a WebM (VP9 with alpha): MP4 has no alpha channel.
  const transparent = m.transparent === true;
  if (m.output === undefined) return defaultOutput(r.config, id, transparent);
  const root = r.config.root;
  const res = projectPath(root, r.fromDefaults(['output']) ? root : r.manifestDir, m.output);
  const webm = res.ok && /\.webm$/i.test(res.rel);
  if (res.ok && (transparent ? webm : /\.(mp4|mp3|wav|m4a)$/i.test(res.rel))) return res.rel;
  if (res.ok && (transparent || webm)) {
    r.issues.push({
      code: 'E_OUTPUT',
      message: transparent
        ? `output "${m.output}" must be a .webm file: a transparent video is a WebM with an alpha channel`
        : `output "${m.output}" is a .webm, which only a transparent video is (\`transparent: true\`)`,
      hint: transparent ? 'name the video e.g. out/name.webm, or remove `transparent: true`' : 'name the video e.g. out/name.mp4, or add `transparent: true` (with an avatar and no background)',
      path: ['output'],
    });
  } else if (res.ok) {
    r.issues.push({
      code: 'E_OUTPUT',
      message: `output "${m.output}" must be an .mp4 file (or .mp3, .wav, .m4a for a voiceover)`,
      hint: 'name the video file, e.g. out/name.mp4 (drafts, captions and translations are written next to it), or out/name.mp3 for audio only',
      path: ['output'],
    });
  } else {
    r.issues.push({
      code: res.reason === 'scheme' ? 'E_SCHEMA' : 'E_PATH_ESCAPE',
      message: res.reason === 'scheme' ? `output must be a local path (got "${m.output}")` : `output "${m.output}" is outside the project`,
      hint: 'write the video somewhere inside the project folder, e.g. out/name.mp4',
      path: ['output'],
    });
  }
  return defaultOutput(r.config, id, transparent);
}

/** `<outDir>/<id>.mp4` (or `.webm`). */
function defaultOutput(config: ResolvedConfig, id: string, transparent: boolean): string {
  return path.posix.join(outDirOf(config), `${id}.${transparent ? 'webm' : 'mp4'}`);
}

/** outDirRel by root and outDir: the same for every manifest of a load (one path.relative each otherwise). */
const outDirs = new Map<string, string>();
function outDirOf(config: ResolvedConfig): string {
  const id = `${config.root}\0${config.outDir}`;
  let rel = outDirs.get(id);
  if (rel === undefined) {
    rel = outDirRel(config);
    if (outDirs.size < 100) outDirs.set(id, rel);
  }
  return rel;
}
