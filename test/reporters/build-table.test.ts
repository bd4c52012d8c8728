/** The table a build ends with: its columns line up whatever became of each item. */
import { describe, expect, it } from 'vitest';
import type { PlanItem } from '../../src/model/plan.js';
import { formatBuildTable } from '../../src/reporters/build-table.js';
import { BuildProgress } from '../../src/reporters/progress.js';
import { makeStyle } from '../../src/reporters/style.js';

const item = (id: string, credits: number): PlanItem => ({
  kind: 'video', id, videoId: id, action: 'create', reasons: [], output: `out/${id}.mp4`, estimate: { seconds: 10, credits },
});

describe('the build table', () => {
  it('"awaiting review" (the longest result) keeps the credits column in line with the others', () => {
    const p = new BuildProgress([item('tour', 1.6), item('dub@fr', 0.02), item('intro', 2)], false);
    p.update({ type: 'status', id: 'tour', state: 'done' });
    p.update({ type: 'awaiting-review', id: 'dub@fr', language: 'fr', file: 'translations/dub.fr.srt', proofreadId: 'p1' });
    p.update({ type: 'status', id: 'intro', state: 'skipped' });
    const lines = formatBuildTable(p, makeStyle(false)).trimEnd().split('\n');
    expect(lines[2]).toContain('awaiting review');
    // Every row's last column starts where the header's "credits (est.)" does.
    const at = lines[0]!.indexOf('credits (est.)');
    expect(lines.slice(1).map((l) => l.search(/\S+( cr)?$|-$/))).toEqual(lines.slice(1).map(() => at));
  });

  it('counts what the build sent and did not see finish: left in flight by Ctrl-C, or rendered and not written; not what HeyGen failed or an earlier build sent', () => {
    const scenes = (id: string, credits: number[]): PlanItem => ({
      ...item(id, credits.reduce((a, b) => a + b, 0)),
      scenes: credits.map((c, index) => ({ index, key: `${id}${index}`, action: 'create' as const, reasons: [], estimate: { seconds: 10, credits: c } })),
    });
    const p = new BuildProgress([scenes('tour', [1, 2]), item('intro', 0.5), item('promo', 0.75), item('later', 3), item('again', 4)], false);
    // tour: its first clip sent, then Ctrl-C. intro: rendered, then the download failed here.
    p.update({ type: 'submitted', id: 'tour#1', remoteId: 'v1' });
    p.update({ type: 'status', id: 'tour', state: 'skipped', detail: 'interrupted' });
    p.update({ type: 'submitted', id: 'intro', remoteId: 'v2' });
    p.update({ type: 'failed', id: 'intro', code: 'E_DOWNLOAD_FAILED', message: 'the disk is full' });
    // promo: HeyGen failed the render (not charged). later: never sent. again: an earlier build's request, replayed.
    p.update({ type: 'submitted', id: 'promo', remoteId: 'v3' });
    p.update({ type: 'failed', id: 'promo', code: 'E_RENDER_FAILED', message: 'HeyGen failed it' });
    p.update({ type: 'status', id: 'later', state: 'skipped', detail: 'interrupted' });
    p.update({ type: 'submitted', id: 'again', remoteId: 'v4', replayed: true });
    p.update({ type: 'status', id: 'again', state: 'skipped', detail: 'interrupted' });
    const rows = formatBuildTable(p, makeStyle(false)).trimEnd().split('\n').map((l) => l.split(/\s{2,}/));
    expect(rows.slice(1)).toEqual([
      ['tour', 'left in flight', '1.00 cr'],
      ['intro', 'failed', '0.50 cr'],
      ['promo', 'failed', '-'],
      ['later', 'skipped', '-'],
      ['again', 'left in flight', '-'],
      ['', 'total', '1.50 cr'],
    ]);
  });
});
