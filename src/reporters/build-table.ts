/** The table a build ends with in a log: each item, what became of it, and the credits of its render. */
import { fmtCredits } from './plan.js';
import type { BuildProgress, Outcome } from './progress.js';
import type { Style } from './style.js';

const LABEL: Record<Outcome, string> = {
  rendered: 'rendered',
  restored: 'restored',
  reused: 'reused',
  adopted: 'adopted',
  failed: 'failed',
  skipped: 'skipped',
  'in-flight': 'left in flight',
  pending: 'not finished',
  review: 'awaiting review',
};

/** The result column's width: its longest label ("awaiting review"), so the credits after it line up. */
const RESULT_WIDTH = Math.max(...Object.values(LABEL).map((l) => l.length));

function paint(style: Style, o: Outcome): (s: string) => string {
  if (o === 'rendered') return style.green;
  if (o === 'failed') return style.red;
  if (o === 'skipped' || o === 'pending' || o === 'in-flight') return style.yellow;
  return style.dim;
}

/**
 * One row per item the build had to do (unchanged ones are in the summary line), in plan order. Credits
 * are the plan's estimates, for new renders this build paid for: a restore, a reused draft or a job adopted
 * from another machine (which paid for it) costs nothing, and neither does a scene whose clip was adopted
 * nor a render HeyGen failed; a render this build sent that did not finish here (left in flight by Ctrl-C,
 * or not written) counts, as it was paid for (sent.ts).
 */
export function formatBuildTable(progress: BuildProgress, style: Style): string {
  if (progress.items.length === 0) return '';
  const width = Math.max(5, ...progress.items.map((i) => i.id.length));
  const withCredits = !progress.drafts;
  const head = `${'item'.padEnd(width)}  ${withCredits ? `${'result'.padEnd(RESULT_WIDTH)}  credits (est.)` : 'result'}`;
  const rows = progress.items.map((i) => {
    const o = progress.outcome(i.id);
    const spent = progress.spentOn(i);
    const credits = spent > 0 ? fmtCredits(spent) : '-';
    return withCredits ? `${i.id.padEnd(width)}  ${paint(style, o)(LABEL[o].padEnd(RESULT_WIDTH))}  ${credits}` : `${i.id.padEnd(width)}  ${paint(style, o)(LABEL[o])}`;
  });
  const lines = [style.bold(head), ...rows];
  if (withCredits) lines.push(`${''.padEnd(width)}  ${'total'.padEnd(RESULT_WIDTH)}  ${style.bold(fmtCredits(progress.spend().spent))}`);
  return lines.join('\n') + '\n';
}
