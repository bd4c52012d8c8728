/**
 * The real avatar on drafts: when the cached catalog (.heygen/catalog.json) has a look's
 * `preview_image_url`, the image is downloaded once into `.heygen/catalog/`, named by the sha256 of
 * its bytes (HeyGen's preview URLs change when re-signed; the same picture is kept once), and the
 * draft shows it in the avatar's place. Drafts never fail for it: no catalog, no network or a bad
 * image leaves the labelled placeholder.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { writeFileAtomic } from '../../fsx/atomic.js';
import { effectiveScene, type VideoSpec } from '../../model/spec.js';
import { readCatalogCache } from '../heygen/catalog.js';
import { sniffImage, type SniffedFormat } from '../../compose/image-sniff.js';

/** The folder of downloaded preview images, relative to the project root. */
export const IMAGES_DIR = join('.heygen', 'catalog');
const INDEX = 'index.json';
/** A preview is a picture, not a video: refuse anything larger. */
const MAX_BYTES = 20 * 1024 * 1024;
const TIMEOUT_MS = 10_000;
const EXT: Record<SniffedFormat, string> = { PNG: 'png', JPEG: 'jpg', WebP: 'webp', GIF: 'gif' };

function imageExt(bytes: Buffer): string | undefined {
  // A header ffmpeg can read (image-sniff.ts): a cut-short or mislabelled download leaves the placeholder.
  const s = sniffImage(bytes, '');
  return 'ok' in s && s.ok ? EXT[s.format] : undefined;
}

async function readIndex(dir: string): Promise<Record<string, string>> {
  try {
    const data: unknown = JSON.parse(await readFile(join(dir, INDEX), 'utf8'));
    return typeof data === 'object' && data !== null ? (data as Record<string, string>) : {};
  } catch {
    return {};
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  );
}

/**
 * Downloads `url` into `dir` under its content's name; the file name, or undefined when it is not an image.
 * As renders are downloaded (through a proxy when one is set, following a CDN's redirects), within TIMEOUT_MS.
 */
async function download(url: string, dir: string, signal?: AbortSignal): Promise<string | undefined> {
  const { getFollowingRedirects } = await import('../../providers/heygen/download.js');
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const res = await getFollowingRedirects(url, {}, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, timeoutMs: TIMEOUT_MS });
  const bytes = res.statusCode === 200 ? await readUpTo(res.body, MAX_BYTES) : undefined;
  if (!bytes) {
    res.body.destroy();
    return undefined;
  }
  const ext = imageExt(bytes);
  if (!ext) return undefined;
  const name = `${createHash('sha256').update(bytes).digest('hex')}.${ext}`;
  if (!(await exists(join(dir, name)))) await writeFileAtomic(join(dir, name), bytes);
  return name;
}

/** The whole body, or undefined (read no further) once it passes `max` bytes. */
async function readUpTo(body: Readable, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Avatar ids the specs' scenes show; a local photo is its own picture (its id is its project-relative path). */
function avatarIds(specs: readonly VideoSpec[], photos: Map<string, string>, root: string): Set<string> {
  const ids = new Set<string>();
  for (const spec of specs) spec.scenes.forEach((_, i) => {
    const a = effectiveScene(spec, i).avatar;
    if (a?.photo?.kind === 'local') photos.set(a.id, join(root, a.photo.path));
    else if (a) ids.add(a.id);
  });
  return ids;
}

/**
 * Avatar id -> absolute path of its picture: a photo avatar's own file, else the look's preview image when the
 * cached catalog has one. A photo given by URL keeps the placeholder (drafts fetch nothing but previews).
 */
export async function avatarImages(root: string, specs: readonly VideoSpec[], signal?: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = avatarIds(specs, out, root);
  const catalog = await readCatalogCache(root);
  if (!catalog) return out;
  const looks = catalog.looks.filter((l) => wanted.has(l.id) && l.preview_image_url);
  if (looks.length === 0) return out;
  const dir = join(root, IMAGES_DIR);
  const index = await readIndex(dir);
  let changed = false;
  for (const look of looks) {
    const url = look.preview_image_url as string;
    let name = index[url];
    if (!name || !(await exists(join(dir, name)))) {
      try {
        await mkdir(dir, { recursive: true });
        name = await download(url, dir, signal);
      } catch {
        name = undefined; // offline or refused: the placeholder stays
      }
      if (!name) continue;
      index[url] = name;
      changed = true;
    }
    out.set(look.id, join(dir, name));
  }
  if (changed) await writeFileAtomic(join(dir, INDEX), `${JSON.stringify(index, null, 2)}\n`).catch(() => undefined);
  return out;
}
