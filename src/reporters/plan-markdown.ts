/** A plan as Markdown, for GitHub's job summary: a table of what a build would do, why, and what it costs. */
import { PAID_ACTIONS, type Plan } from '../model/plan.js';
import { fmtCredits, shownAction, shownReasons } from './plan.js';

/** A table cell: pipes escaped, line breaks as `<br>`, so one value stays one cell. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** The Markdown summary of a plan: its changed items (action, reasons, estimate), the totals, the warnings. */
export function formatPlanMarkdown(plan: Plan, opts: { drafts: boolean; warnings: readonly string[] }): string {
  const t = plan.totals;
  const a = t.actions;
  const lines = ['### heygen-build plan', ''];
  const changed = plan.items.filter((i) => i.action !== 'unchanged');
  if (changed.length === 0) {
    lines.push('No changes: every video is up to date.');
  } else {
    lines.push(`| Video | Action | Reasons | ${opts.drafts ? 'Length' : 'Credits'} |`, '| --- | --- | --- | ---: |');
    for (const i of changed) {
      const cost = opts.drafts ? `~${Math.round(i.estimate.seconds)}s` : PAID_ACTIONS.has(i.action) ? fmtCredits(i.estimate.credits) : '-';
      lines.push(`| \`${cell(i.id)}\` | ${shownAction(i)} | ${cell((i.restore === 'remote' ? ['from the remote store', ...shownReasons(i)] : i.reasons).join('; ')) || '-'} | ${cost} |`);
    }
  }
  lines.push(
    '',
    `**${a.create}** to create, **${a.update}** to update, **${a.resume}** to resume, **${a.download}** to download, ` +
      (a.restore ? `**${a.restore}** to restore (free), ` : '') +
      `${a.unchanged} unchanged, ${a.orphan} orphaned.`,
    opts.drafts ? 'Offline drafts: no credits.' : `Estimated **${fmtCredits(t.credits)}** for about ${Math.round(t.seconds)}s of new video.`,
  );
  // In a pull request, the translations waiting for a reviewer are the point of the review.
  const awaiting = plan.items.filter((i) => i.review === 'awaiting');
  if (awaiting.length > 0) lines.push('', '**Awaiting review**', '', ...awaiting.map((i) => `- \`${cell(i.id)}\`: review \`${cell(i.output)}\`, then set \`review: approved\``));
  if (opts.warnings.length > 0) lines.push('', '**Warnings**', '', ...opts.warnings.map((w) => `- ${cell(w)}`));
  return lines.join('\n') + '\n';
}
