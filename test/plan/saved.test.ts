/** Saved plans: what `build --plan` reads, and what makes a plan as it is now go beyond the saved one. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSavedPlan, readSavedPlan, type SavedItem, type SavedPlan } from '../../src/plan/saved.js';

function file(content: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'hb-saved-')), 'plan.json');
  writeFileSync(f, content);
  return f;
}

const saved = (items: SavedItem[], provider = 'heygen'): SavedPlan => ({ display: 'plan.json', provider, credits: 3, items });
const stale = (s: SavedPlan, now: SavedItem[], provider = 'heygen'): string => {
  try {
    checkSavedPlan(s, provider, now);
    return '';
  } catch (e) {
    expect(e).toMatchObject({ code: 'E_PLAN_STALE' });
    return (e as Error).message;
  }
};

describe('reading a saved plan', () => {
  it('takes the plan --json document, and names the file and the fix for anything else', async () => {
    const doc = { format_version: 1, items: [{ id: 'intro', action: 'create', key: 'k1', scenes: [{ index: 0, key: 'c1', action: 'create' }] }], totals: { credits: 1.5 }, provider: 'heygen', warnings: [], notes: [] };
    await expect(readSavedPlan(file(JSON.stringify(doc)), 'plan.json')).resolves.toEqual({
      display: 'plan.json',
      provider: 'heygen',
      credits: 1.5,
      items: [{ id: 'intro', action: 'create', key: 'k1', scenes: [{ index: 0, key: 'c1', action: 'create' }] }],
    });
    const cases: [string, string][] = [
      ['Plan: 1 to create', 'it is not JSON'],
      [JSON.stringify({ error: { code: 'E_SCHEMA', message: 'x' } }), 'it is the error document of a plan that failed'],
      [JSON.stringify({ ...doc, format_version: 2 }), 'it is not a `plan --json` document of format_version 1'],
      [JSON.stringify({ ...doc, items: [{ id: 'intro' }] }), 'items[0] lacks its id, action or key'],
      [JSON.stringify({ ...doc, totals: { credits: -1 } }), 'its totals.credits is not a price'],
    ];
    for (const [content, why] of cases) {
      await expect(readSavedPlan(file(content), 'ci/plan.json')).rejects.toMatchObject({ code: 'E_PLAN_FILE', message: expect.stringContaining(`ci/plan.json: not a saved plan: ${why}`) as string });
    }
  });
});

describe('a plan against the saved one', () => {
  const base = saved([
    { id: 'intro', action: 'create', key: 'k1', scenes: [{ index: 0, key: 'c1', action: 'create' }, { index: 1, key: 'c2', action: 'reuse' }] },
    { id: 'tour', action: 'resume', key: 'k2' },
    { id: 'old', action: 'orphan', key: null },
  ]);

  it('passes the same plan, and less of it (a video built since is unchanged; a render resumed or restored is free)', () => {
    expect(stale(base, base.items)).toBe('');
    expect(stale(base, [{ id: 'intro', action: 'unchanged', key: 'k1' }, { id: 'tour', action: 'resume', key: 'k2' }])).toBe('');
    expect(stale(base, [{ id: 'intro', action: 'resume', key: 'k1', scenes: [{ index: 0, key: 'c1', action: 'resume' }] }])).toBe('');
    // An orphan dropped, or an unchanged video the saved plan never listed: nothing is built or paid.
    expect(stale(base, [{ id: 'gone', action: 'orphan', key: null }, { id: 'new', action: 'unchanged', key: 'k9' }])).toBe('');
  });

  it('refuses a new item, other content, a free item that became paid, a clip it did not render, another provider', () => {
    expect(stale(base, [{ id: 'extra', action: 'create', key: 'k3' }])).toContain('extra: create, not in the saved plan');
    expect(stale(base, [{ id: 'intro', action: 'update', key: 'k1b' }])).toContain("intro: update of other content than the saved plan's (key k1 then, k1b now");
    expect(stale(base, [{ id: 'tour', action: 'create', key: 'k2' }])).toContain('tour: would be paid for now (create), the saved plan had it free (resume)');
    const clip = stale(base, [{ id: 'intro', action: 'create', key: 'k1', scenes: [{ index: 0, key: 'c1', action: 'create' }, { index: 1, key: 'c2', action: 'create' }] }]);
    expect(clip).toContain('intro: scene 2 would be rendered (a new clip), the saved plan rendered no such clip');
    expect(clip).not.toContain('scene 1');
    expect(stale(base, base.items, 'local')).toContain('the saved plan is for heygen, this build for local');
  });

  it('lists every difference, at most 20 of them', () => {
    const now = Array.from({ length: 25 }, (_, i) => ({ id: `v${i}`, action: 'create', key: `k${i}` }));
    const message = stale(base, now);
    expect(message.match(/not in the saved plan/g)).toHaveLength(20);
    expect(message).toContain('… and 5 more');
  });
});
