/** The report for a missing asset, with a did-you-mean from its folder. */

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from './issue.js';
import type { PendingAsset } from './resolve/index.js';
import { didYouMean } from '../util/suggest.js';

/**
 * The E_ASSET_MISSING problem for a file a manifest names but that does not exist, with a did-you-mean from its
 * folder.
 */
export async function missingAssetIssue(root: string, p: PendingAsset): Promise<Issue> {
  const dir = path.posix.dirname(p.file);
  const base = path.posix.basename(p.file);
  const names = await readdir(path.join(root, dir)).catch(() => [] as string[]);
  const guess = didYouMean(base, names);
  return {
    code: 'E_ASSET_MISSING',
    message: `${p.what} "${p.value}" not found (looked for ${p.file})${guess ? `; did you mean "${guess}"?` : ''}`,
    hint:
      p.what === 'reviewed SRT'
        ? 'set review: true and run build: a HeyGen proofread writes this file to review; commit it, then set review: approved'
        : 'paths in a manifest are relative to the manifest file itself',
    path: p.path,
  };
}
