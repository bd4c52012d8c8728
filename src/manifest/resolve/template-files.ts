/**
 * Template variables that name local files. A template's image, video and audio variables take a URL or a
 * HeyGen asset id; a path to a file in the project is uploaded once as an asset instead (deduplicated by
 * its bytes like every asset) and its bytes go into the key. The variable's type is HeyGen's (known at
 * plan time only), so a value is read as a file by its form: no spaces, not a URL, and a media extension.
 */
import type { PendingRef, TemplateFile } from '../../model/spec.js';

const MEDIA = /^[^\s]+\.(png|jpe?g|webp|gif|mp4|mov|webm|mp3|wav|m4a)$/i;
const URL_RE = /^[a-z][a-z0-9+.-]*:/i;

/** Whether a variable's value is written as a local media file. */
export function isFileValue(value: string): boolean {
  return MEDIA.test(value) && !URL_RE.test(value);
}

/** `{files}` for the variables written as local files (nothing when none); `ref` records each as a pending asset. */
export function templateFiles(
  variables: [string, string][],
  ref: (value: string, name: string) => PendingRef | undefined,
): { files?: Record<string, TemplateFile> } {
  const files: Record<string, TemplateFile> = {};
  for (const [name, value] of variables) {
    if (!isFileValue(value)) continue;
    const r = ref(value, name);
    if (r?.kind === 'local') files[name] = { path: r.path };
  }
  return Object.keys(files).length > 0 ? { files } : {};
}
