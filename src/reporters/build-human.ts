/**
 * Human build output. On a TTY: the log, and under it a redrawn line per active job (state, elapsed) and
 * the progress line `[12/40] rendering 6 · downloading 2 · 12 done · 3.1 cr spent of ~9.8 · ETA 6m`.
 * Elsewhere (CI logs): one line per state change, a heartbeat while anything is in flight (a long render
 * prints nothing for minutes, and CI systems kill jobs that stay silent), and a final table.
 */
import type { BuildCounts, BuildEvent, ItemState } from '../execute/events.js';
import { ActiveJobs } from './active-jobs.js';
import { formatBuildTable } from './build-table.js';
import { liveBlock, type LiveBlock } from './live.js';
import { formatPlanHuman } from './plan.js';
import { BuildProgress } from './progress.js';
import { makeStyle, type Style } from './style.js';
import { formatBytes, formatElapsed } from './units.js';

const TERMINAL: ReadonlySet<ItemState> = new Set<ItemState>(['done', 'failed', 'skipped', 'detached']);

/** How often a log without a TTY says what is still in flight. */
export const HEARTBEAT_MS = 30_000;

/** The terminal build reporter: call it with each event, then close it to print the summary. */
export interface HumanReporter {
  (e: BuildEvent): void;
  close(): void;
}

/** Options of the human reporter; the clock and the heartbeat's interval are there for tests. */
export interface HumanOptions {
  tty: boolean;
  color: boolean;
  /** The final table of items (default: without a TTY). */
  table?: boolean;
  heartbeatMs?: number;
  now?: () => number;
}

/** A build reporter for people: live progress lines on a TTY, plain lines elsewhere, colour when asked. */
export function humanReporter(stream: NodeJS.WriteStream, opts: HumanOptions): HumanReporter {
  const report = new HumanReport(stream, opts);
  const reporter = ((e: BuildEvent) => report.event(e)) as HumanReporter;
  reporter.close = () => report.close();
  return reporter;
}

/** The build event of one type. */
type EventOf<T extends BuildEvent['type']> = Extract<BuildEvent, { type: T }>;

