/** Fetches a finished render (and its captions) into place, and records the files in the lockfile. */
import { resolve } from 'node:path';
import { HeygenBuildError } from '../../errors.js';
import type { FileRecord } from '../../model/lock.js';
import { downloadToFile } from '../../providers/heygen/index.js';
import type { RunContext } from './context.js';

/**
 * Downloads a finished render to `output` (project-relative; refreshing an expired URL), reporting
 * progress; throws E_HEYGEN_NO_URL when HeyGen gives none. `first`: a URL already in hand (no GET for
 * it); `announce: false` for files that are not outputs (scene clips), which get no `downloaded` event.
 */
export async function fetchFile(
  ctx: RunContext,
  id: string,
  output: string,
  freshUrl: () => Promise<string | undefined>,
  opts: { first?: string; announce?: boolean } = {},
): Promise<FileRecord> {
  const url = async (): Promise<string> => {
    const u = await freshUrl();
    if (!u) throw new HeygenBuildError('E_HEYGEN_NO_URL', `${id}: HeyGen reports it finished but gives no download URL`);
    return u;
  };
  ctx.emit({ type: 'status', id, state: 'downloading', detail: output });
  const r = await downloadToFile(opts.first ?? (await url()), resolve(ctx.config.root, output), { refreshUrl: url, signal: ctx.soft });
  if (opts.announce !== false) ctx.emit({ type: 'downloaded', id, path: output, size: r.size, sha256: r.sha256 });
  return { path: output, sha256: r.sha256, size: r.size };
}
