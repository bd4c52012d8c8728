/**
 * Translations of a video with text overlays. HeyGen translates the composition *without* overlays
 * (the "base", composed here from the clips already rendered, at no cost), so an overlay edit never
 * pays for a translation again; each language then gets its own text layer, laid over the translated
 * video with the base's timing. The translated video itself is kept under `.heygen/translations/`,
 * so a changed layer is drawn again without downloading or paying for anything.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LayerFacts } from '../../compose/index.js';
import { composer } from './composer.js';
import { commitTemp, mkdirp, writeFileAtomic } from '../../fsx/atomic.js';
import { sha256File } from '../../fsx/digest.js';
import { baseKey } from '../../hash/index.js';
import type { FileRecord } from '../../model/lock.js';
import type { VideoSpec } from '../../model/spec.js';
import { composeClips, readyClips } from './composed.js';
import type { RunContext } from './context.js';

/** Base compositions (the video without overlays a translation is made from): `<base key>.mp4` and `.json`. */
export const BASE_DIR = join('.heygen', 'base');
/** Translated videos as HeyGen made them, before their text layer: `<translation key>.mp4`. */
export const RAW_DIR = join('.heygen', 'translations');

interface Base {
  file: FileRecord;
  facts: LayerFacts;
}

/** The composition without overlays, and the timing its layers are placed by; composed once per base key. */
export async function baseComposition(ctx: RunContext, spec: VideoSpec): Promise<Base> {
  const rel = join(BASE_DIR, `${baseKey(spec)}.mp4`);
  const abs = resolve(ctx.config.root, rel);
  const factsFile = abs.replace(/\.mp4$/, '.json');
  if (!existsSync(abs) || !existsSync(factsFile)) {
    const clips = await readyClips(ctx, spec);
    const r = await composeClips(ctx, spec, clips, abs, false);
    if (!r.layer) throw new Error(`no layer facts for ${spec.id}`); // compose gives them for every video with overlays
    await writeFileAtomic(factsFile, JSON.stringify(r.layer));
  }
  const facts = JSON.parse(await readFile(factsFile, 'utf8')) as LayerFacts;
  const d = await sha256File(abs);
  return { file: { path: rel.split('\\').join('/'), sha256: d.sha256, size: d.size }, facts };
}

/** Where the translated video of `key` is kept before its layer. */
export function rawTranslation(key: string): string {
  return join(RAW_DIR, `${key}.mp4`).split('\\').join('/');
}

/** Lays `language`'s text over the translated video `raw` into `output` (project-relative), atomically. */
export async function layTranslationText(ctx: RunContext, spec: VideoSpec, language: string, raw: string, output: string): Promise<FileRecord> {
  const { facts } = await baseComposition(ctx, spec);
  // The translated video as one clip, its overlays at the base's absolute times.
  const one: VideoSpec = {
    ...spec,
    caption: 'none',
    scenes: [{ input: { type: 'silence', seconds: 1 } }],
    translations: [],
    text: (await composer()).absoluteOverlays(spec, facts),
  };
  const outAbs = resolve(ctx.config.root, output);
  // Composed aside, then committed (fsync, rename): the translation's own caption sidecar is left alone.
  const tmp = join(ctx.config.root, '.heygen', 'tmp', `layer-${randomBytes(6).toString('hex')}.mp4`);
  const { compose } = await composer();
  await compose(one, [{ kind: 'scene', path: resolve(ctx.config.root, raw) }], {
    root: ctx.config.root,
    outFile: tmp,
    textLanguage: language,
    fps: facts.fps,
    signal: ctx.soft,
  });
  await mkdirp(dirname(outAbs));
  await commitTemp(tmp, outAbs);
  const d = await sha256File(outAbs);
  return { path: output, sha256: d.sha256, size: d.size };
}
