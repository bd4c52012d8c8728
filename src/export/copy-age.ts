/**
 * An audio scene by URL in a composed video has no clip of its own: the export measures its length
 * from the build's copy of the URL (`.heygen/remote/`, src/execute/url-copies.ts) to know where the
 * scene falls in the video. That must be the copy the video was composed with, so the export never
 * fetches the URL again: new audio there is not in the video being exported until it is composed
 * again, and its length would cut the video at the wrong frames. When the copy is not that one (it
 * was fetched again since, for another video, or it is gone), the timing may be off, and the export
 * says so, with how much later the copy was fetched.
 */
import { statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { urlCopyPath } from '../execute/url-copy-path.js';
import type { VideoSpec } from '../model/spec.js';
import { safeUrl } from '../providers/heygen/redact.js';
import { formatElapsed } from '../reporters/units.js';

/** The copy of `url` to measure scene `index` of `spec` by, or undefined (use the estimate); `warn` hears when either may be off. */
export function composedCopy(root: string, spec: VideoSpec, index: number, url: string, output: string, warn: (message: string) => void): string | undefined {
  const file = urlCopyPath(root, url);
  const copy = statSync(file, { throwIfNoEntry: false });
  const composed = statSync(output, { throwIfNoEntry: false });
  const place = `${spec.source}, scene ${index + 1}'s audio`;
  const shown = relative(root, file).split(sep).join('/');
  const fix = `compose ${spec.id} again to bring them in step (a versioned URL does it, or build --replace ${spec.id})`;
  if (!copy) {
    warn(`${place}: no copy of ${safeUrl(url)} in .heygen/remote/, so its length is estimated: the export's timing from this scene on may not match the video; ${fix}`);
    return undefined;
  }
  if (composed && copy.mtimeMs > composed.mtimeMs) {
    const later = formatElapsed(copy.mtimeMs - composed.mtimeMs);
    warn(`${place}: the copy of ${safeUrl(url)} (${shown}) was fetched ${later} after ${spec.id} was composed and may hold other audio: the export's timing from this scene on may not match the video; ${fix}`);
  }
  return file;
}
