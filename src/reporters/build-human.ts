/**
 * Human build output. On a TTY: the log, and under it a redrawn line per active job (state, elapsed) and
 * the progress line `[12/40] rendering 6 · downloading 2 · 12 done · 3.1 cr spent of ~9.8 · ETA 6m`.
 * Elsewhere (CI logs): one line per state change, a heartbeat while anything is in flight (a long render
 * prints nothing for minutes, and CI systems kill jobs that stay silent), and a final table.
 */
import type { BuildCounts, BuildEvent, ItemState } from '../execute/events.js';
import { formatBuildTable } from './build-table.js';
import { liveBlock } from './live.js';
import { formatPlanHuman } from './plan.js';
import { BuildProgress } from './progress.js';
import { makeStyle, type Style } from './style.js';
import { formatBytes, formatElapsed } from './units.js';

interface Active {
  state: ItemState;
  since: number;
  detail?: string;
}

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
  const style = makeStyle(opts.color);
  const now = opts.now ?? Date.now;
  const active = new Map<string, Active>();
  /**
   * The sub-jobs (`intro#2`) under each id they start with (`intro`), so that settling a video does not scan
   * every active job: with thousands queued, one scan per status event was quadratic.
   */
  const subJobs = new Map<string, Set<string>>();
  const noteSubJob = (key: string): void => {
    for (let i = key.indexOf('#'); i > 0; i = key.indexOf('#', i + 1)) {
      const parent = key.slice(0, i);
      const set = subJobs.get(parent) ?? new Set<string>();
      set.add(key);
      subJobs.set(parent, set);
    }
  };
  const live = opts.tty ? liveBlock(stream) : undefined;
  let progress: BuildProgress | undefined;
  /** The latest expected end among jobs left rendering (`build --detach`). */
  let expected: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stopTimer = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  const jobLines = (): string[] => {
    const t = now();
    // The block must fit the screen (with the progress line and a line of log): cursor-up stops at the top.
    // Only the lines that fit are formatted: a redraw per event over 10k queued videos would be quadratic.
    const room = Math.max(2, (stream.rows || 24) - 3);
    const lines: string[] = [];
    for (const [id, a] of active) {
      if (lines.length === room) break;
      lines.push(`  ${style.cyan(a.state.padEnd(11))} ${id} ${style.dim(`${formatElapsed(t - a.since)}${a.detail ? ` ${a.detail}` : ''}`)}`);
    }
    return active.size <= room ? lines : [...lines.slice(0, room - 1), style.dim(`  … and ${active.size - room + 1} more`)];
  };
  const draw = (): void => live?.draw([...jobLines(), style.bold(progress?.line() ?? '')]);
  const log = (line: string): void => (live ? live.log(line) : void stream.write(line + '\n'));
  const heartbeat = (): void => {
    const t = now();
    const busy = [...active.entries()].filter(([, a]) => a.state !== 'queued');
    for (const [id, a] of busy.slice(0, 10)) stream.write(`still ${a.state} ${id} [${formatElapsed(t - a.since)}]\n`);
    if (busy.length > 10) stream.write(`still ${busy.length - 10} more in flight\n`);
    if (busy.length > 0 && progress) stream.write(`${progress.line()}\n`);
  };

  /**
   * Sub-jobs announce no end of their own: a scene clip (`intro#2`) is done once its video moves on (to
   * composing, or to done), and a finished video's upload for its translations once a translation moves on.
   */
  const settle = (id: string): void => {
    if (!progress?.has(id)) return;
    for (const k of subJobs.get(id) ?? []) active.delete(k);
    subJobs.delete(id);
    const at = id.indexOf('@');
    if (at > 0 && progress.outcome(id.slice(0, at)) !== 'pending') active.delete(id.slice(0, at));
  };

  const onStatus = (e: Extract<BuildEvent, { type: 'status' }>): void => {
    settle(e.id);
    if (TERMINAL.has(e.state)) {
      active.delete(e.id);
      if (e.state === 'skipped') log(`${style.yellow('skipped')} ${e.id}${e.detail ? ` (${e.detail})` : ''}`);
      else if (e.state === 'detached' && e.detail?.startsWith('not sent')) log(`${style.yellow('not sent')} ${e.id} (${e.detail.replace(/^not sent: /, '')})`);
      else draw();
      return;
    }
    const prev = active.get(e.id);
    if (!prev) noteSubJob(e.id);
    active.set(e.id, { state: e.state, since: prev?.state === e.state ? prev.since : now(), detail: e.detail });
    if (live) draw();
    else if (prev?.state !== e.state) stream.write(`${e.state} ${e.id}${e.detail ? ` ${style.dim(e.detail)}` : ''}\n`);
  };

  const reporter = ((e: BuildEvent) => {
    progress?.update(e);
    switch (e.type) {
      case 'plan':
        progress = new BuildProgress(e.plan.items, e.provider === 'local', now);
        if (e.shard) log(style.dim(`shard ${e.shard.index}/${e.shard.count}: this job's part of the plan${e.shard.lockOut ? `; its lockfile changes go to ${e.shard.lockOut}` : ''}`));
        log(formatPlanHuman(e.plan, { color: opts.color, showUnchanged: false, drafts: e.provider === 'local' }).trimEnd());
        stopTimer();
        timer = live ? setInterval(draw, 1000) : setInterval(heartbeat, opts.heartbeatMs ?? HEARTBEAT_MS);
        timer.unref();
        return;
      case 'warning':
        log(`${style.yellow('warning')} ${e.message}`);
        return;
      case 'repaired':
        // Its warning said it: the event is for scripts.
        return;
      case 'exported':
        log(`${style.green('exported')} ${e.format} -> ${e.dir} ${style.dim(`${e.videos} video${e.videos === 1 ? '' : 's'}, ${e.written} written, ${e.kept} unchanged`)}`);
        return;
      case 'adopted':
        // "adopting <job>'s render <id>" as the warning before this event said it (logs are searched for it).
        log(`${style.cyan('adopted')} ${e.id} ${style.dim(`adopting ${e.job}'s render ${e.remoteId} (claimed ${e.since}): not submitted again, and its credits are that machine's`)}`);
        return;
      case 'submitted':
        log(`${style.dim('submitted')} ${e.id} ${style.dim(`as ${e.remoteId}${e.replayed ? ' (resumed)' : ''}`)}`);
        return;
      case 'detached':
        active.delete(e.id);
        if (!expected || e.expectedBy > expected) expected = e.expectedBy;
        log(`${style.cyan('at HeyGen')} ${e.id} ${style.dim(`${e.remoteId} ${e.remoteStatus}, expected by ${clock(e.expectedBy)}`)}`);
        return;
      case 'downloaded':
        log(`${style.green('saved')} ${e.id} -> ${e.path} ${style.dim(`${formatBytes(e.size)}${e.cached ? ', unchanged draft' : ''}`)}`);
        return;
      case 'awaiting-review':
        active.delete(e.id);
        log(`${style.yellow('review')} ${e.id}: edit ${e.file}, commit it, then set \`review: approved\` on ${e.language} to render it`);
        return;
      case 'failed':
        active.delete(e.id);
        log(`${style.red('failed')} ${e.id} ${style.dim(`[${e.code}]`)} ${e.message}`);
        return;
      case 'status':
        onStatus(e);
        return;
      case 'done':
        stopTimer();
        live?.clear();
        if (progress && (opts.table ?? !opts.tty)) stream.write(formatBuildTable(progress, style));
        stream.write(doneLine(e, style));
        if (e.interrupted) stream.write('The lockfile records what was in flight: run build again to resume without paying twice.\n');
        if (e.unmerged !== undefined) stream.write(unmergedNote(e.unmerged));
        if (e.counts.detached > 0) stream.write(detachedNote(e.counts.detached, expected));
        return;
    }
  }) as HumanReporter;
  reporter.close = () => {
    stopTimer();
    live?.clear();
  };
  return reporter;
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
