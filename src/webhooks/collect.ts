/**
 * What the receiver does with a verified event, one at a time: find the journal entry its
 * `callback_id` names, then run a collect build of the videos that entry serves. A collect build is
 * the ordinary build path (src/api/build.ts) with `detach: 'collect'`: it submits nothing, asks
 * HeyGen once for each job in flight, downloads what is finished from a fresh URL, composes a video
 * whose clips are all there, and journals each step, all under the build lock.
 *
 * The lock is taken per item and held only for that item's collect (see README "Webhooks"): a build
 * that starts meanwhile waits for it, and the receiver waits for a running build, after which the item
 * is usually collected already and the collect run finds nothing to do.
 */
import { resolve } from 'node:path';
import { build } from '../api/build.js';
import { openProject } from '../api/project.js';
import { loadConfig } from '../config/index.js';
import { isHeygenBuildError } from '../errors.js';
import type { BuildEvent } from '../execute/events.js';
import { lockfilePath } from '../execute/heygen/provider.js';
import { readLockfileWithJournal } from '../lockfile/store.js';
import { isHandled, type WebhookEvent } from './event.js';
import { jobsFor } from './journal.js';

/** Where the project is, where log lines go, and the signal that stops the receiver. */
export interface CollectorOptions {
  cwd?: string;
  configFile?: string;
  log: (line: string) => void;
  signal: AbortSignal;
  /** How long to keep waiting for a build that holds the lock (default 30 min). */
  lockedForMs?: number;
  /** Pause between tries while a build holds the lock (default 2 s). */
  retryMs?: number;
}

/** What became of a pushed event. */
export type Accepted = 'queued' | 'duplicate' | 'ignored';

/** The receiver's work queue: each event handled once, in order, one collect at a time. */
export class Collector {
  private readonly seen = new Set<string>();
  private readonly queue: WebhookEvent[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly opts: CollectorOptions) {}

  /** Takes a verified event: queues it, or says why not (a repeat, or an event we do not act on). */
  push(e: WebhookEvent): Accepted {
    if (!isHandled(e.type)) {
      this.opts.log(`ignored ${e.type}: not an event heygen-build acts on`);
      return 'ignored';
    }
    if (!e.callbackId) {
      this.opts.log(`ignored ${e.type} for ${e.remoteId ?? '?'}: no callback_id (not submitted by heygen-build)`);
      return 'ignored';
    }
    const key = `${e.type}:${e.remoteId ?? e.callbackId}`;
    if (this.seen.has(key)) {
      this.opts.log(`duplicate ${e.type} for ${e.remoteId ?? e.callbackId}: already handled`);
      return 'duplicate';
    }
    this.seen.add(key);
    this.queue.push(e);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return 'queued';
  }

  /** Resolves when the queue is empty. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (let e = this.queue.shift(); e && !this.opts.signal.aborted; e = this.queue.shift()) {
      try {
        await this.handle(e);
      } catch (err) {
        // Forget it, so that a redelivery tries again; the next build collects it anyway.
        this.seen.delete(`${e.type}:${e.remoteId ?? e.callbackId}`);
        if (!this.opts.signal.aborted) this.opts.log(`error collecting ${e.remoteId ?? e.callbackId}: ${err instanceof Error ? err.message : String(err)} (the next build collects it)`);
      }
    }
  }

  private async handle(e: WebhookEvent): Promise<void> {
    const found = await this.manifestsFor(e);
    if (!found) return;
    const { files, labels } = found;
    const until = Date.now() + (this.opts.lockedForMs ?? 30 * 60_000);
    for (;;) {
      try {
        this.saved = 0;
        const r = await build({ ...(this.opts.cwd ? { cwd: this.opts.cwd } : {}), ...(this.opts.configFile ? { configFile: this.opts.configFile } : {}), paths: files, detach: 'collect', signal: this.opts.signal, emit: (ev) => this.report(ev) });
        const waiting = r.counts.detached > 0 ? `, ${r.counts.detached} still rendering` : '';
        this.opts.log(`done ${labels}: ${this.saved > 0 ? `${this.saved} file${this.saved === 1 ? '' : 's'} saved` : 'nothing left to collect'}${waiting}`);
        return;
      } catch (err) {
        // A build holds the lock: it collects this item itself, or leaves it to us; ask again after it.
        if (!isHeygenBuildError(err) || err.code !== 'E_BUILD_LOCKED' || Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, this.opts.retryMs ?? 2000));
      }
    }
  }

  /** Outputs saved by the collect in progress. */
  private saved = 0;

  /** The manifest files of the videos the event's journal entry serves; undefined (logged) when none. */
  private async manifestsFor(e: WebhookEvent): Promise<{ files: string[]; labels: string } | undefined> {
    const config = await loadConfig({ ...(this.opts.cwd ? { cwd: this.opts.cwd } : {}), ...(this.opts.configFile ? { configFile: this.opts.configFile } : {}) });
    const project = await openProject({}, config);
    const lock = await readLockfileWithJournal(lockfilePath(config), { displayPath: config.lockfile });
    const jobs = jobsFor(lock, project.specs, e.callbackId!, e.remoteId);
    if (jobs.length === 0) {
      this.opts.log(`unknown callback_id ${e.callbackId} (${e.type} for ${e.remoteId ?? '?'}): no journal entry names it; ignored`);
      return undefined;
    }
    const videos = new Set(jobs.flatMap((j) => j.videos));
    const files = [...new Set(project.specs.filter((s) => videos.has(s.id)).map((s) => resolve(config.root, s.source)))];
    if (files.length === 0) {
      this.opts.log(`${e.type} for ${jobs.map((j) => j.label).join(', ')}: no manifest uses it any more; ignored`);
      return undefined;
    }
    const labels = jobs.map((j) => j.label).join(', ');
    this.opts.log(`${e.type} for ${labels}: collecting`);
    return { files, labels };
  }

  private report(ev: BuildEvent): void {
    if (ev.type === 'downloaded') {
      this.saved++;
      this.opts.log(`saved ${ev.id} -> ${ev.path}`);
    }
    else if (ev.type === 'failed') this.opts.log(`failed ${ev.id} [${ev.code}] ${ev.message}`);
    else if (ev.type === 'status' && ev.state === 'detached') this.opts.log(`waiting ${ev.id}: ${ev.detail ?? 'still rendering at HeyGen'}`);
    else if (ev.type === 'warning') this.opts.log(`warning ${ev.message}`);
  }
}
