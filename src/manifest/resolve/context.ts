/**
 * What resolving one manifest shares: the config, where the manifest is, and the two things it
 * collects — problems, and the local files whose digests the finished spec will need.
 */

import path from 'node:path';
import type { ResolvedConfig } from '../../model/config.js';
import type { TranslationLanguages } from '../../model/languages.js';
import type { PendingRef, SpecPosition, UnresolvedSpec } from '../../model/spec.js';
import { isUrl, projectPath } from '../assets.js';
import { formatPath, type DataPath, type Issue } from '../issue.js';

/** A local file the manifest names: digested after resolution, once per distinct file. */
export interface PendingAsset {
  /** Project-relative POSIX path. */
  readonly file: string;
  /** Where the manifest names it. */
  readonly path: DataPath;
  readonly what: string;
  /** As written in the manifest. */
  readonly value: string;
}

/** What resolving one manifest needs from the run: the config, the manifest's path and its default id. */
export interface ResolveContext {
  config: ResolvedConfig;
  /** Project-relative POSIX path of the manifest. */
  source: string;
  /** The id from the file's path, used when the manifest has no `id`. */
  defaultId: string;
  /** Whether the value at a path came from config defaults (its paths are then root-relative). */
  fromDefaults: (p: DataPath) => boolean;
  /** Where a path is written in the manifest (1-based), for specs that keep positions (templates, a dub's source). */
  locate?: (p: DataPath, at?: 'key' | 'value') => { line: number; column: number };
  /** HeyGen's translation languages, to check `translations:` offline; unchecked when absent. */
  languages?: TranslationLanguages;
  /** Where config defaults are written (the config's `defaults:`), for positions kept in the spec. */
  defaultsAt?: { file: string; line: number; column: number };
}

/** The result of resolution: a spec whose local assets still need their digests (see finish.ts). */
export interface Resolution {
  spec: UnresolvedSpec;
  pending: PendingAsset[];
  issues: Issue[];
}

/** The context plus the collectors, passed to each part of resolution. */
export interface Resolving extends ResolveContext {
  readonly issues: Issue[];
  readonly pending: PendingAsset[];
  /** Absolute folder of the manifest: its relative paths start there. */
  readonly manifestDir: string;
}

/** Starts resolving a manifest with empty collectors for problems and pending local files. */
export function startResolving(ctx: ResolveContext): Resolving {
  // Member by member, not `{ ...ctx }`: a spread of an object built elsewhere took ~4 µs per manifest of a cold load.
  const r: Resolving = {
    config: ctx.config,
    source: ctx.source,
    defaultId: ctx.defaultId,
    fromDefaults: ctx.fromDefaults,
    issues: [],
    pending: [],
    manifestDir: manifestDir(ctx.config.root, ctx.source),
  };
  if (ctx.locate !== undefined) r.locate = ctx.locate;
  if (ctx.languages !== undefined) r.languages = ctx.languages;
  if (ctx.defaultsAt !== undefined) r.defaultsAt = ctx.defaultsAt;
  return r;
}

/** Absolute folders by root and project-relative folder: 10,000 manifests sit in a few dozen folders. */
const folders = new Map<string, string>();

function manifestDir(root: string, source: string): string {
  const slash = source.lastIndexOf('/');
  // A source with `..` or `.` parts is normalised by path.join: only plain folders are remembered.
  if (slash < 0 || /(^|\/)\.\.?(\/|$)/.test(source)) return path.dirname(path.join(root, source));
  const id = `${root}\0${source.slice(0, slash)}`;
  let dir = folders.get(id);
  if (dir === undefined) {
    dir = path.dirname(path.join(root, source));
    if (folders.size < 10_000) folders.set(id, dir);
  }
  return dir;
}

/** A URL as is, or a local path checked to stay in the project and recorded as pending. */
export function assetRef(r: Resolving, value: string, at: DataPath, what: string): PendingRef | undefined {
  if (isUrl(value)) return { kind: 'url', url: value };
  const root = r.config.root;
  const res = projectPath(root, r.fromDefaults(at) ? root : r.manifestDir, value);
  if (!res.ok) {
    r.issues.push(
      res.reason === 'scheme'
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
  r.pending.push({ file: res.rel, path: at, what, value });
  return { kind: 'local', path: res.rel };
}

/**
 * Where `p` is written, for a spec to keep (its checks report there after loading): at the config's
 * `defaults:` when they bring it, else in the manifest; undefined when this resolution has no positions.
 */
export function writtenAt(r: Resolving, p: DataPath, side: 'key' | 'value' = 'value'): SpecPosition | undefined {
  if (r.defaultsAt && r.fromDefaults(p)) return { ...r.defaultsAt };
  const pos = r.locate?.(p, side);
  return pos && { line: pos.line, column: pos.column };
}
