/** Prints a plan: terraform-style for people, a stable JSON document for scripts (see README). */
import type { Action, Plan, PlanItem } from '../model/plan.js';
import { RESTORE_REASON, WHOLE_FROM_STORE } from '../remote/reasons.js';
import { grouped } from '../util/grouped.js';
import { makeStyle, type Style } from './style.js';

/** The version of the `plan --json` format, raised on incompatible changes. */
export const PLAN_JSON_FORMAT = 1;

const SYMBOL: Record<Shown, string> = {
  restore: '↓',
  create: '+',
  update: '~',
  unchanged: '=',
  orphan: '-',
  resume: '>',
  download: 'v',
};

/** What a plan shows for an item: its action, or `restore` for one the remote store has (free). */
type Shown = Action | 'restore';

/** The action a plan shows (and `plan --json` gives) for `it`. */
export function shownAction(it: PlanItem): Shown {
  return it.restore ? 'restore' : it.action;
}

function paint(style: Style, a: Shown): (s: string) => string {
  switch (a) {
    case 'create':
      return style.green;
    case 'update':
    case 'resume':
      return style.yellow;
    case 'orphan':
      return style.red;
    case 'download':
    case 'restore':
      return style.cyan;
    case 'unchanged':
      return style.dim;
  }
}

function fmtSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

/** Credits as plans print them, e.g. `1.20 cr`. */
export function fmtCredits(c: number): string {
  return `${c.toFixed(2)} cr`;
}

/** A plan as text for people: one line per item with its symbol and reasons, then totals. */
export function formatPlanHuman(plan: Plan, opts: { color?: boolean; showUnchanged?: boolean; drafts?: boolean } = {}): string {
  const style = makeStyle(opts.color ?? false);
  const lines: string[] = [];
  const { single, groups } = groupRows(plan.items);
  // A language awaiting review is shown: someone has a file to review.
  const show = (i: PlanItem): boolean => opts.showUnchanged !== false || i.action !== 'unchanged' || i.review === 'awaiting';
  const shown = plan.items.filter(show);
  // A width over every item, not the shown ones: 10,000 unchanged rows need not be measured.
  const width = Math.min(40, Math.max(8, ...shown.slice(0, 1000).map((i) => i.id.length)));
  for (const it of single.filter(show)) lines.push(...formatItem(it, width, style, opts.drafts ?? false));
  for (const [group, items] of groups) {
    lines.push(style.bold(groupLine(group, items)));
    for (const it of items.filter(show)) lines.push(...formatItem(it, width, style, opts.drafts ?? false).map((l) => `  ${l}`));
  }
  // Said once for all of them: each restored item's line only says `from the remote store`.
  if (shown.some((i) => i.restore === 'remote')) lines.push(style.dim(RESTORED_NOTE));
  const t = plan.totals;
  const a = t.actions;
  if (lines.length > 0) lines.push('');
  lines.push(
    style.bold('Plan:') +
      ` ${a.create} to create, ${a.update} to update, ${a.resume} to resume, ${a.download} to download, ` +
      (a.restore ? `${a.restore} to restore (free), ` : '') +
      `${a.unchanged} unchanged, ${a.orphan} orphaned.`,
  );
  // Nothing to do: said plainly (as terraform's "No changes"), not as "about 0s of new video".
  const todo = a.create + a.update + a.resume + a.download + (a.restore ?? 0) + a.orphan;
  lines.push(
    todo === 0
      ? 'No changes: every video is up to date.'
      : opts.drafts
        ? `Offline drafts: about ${fmtSeconds(t.seconds)} of new draft video, no credits.`
        : `Estimated ${fmtSeconds(t.seconds)} of new video, ${fmtCredits(t.credits)}.`,
  );
  return lines.join('\n') + '\n';
}

/**
 * Rows of a `rows:` manifest, grouped by their id pattern (`welcome/*`). A removed row has no
 * manifest to name its group: an orphan whose id fits a group's pattern joins it.
 */
