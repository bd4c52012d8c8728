/**
 * Verdicts on a project's input files (a picture, a video, an audio file: can ffmpeg read it?), kept for
 * the life of the process by what identifies the file's bytes (its planned sha256, or a URL copy's
 * stat) and path: a project of thousands of videos on a few backgrounds checks each file once per
 * build, and a watch session once per content. Used by image-check.ts and media-check.ts.
 */

/** Why a file cannot be used (undefined: it can), memoised by content; bounded so a long watch session does not keep every edit. */
export class Verdicts {
  private readonly byKey = new Map<string, Promise<string | undefined>>();

  constructor(private readonly max = 1000) {}

  /**
   * The verdict on `file`, from `ask` the first time its `contentKey` (what identifies its bytes: the
   * digest the plan read) and path are seen. Without a key, `ask` is called every time.
   */
  why(file: string, contentKey: string | undefined, ask: () => Promise<string | undefined>): Promise<string | undefined> {
    const key = contentKey === undefined ? undefined : `${contentKey}\0${file}`;
    const known = key === undefined ? undefined : this.byKey.get(key);
    if (known !== undefined) return known;
    const verdict = ask();
    if (key !== undefined) this.remember(key, verdict);
    return verdict;
  }

  private remember(key: string, verdict: Promise<string | undefined>): void {
    if (this.byKey.size >= this.max) this.byKey.clear();
    this.byKey.set(key, verdict);
    // A failed check (aborted, the file vanished) says nothing about the bytes: ask again next time.
    verdict.catch(() => this.byKey.delete(key));
  }
}
