/**
 * A video the remote store has is not "2 of 2 scenes to render": found whole, the plan says no scene is
 * rendered (the output comes from the store); with some of its clips found, those are counted as from the
 * store, apart from the scenes still to render.
 */
import { describe, expect, it } from 'vitest';
import { emptyLockfile } from '../../src/model/lock.js';
import { plan } from '../../src/plan/plan.js';
import { markRestores, RESTORE_REASON, WHOLE_FROM_STORE } from '../../src/remote/plan-records.js';
import { makeSpec } from '../helpers/specs.js';

const tour = makeSpec('tour', {
  scenes: ['One', 'Two', 'Three'].map((w) => ({ input: { type: 'script' as const, text: `Scene ${w} of the tour, from the store.` } })),
});
/** A fresh clone's plan: no lockfile, nothing on disk, every scene a new clip. */
const fresh = plan({ specs: [tour], lock: emptyLockfile(), outputs: new Map(), engine: 'avatar_iv', scenes: true });
const item = fresh.items[0]!;

describe('a composed video the remote store has', () => {
  it('as planned without the store: 3 of 3 scenes to render', () => {
    expect(item.reasons).toContain('3 of 3 scenes to render');
  });

  it('found whole: restored from the store, no scene counted as to render', () => {
    const out = markRestores(fresh, new Set([item.key!])).items[0]!;
    expect(out.reasons[0]).toBe(RESTORE_REASON);
    expect(out.reasons).toContain(WHOLE_FROM_STORE);
    expect(out.reasons.join('\n')).not.toMatch(/\d+ of \d+ scenes? to render/);
    expect(out.estimate.credits).toBe(0);
  });

  it('two of its three clips found: 1 of 3 scenes to render, 2 from the store', () => {
    const keys = item.scenes!.slice(0, 2).map((s) => s.key!);
    const out = markRestores(fresh, new Set(keys)).items[0]!;
    expect(out.reasons).toContain('1 of 3 scenes to render, 2 from the remote store');
    expect(out.reasons).not.toContain('3 of 3 scenes to render');
    expect(out.estimate.credits).toBe(item.scenes![2]!.estimate.credits);
  });

  it('every clip found: recompose only, nothing to render', () => {
    const out = markRestores(fresh, new Set(item.scenes!.map((s) => s.key!))).items[0]!;
    expect(out.reasons).toContain('recompose only (0 of 3 scenes to render, 3 from the remote store)');
    expect(out.estimate.credits).toBe(0);
  });
});
