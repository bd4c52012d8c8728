/**
 * The bytes a local composition read are the bytes the plan hashed. The compositor (v3 composed videos,
 * voiceovers, translation bases, drafts) reads project files with ffmpeg long after the plan read them;
 * an editor's save or a `git checkout` in between would give an output made from other bytes, recorded
 * under the planned key (lockfile, draft cache, `.heygen/base/`). Restoring the old bytes would then plan
 * it as unchanged, and a stale video would ship. So once ffmpeg has read its inputs, and before the output
 * is placed, every project file it read is checked against its planned sha256: a mismatch is
 * E_ASSET_CHANGED and nothing is kept.
 *
 * Checked after the compose, not before: what matters is what ffmpeg read, and bytes equal to the planned
 * ones at the end mean the file held them throughout, unless it changed and changed back within the
 * compose (an A-B-A swap, which this misses, like any check by content).
 *
 * Cheap when nothing changed: a file's digest is remembered for the build by its stat identity (size,
 * mtime, ctime, inode), taken before and after hashing. A 20 MB background shared by 200 videos is hashed
 * once; the other 199 checks are one `stat` each. Any write moves ctime (which `cp -p`, rsync and tar
 * cannot set back), and a file replaced by rename has another inode. A file changed so recently that a
 * second write could fall in the same timestamp tick is hashed again every time (git's "racily clean").
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HeygenBuildError } from '../errors.js';
import { sha256File } from '../fsx/digest.js';

/** A project file as the plan read it: its project-relative path and the sha256 of its bytes. */
export interface PlannedFile {
  readonly path: string;
  readonly sha256: string;
}

/** Below this age (ms since the file's last change), a digest is not remembered: a write in the same timestamp tick would not show. */
export const RACY_MS = 2000;

interface Memo {
  /** size:mtime:ctime:ino, in nanoseconds: equal means not written since. */
  identity: string;
  sha256: Promise<string>;
}

/** What the checker needs besides the project root; the defaults are the real clock and sha256. */
export interface AssetCheckOptions {
  now?: () => number;
  hash?: (abs: string) => Promise<string>;
}

/** Checks files against their planned digests, remembering each file's digest for the build by its stat identity. */
export class AssetCheck {
  private readonly memo = new Map<string, Memo>();
  private readonly now: () => number;
  private readonly hash: (abs: string) => Promise<string>;

  constructor(
    private readonly root: string,
    opts: AssetCheckOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.hash = opts.hash ?? (async (abs) => (await sha256File(abs)).sha256);
  }

  /**
   * Throws E_ASSET_CHANGED naming the first of `files` whose bytes are no longer those the plan read
   * (or that is gone). `what`: the output that is therefore not kept, for the message.
   */
  async verify(files: readonly PlannedFile[], what: string): Promise<void> {
    for (const file of files) {
      const sha256 = await this.digest(resolve(this.root, file.path));
      if (sha256 !== file.sha256) {
        const now = sha256 === undefined ? 'is gone or unreadable' : 'no longer has the bytes the plan read';
        throw new HeygenBuildError('E_ASSET_CHANGED', `${file.path} changed during the build: it ${now}, so ${what} made from it is not kept (nothing is recorded for the planned content)`, {
          hint: `once ${file.path} is as you want it, run the same command again: the next plan reads its bytes, and what was already rendered is reused, not paid again`,
        });
      }
    }
  }

  /** The file's sha256 now, or undefined when it cannot be read. */
  private async digest(abs: string): Promise<string | undefined> {
    const checkedAt = this.now();
    const before = await identity(abs);
    if (before === undefined) return undefined;
    const known = this.memo.get(abs);
    if (known && known.identity === before.id) return known.sha256.catch(() => undefined);
    const entry: Memo = { identity: before.id, sha256: this.hash(abs) };
    this.memo.set(abs, entry);
    let sha256: string;
    try {
      sha256 = await entry.sha256;
    } catch {
      this.forget(abs, entry);
      return undefined;
    }
    const after = await identity(abs);
    // Written while hashed, or so recently that a write in the same tick would keep the identity.
    if (after?.id !== before.id || checkedAt - before.changedMs < RACY_MS) this.forget(abs, entry);
    return sha256;
  }

  private forget(abs: string, entry: Memo): void {
    if (this.memo.get(abs) === entry) this.memo.delete(abs);
  }
}

async function identity(abs: string): Promise<{ id: string; changedMs: number } | undefined> {
  try {
    const s = await stat(abs, { bigint: true });
    if (!s.isFile()) return undefined;
    const changedMs = Number((s.mtimeNs > s.ctimeNs ? s.mtimeNs : s.ctimeNs) / 1_000_000n);
    return { id: `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`, changedMs };
  } catch {
    return undefined;
  }
}
