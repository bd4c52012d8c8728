/** Everything a HeyGen build's jobs share: the client, the lockfile store, limits, pollers, signals. */
import type { LockStore } from '../../lockfile/store.js';
import type { ResolvedConfig } from '../../model/config.js';
import type { HeygenClient, RemoteTranslation, RemoteVideo } from '../../providers/heygen/index.js';
import type { EventSink } from '../events.js';
import type { Poller } from './poller.js';
import type { PollOutage } from './outage.js';
import type { Semaphore } from '../../util/limit.js';
import type { ReadyClip } from './clip-job.js';
import type { TemplateDefinition } from '../../model/template.js';
import type { DetachMode } from './detach.js';
import type { RemoteSession } from '../../remote/session.js';
import type { AssetCheck } from '../asset-check.js';
import type { UrlCopies } from '../url-copies.js';
import type { PlaceVideo } from '../provider.js';
import type { AssetRecord } from '../../manifest/assets.js';

/** What every step of a HeyGen build shares: config, client, the lock journal, event sink and abort signals. */
export interface RunContext {
  config: ResolvedConfig;
  client: HeygenClient;
  store: LockStore;
  emit: EventSink;
  /** HeyGen's concurrent-job cap, shared by renders and translations. */
  slots: Semaphore;
  /**
   * Clip POSTs prepared ahead of a free slot (uploads done, intent journaled: clips.ts `slotFor`), at
   * most as many as the slots; undefined: every POST is prepared once its slot is held.
   */
  ahead?: Semaphore;
  videos: Poller<RemoteVideo>;
  translations: Poller<RemoteTranslation>;
  /** Shared by every poller of the build: a HeyGen outage is warned about once (outage.ts). */
  pollOutage: PollOutage;
  /** Aborted on the first Ctrl-C: no new submissions, polls and downloads stop. POSTs already sent finish. */
  soft: AbortSignal;
  /** True once nothing new may be submitted (Ctrl-C, or --fail-fast after a failure). */
  stopped(): boolean;
  /**
   * A job failed: with --fail-fast nothing new is submitted from now on. Called before the failed
   * job's slot is released, so the next job in line already sees it.
   */
  failed(): void;
  /**
   * Reports an item that was never sent because the build stopped (`stopped()`): skipped as interrupted
   * (Ctrl-C, --fail-fast), or failed with E_LOCKFILE_CONFLICT when the lockfile became conflicted (run.ts).
   */
  unsent(id: string): void;
  /** Manifest language -> HeyGen language name, resolved before anything was submitted. */
  languageNames: ReadonlyMap<string, string>;
  /** Uploads in progress, by asset sha256, so two videos sharing an image upload it once. */
  uploads: Map<string, Promise<string>>;
  /** Local compositions at once: ffmpeg is CPU-bound, so about one per core. */
  composeSlots: Semaphore;
  /**
   * Clip probes at once (a short ffprobe each, outside the compose slots): as many as renders can end
   * together, so a batch of finished renders is probed side by side, while a rebuild of a thousand
   * cached clips does not start a thousand processes.
   */
  probeSlots: Semaphore;
  /** Checks, once composed, that the project files the compositor read still hold the planned bytes (memoized for the build). */
  assetCheck: AssetCheck;
  /** Local copies of URL assets composed here, each revalidated at most once per build (url-copies.ts). */
  urlCopies: UrlCopies;
  /** Scene clips in progress, by clip key, so two scenes with the same clip render it once. */
  clips: Map<string, Promise<ReadyClip>>;
  /** Set when renders are not waited for (`build --detach`, the webhook receiver): see detach.ts. */
  detach?: DetachMode;
  /** The shared store of renders (`remote` in the config): looked up before paying, pushed to after. */
  remote?: RemoteSession;
  /** HeyGen template definitions read for this build, by template id (template videos only). */
  templates?: ReadonlyMap<string, TemplateDefinition>;
  /** Where a video or scene is declared in its manifest: a render HeyGen failed is reported there. */
  place?: PlaceVideo;
  /** What the plan's load learnt of each local file, by path: the checks before an upload take its verdicts (upload-check.ts). */
  assets?: ReadonlyMap<string, AssetRecord>;
}
