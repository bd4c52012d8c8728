/**
 * Human build output. On a TTY: a live line per active item (state, elapsed) under the log, and an overall
 * count. Elsewhere (CI logs): one line per state change, nothing redrawn.
 */
import type { BuildCounts, BuildEvent, ItemState } from '../execute/events.js';
import { formatPlanHuman } from './plan.js';
import { makeStyle } from './style.js';

interface Active {
  state: ItemState;
  since: number;
  detail?: string;
}

const TERMINAL: ReadonlySet<ItemState> = new Set<ItemState>(['done', 'failed', 'skipped']);

/** The terminal build reporter: call it with each event, then close it to print the summary. */
export interface HumanReporter {
  (e: BuildEvent): void;
  close(): void;
}

/** A build reporter for people: live progress lines on a TTY, plain lines elsewhere, colour when asked. */
export function humanReporter(stream: NodeJS.WriteStream, opts: { tty: boolean; color: boolean }): HumanReporter {
  const style = makeStyle(opts.color);
  const active = new Map<string, Active>();
  let total = 0;
  let finished = 0;
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const start = Date.now();

  const clear = (): void => {
    if (drawn > 0) stream.write(`\u001b[${drawn}A\u001b[0J`);
    drawn = 0;
  };
  const draw = (): void => {
    if (!opts.tty) return;
    clear();
    const now = Date.now();
    const lines = [...active.entries()]
      .slice(0, Math.max(1, (stream.rows ?? 24) - 3))
      .map(([id, a]) => `  ${style.cyan(a.state.padEnd(11))} ${id} ${style.dim(`${Math.round((now - a.since) / 1000)}s${a.detail ? ` ${a.detail}` : ''}`)}`);
    lines.push(style.bold(`  ${finished}/${total} done`) + style.dim(` · ${Math.round((now - start) / 1000)}s`));
    stream.write(lines.join('\n') + '\n');
    drawn = lines.length;
  };
  const log = (line: string): void => {
    clear();
    stream.write(line + '\n');
    draw();
  };

  const reporter = ((e: BuildEvent) => {
    switch (e.type) {
      case 'plan':
        total = e.plan.items.filter((i) => i.action !== 'unchanged' && i.action !== 'orphan').length;
        log(formatPlanHuman(e.plan, { color: opts.color, showUnchanged: false, drafts: e.provider === 'local' }).trimEnd());
        if (opts.tty && !timer) timer = setInterval(draw, 1000).unref();
        return;
      case 'warning':
        log(`${style.yellow('warning')} ${e.message}`);
        return;
      case 'submitted':
        log(`${style.dim('submitted')} ${e.id} ${style.dim(`as ${e.remoteId}${e.replayed ? ' (resumed)' : ''}`)}`);
        return;
      case 'downloaded':
        log(`${style.green('saved')} ${e.id} -> ${e.path} ${style.dim(`${(e.size / 1e6).toFixed(1)} MB${e.cached ? ', unchanged draft' : ''}`)}`);
        return;
      case 'failed':
        finished++;
        active.delete(e.id);
        log(`${style.red('failed')} ${e.id} ${style.dim(`[${e.code}]`)} ${e.message}`);
        return;
      case 'status': {
        if (TERMINAL.has(e.state)) {
          if (active.delete(e.id) || e.state === 'done') finished++;
          if (e.state === 'skipped') log(`${style.yellow('skipped')} ${e.id}${e.detail ? ` (${e.detail})` : ''}`);
          else draw();
          return;
        }
        const prev = active.get(e.id);
        active.set(e.id, { state: e.state, since: prev?.state === e.state ? prev.since : Date.now(), detail: e.detail });
        if (opts.tty) draw();
        else if (prev?.state !== e.state) stream.write(`${e.state} ${e.id}${e.detail ? ` ${style.dim(e.detail)}` : ''}\n`);
        return;
      }
      case 'done': {
        if (timer) clearInterval(timer);
        clear();
        const summary = `${countsText(e.counts)} in ${e.seconds}s`;
        stream.write(
          (e.interrupted ? style.yellow('Interrupted: ') : e.ok ? style.green('Build complete: ') : style.red('Build failed: ')) + summary + '\n',
        );
        if (e.interrupted) stream.write('The lockfile records what was in flight: run build again to resume without paying twice.\n');
        return;
      }
    }
  }) as HumanReporter;
  reporter.close = () => {
    if (timer) clearInterval(timer);
    clear();
  };
  return reporter;
}

/** "2 rendered, 5 restored, 3 unchanged, 0 failed": a restore is never read as a paid render. */
export function countsText(c: BuildCounts): string {
  const parts = [`${c.rendered} rendered`];
  if (c.restored) parts.push(`${c.restored} restored`);
  if (c.reused) parts.push(`${c.reused} reused`);
  parts.push(`${c.unchanged} unchanged`, `${c.failed} failed`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(', ');
}
