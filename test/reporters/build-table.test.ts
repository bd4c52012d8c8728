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
});
