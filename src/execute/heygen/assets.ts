/**
 * Local assets are uploaded once per content hash and reused across videos and builds: the lockfile's
 * asset table maps sha256 -> remote asset id (per API version, whose ids differ).
 */
import { extname, resolve } from 'node:path';
import type { AssetRef, VideoSpec } from '../../model/spec.js';
import { localAssets } from '../../model/spec.js';
import type { RunContext } from './context.js';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

export function mimeOf(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Uploads what the video needs and returns a lookup for the request mappers. */
export async function ensureAssets(ctx: RunContext, spec: VideoSpec, signal?: AbortSignal): Promise<(ref: AssetRef) => string | undefined> {
  const api = ctx.client.api;
  const ids = new Map<string, string>();
  for (const asset of localAssets(spec)) {
    const known = ctx.store.lock.assets[asset.sha256];
    if (known && known.api === api) {
      ids.set(asset.sha256, known.remoteId);
      continue;
    }
    let pending = ctx.uploads.get(asset.sha256);
    if (!pending) {
      pending = (async () => {
        ctx.emit({ type: 'status', id: spec.id, state: 'uploading', detail: asset.path });
        const up = await ctx.client.uploadAsset(resolve(ctx.config.root, asset.path), mimeOf(asset.path), signal);
        await ctx.store.update((l) => {
          l.assets[asset.sha256] = { path: asset.path, size: asset.size, api, remoteId: up.id };
        });
        return up.id;
      })();
      ctx.uploads.set(asset.sha256, pending);
      // A failed upload may be retried by the next video that needs it.
      pending.catch(() => ctx.uploads.delete(asset.sha256));
    }
    ids.set(asset.sha256, await pending);
  }
  return (ref) => (ref.kind === 'local' ? ids.get(ref.sha256) : undefined);
}
