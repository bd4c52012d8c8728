/**
 * The length of each dubbed source, probed locally before planning so the plan can price each
 * language (HeyGen charges translations per second of the source). A URL source is not fetched to
 * plan: its length stays unknown until HeyGen has it.
 */
import { resolve } from 'node:path';
import { dubSourceKey } from '../hash/index.js';
import type { VideoSpec } from '../model/spec.js';
import { readDurations, writeDurations } from './probe-cache.js';

/** Probes, by content digest: the same bytes are probed once per process. */
const probed = new Map<string, Promise<number | undefined>>();

/**
 * Seconds of every local dub source among `specs`, by source key; a source ffprobe cannot read is
 * left out. Lengths measured before come from `.heygen/cache/durations.json` (probe-cache.ts).
 */
export async function probeDubSources(root: string, specs: readonly VideoSpec[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const dubs = specs.filter((s) => s.dub?.video.kind === 'local');
  if (dubs.length === 0) return out;
  const known = await readDurations(root);
  let learned = false;
  await Promise.all(
    dubs.map(async (spec) => {
      const video = spec.dub!.video;
      if (video.kind !== 'local') return;
      const cached = known.get(video.sha256);
      if (cached !== undefined) {
        out.set(dubSourceKey(video), cached);
        return;
      }
      let p = probed.get(video.sha256);
      if (!p) {
        // The compositor's modules load only to measure a source not measured before.
        const { findFfmpeg, probeSeconds } = await import('../compose/index.js');
        p = probed.get(video.sha256) ?? findFfmpeg().then(
          (tools) => probeSeconds(resolve(root, video.path), tools),
          () => undefined,
        ).catch(() => undefined);
        probed.set(video.sha256, p);
      }
      const seconds = await p;
      if (seconds === undefined) return;
      out.set(dubSourceKey(video), seconds);
      known.set(video.sha256, seconds);
      learned = true;
    }),
  );
  if (learned) await writeDurations(root, known);
  return out;
}