/** The human reporter's state (the jobs in flight, the progress, the timer) and what it does with each event. */
class HumanReport {
  private readonly style: Style;
  private readonly now: () => number;
  private readonly active = new ActiveJobs();
  private readonly live: LiveBlock | undefined;
  private progress: BuildProgress | undefined;
  /** The latest expected end among jobs left rendering (`build --detach`). */
  private expected: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly opts: HumanOptions,
  ) {
    this.style = makeStyle(opts.color);
    this.now = opts.now ?? Date.now;
    this.live = opts.tty ? liveBlock(stream) : undefined;
  }

  /** One event: the progress counts it, then it is logged, or it moves the jobs in flight. */
  event(e: BuildEvent): void {
    const style = this.style;
    this.progress?.update(e);
    switch (e.type) {
      case 'plan':
        return this.onPlan(e);
      case 'warning':
        return this.log(`${style.yellow('warning')} ${e.message}`);
      case 'repaired':
        // Its warning said it: the event is for scripts.
        return;
      case 'exported':
        return this.log(`${style.green('exported')} ${e.format} -> ${e.dir} ${style.dim(`${e.videos} video${e.videos === 1 ? '' : 's'}, ${e.written} written, ${e.kept} unchanged`)}`);
      case 'adopted':
        // "adopting <job>'s render <id>" as the warning before this event said it (logs are searched for it).
        return this.log(`${style.cyan('adopted')} ${e.id} ${style.dim(`adopting ${e.job}'s render ${e.remoteId} (claimed ${e.since}): not submitted again, and its credits are that machine's`)}`);
      case 'submitted':
        return this.log(`${style.dim('submitted')} ${e.id} ${style.dim(`as ${e.remoteId}${e.replayed ? ' (resumed)' : ''}`)}`);
      case 'detached':
        this.active.delete(e.id);
        if (!this.expected || e.expectedBy > this.expected) this.expected = e.expectedBy;
        return this.log(`${style.cyan('at HeyGen')} ${e.id} ${style.dim(`${e.remoteId} ${e.remoteStatus}, expected by ${clock(e.expectedBy)}`)}`);
      case 'downloaded':
        return this.log(`${style.green('saved')} ${e.id} -> ${e.path} ${style.dim(`${formatBytes(e.size)}${e.cached ? ', unchanged draft' : ''}`)}`);
      case 'awaiting-review':
        this.active.delete(e.id);
        return this.log(`${style.yellow('review')} ${e.id}: edit ${e.file}, commit it, then set \`review: approved\` on ${e.language} to render it`);
      case 'failed':
        this.active.delete(e.id);
        return this.log(`${style.red('failed')} ${e.id} ${style.dim(`[${e.code}]`)} ${e.message}`);
      case 'status':
        return this.onStatus(e);
      case 'done':
        return this.onDone(e);
    }
  }

  /** Stops the clock and takes the live block off the screen (a build that failed or was interrupted again). */
  close(): void {
    this.stopTimer();
    this.live?.clear();
  }

  /** The plan: printed, and the clock started (a redraw each second on a TTY, else the heartbeat). */
  private onPlan(e: EventOf<'plan'>): void {
    this.progress = new BuildProgress(e.plan.items, e.provider === 'local', this.now);
    if (e.shard) this.log(this.style.dim(`shard ${e.shard.index}/${e.shard.count}: this job's part of the plan${e.shard.lockOut ? `; its lockfile changes go to ${e.shard.lockOut}` : ''}`));
    this.log(formatPlanHuman(e.plan, { color: this.opts.color, showUnchanged: false, drafts: e.provider === 'local' }).trimEnd());
    this.stopTimer();
    this.timer = this.live ? setInterval(() => this.draw(), 1000) : setInterval(() => this.heartbeat(), this.opts.heartbeatMs ?? HEARTBEAT_MS);
    this.timer.unref();
  }

  /** A job's new state: its end logged (skipped, not sent) or drawn; otherwise drawn, or one line per change. */
  private onStatus(e: EventOf<'status'>): void {
    const style = this.style;
    this.active.settle(e.id, this.progress);
    if (TERMINAL.has(e.state)) {
      this.active.delete(e.id);
      if (e.state === 'skipped') this.log(`${style.yellow('skipped')} ${e.id}${e.detail ? ` (${e.detail})` : ''}`);
      else if (e.state === 'detached' && e.detail?.startsWith('not sent')) this.log(`${style.yellow('not sent')} ${e.id} (${e.detail.replace(/^not sent: /, '')})`);
      else this.draw();
      return;
    }
    const prev = this.active.update(e.id, e.state, e.detail, this.now);
    if (this.live) this.draw();
    else if (prev?.state !== e.state) this.stream.write(`${e.state} ${e.id}${e.detail ? ` ${style.dim(e.detail)}` : ''}\n`);
  }

  /** The end: the table (without a TTY, or when asked), the summary line and what to do next. */
  private onDone(e: EventOf<'done'>): void {
    const { stream, opts, progress } = this;
    this.stopTimer();
    this.live?.clear();
    if (progress && (opts.table ?? !opts.tty)) stream.write(formatBuildTable(progress, this.style));
    stream.write(doneLine(e, this.style));
    if (e.interrupted) stream.write('The lockfile records what was in flight: run build again to resume without paying twice.\n');
    if (e.unmerged !== undefined) stream.write(unmergedNote(e.unmerged));
    if (e.counts.detached > 0) stream.write(detachedNote(e.counts.detached, this.expected));
  }

  /** A line for good: above the live block on a TTY, else a plain line. */
  private log(line: string): void {
    if (this.live) this.live.log(line);
    else this.stream.write(line + '\n');
  }

  /** On a TTY: the jobs in flight and the progress line, redrawn under the log. */
  private draw(): void {
    this.live?.draw([...this.jobLines(), this.style.bold(this.progress?.line() ?? '')]);
  }

  /** The live block's job lines, as many as the screen has room for. */
  private jobLines(): string[] {
    // The block must fit the screen (with the progress line and a line of log): cursor-up stops at the top.
    const room = Math.max(2, (this.stream.rows || 24) - 3);
    return this.active.lines(room, this.now(), this.style);
  }

  /** Without a TTY: what is still in flight, and for how long (CI kills jobs that stay silent). */
  private heartbeat(): void {
    const t = this.now();
    const busy = this.active.busy();
    for (const [id, a] of busy.slice(0, 10)) this.stream.write(`still ${a.state} ${id} [${formatElapsed(t - a.since)}]\n`);
    if (busy.length > 10) this.stream.write(`still ${busy.length - 10} more in flight\n`);
    if (busy.length > 0 && this.progress) this.stream.write(`${this.progress.line()}\n`);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** Where a build's records went while the lockfile was conflicted, and what brings them back. */
function unmergedNote(file: string): string {
  return `The lockfile still has merge-conflict markers, so this build's records are in ${file}, not in the lockfile.\n` +
    'Resolve the conflict (taking one side whole will do), then run `heygen-build build`: it joins them in and pays for none of them again.\n';
}

/** `18:42 UTC` from an ISO time. */
function clock(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}

/** What a detached build leaves behind, and how to finish it. */
function detachedNote(n: number, expected: string | undefined): string {
  const by = expected ? `, expected by about ${clock(expected)} (HeyGen renders take 5-15 min)` : '';
  return `${n} item${n === 1 ? '' : 's'} left rendering at HeyGen${by}.\n` +
    'Run `heygen-build status` to see them, and `heygen-build build` (or a webhook receiver) to collect them: nothing is paid again.\n';
}

function doneLine(e: Extract<BuildEvent, { type: 'done' }>, style: Style): string {
  const head = e.interrupted
    ? style.yellow('Interrupted: ')
    : !e.ok
      ? style.red('Build failed: ')
      : e.counts.detached > 0
        ? style.green('Submitted (detached): ')
        : style.green('Build complete: ');
  return `${head}${countsText(e.counts)} in ${e.seconds}s\n`;
}

/** "2 rendered, 5 restored, 1 adopted, 3 unchanged, 0 failed": a restore or an adopted job is never read as a paid render. */
export function countsText(c: BuildCounts): string {
  const parts = [`${c.rendered} rendered`];
  if (c.restored) parts.push(`${c.restored} restored`);
  if (c.reused) parts.push(`${c.reused} reused`);
  if (c.adopted) parts.push(`${c.adopted} adopted`);
  parts.push(`${c.unchanged} unchanged`, `${c.failed} failed`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.detached) parts.push(`${c.detached} rendering at HeyGen`);
  return parts.join(', ');
}