function groupRows(items: PlanItem[]): { single: PlanItem[]; groups: Map<string, PlanItem[]> } {
  const groups = new Map<string, PlanItem[]>();
  const single: PlanItem[] = [];
  for (const it of items) if (it.group !== undefined && !groups.has(it.group)) groups.set(it.group, []);
  const patterns = [...groups.keys()].map((g) => ({ g, re: new RegExp(`^${g.split('*').map(escapeRe).join('.+')}(@.*)?$`) }));
  for (const it of items) {
    const g = it.group ?? (it.action === 'orphan' ? patterns.find((p) => p.re.test(it.id))?.g : undefined);
    if (g === undefined) single.push(it);
    else groups.get(g)?.push(it);
  }
  return { single, groups };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `welcome/* (10,000 rows): 1 update, 3 create, 9,996 unchanged` */
function groupLine(group: string, items: PlanItem[]): string {
  const counts = new Map<Shown, number>();
  for (const it of items) counts.set(shownAction(it), (counts.get(shownAction(it)) ?? 0) + 1);
  const n = grouped;
  // A removed row (an orphan) is no row of the data any more: `welcome/* (3 rows): 1 orphan, 3 unchanged`.
  const rows = items.filter((i) => i.kind === 'video' && i.action !== 'orphan').length;
  const order: Shown[] = ['update', 'create', 'resume', 'download', 'restore', 'orphan', 'unchanged'];
  const parts = order.filter((a) => counts.has(a)).map((a) => `${n(counts.get(a) ?? 0)} ${a}`);
  return `${group} (${n(rows)} ${rows === 1 ? 'row' : 'rows'}): ${parts.join(', ')}`;
}

/** Why items are `↓ restore … from the remote store`, said once under the items. */
export const RESTORED_NOTE = '↓ restore: another machine, branch or shard rendered these keys; a build downloads them from the remote store and pays nothing';

/** What `↓ restore … from the remote store` already says of an item, in words a plan gives it. */
const SAID_BY_RESTORE = new Set([RESTORE_REASON, WHOLE_FROM_STORE, 'not in the lockfile']);

/**
 * The reasons people read for `it` (`plan --json` keeps them all): an item the store has shows
 * `from the remote store` on its line instead of the same three reasons on every such item (its key
 * rendered elsewhere, 0 credits; not in the lockfile; no scene to render); what is left says what is
 * its own (the parts an edit changed).
 */
export function shownReasons(it: PlanItem): string[] {
  return it.restore === 'remote' ? it.reasons.filter((r) => !SAID_BY_RESTORE.has(r)) : it.reasons;
}

function formatItem(it: PlanItem, width: number, style: Style, drafts: boolean): string[] {
  const opts = { drafts };
  const shown = shownAction(it);
  const color = paint(style, shown);
  const head =
    color(`${SYMBOL[shown]} ${shown.padEnd(9)}`) +
    ` ${it.id.padEnd(width)}` +
    // A restore is free and no new video: no estimate, as for a download.
    (shown === 'create' || shown === 'update'
      ? style.dim(`  ~${fmtSeconds(it.estimate.seconds)}${opts.drafts ? '' : `  ${fmtCredits(it.estimate.credits)}`}`)
      : '') +
    (it.restore === 'remote' ? style.dim('  from the remote store (0 credits)') : '') +
    (it.media === 'audio' ? style.dim('  audio') : '') +
    (it.review === 'awaiting' ? style.yellow('  awaiting review') : it.review === 'proofread' ? style.dim('  proofread') : '');
  const out = [head];
  for (const r of shownReasons(it)) out.push(style.dim(`      ${r}`));
  return out;
}

/** The `plan --json` document. Field names are a contract: add, never rename. */
export function planToJson(plan: Plan): unknown {
  return {
    format_version: PLAN_JSON_FORMAT,
    items: plan.items.map((i) => ({
      id: i.id,
      kind: i.kind,
      video_id: i.videoId,
      language: i.language ?? null,
      action: shownAction(i),
      key: i.key ?? null,
      previous_key: i.previousKey ?? null,
      reasons: i.reasons,
      source: i.source ?? null,
      output: i.output === '' ? null : i.output,
      estimate: { seconds: i.estimate.seconds, credits: i.estimate.credits },
      ...(i.media ? { media: i.media } : {}),
      ...(i.review ? { review: i.review } : {}),
      ...(i.group ? { group: i.group } : {}),
      ...(i.prompt
        ? { prompt: { assumed_seconds: i.prompt.assumedSeconds, stated_as: i.prompt.statedAs ?? null, actual_seconds: i.prompt.actualSeconds ?? null } }
        : {}),
      ...(i.scenes
        ? {
            scenes: i.scenes.map((s) => ({
              index: s.index,
              key: s.key ?? null,
              action: s.action,
              reasons: s.reasons,
              estimate: { seconds: s.estimate.seconds, credits: s.estimate.credits },
            })),
          }
        : {}),
    })),
    totals: plan.totals,
  };
}
