import { describe, expect, it } from 'vitest';
import { humanReporter } from '../../src/reporters/build-human.js';
import type { Plan } from '../../src/model/plan.js';

function fakeStream(tty: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY: tty, rows: 24, columns: 80, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

const plan: Plan = {
  items: ['a', 'b'].map((id) => ({ kind: 'video' as const, id, videoId: id, action: 'create' as const, reasons: [], output: `out/${id}.mp4`, estimate: { seconds: 10, credits: 1 } })),
  totals: { actions: { create: 2, update: 0, unchanged: 0, orphan: 0, resume: 0, download: 0 }, seconds: 20, credits: 2 },
};

describe('human build output', () => {
  it('without a TTY: one plain line per state change, no cursor movement', () => {
    const { stream, text } = fakeStream(false);
    const r = humanReporter(stream, { tty: false, color: false });
    r({ type: 'plan', provider: 'heygen', plan });
    r({ type: 'status', id: 'a', state: 'submitting' });
    r({ type: 'status', id: 'a', state: 'submitting' });
    r({ type: 'submitted', id: 'a', remoteId: 'r1' });
    r({ type: 'status', id: 'a', state: 'rendering' });
    r({ type: 'failed', id: 'b', code: 'E_X', message: 'boom' });
    r({ type: 'done', ok: false, interrupted: false, counts: { done: 1, rendered: 1, restored: 0, reused: 0, failed: 1, skipped: 0, unchanged: 0 }, seconds: 1 });
    const out = text();
    expect(out).not.toContain('\u001b[');
    expect(out.match(/^submitting a$/gm)).toHaveLength(1);
    expect(out).toMatch(/^rendering a$/m);
    expect(out).toMatch(/failed b \[E_X\] boom/);
    expect(out).toMatch(/Build failed: 1 rendered, 0 unchanged, 1 failed/);
  });

  it('on a TTY: a live line per active item with its state, redrawn in place, and an overall count', () => {
    const { stream, text } = fakeStream(true);
    const r = humanReporter(stream, { tty: true, color: false });
    r({ type: 'plan', provider: 'heygen', plan });
    r({ type: 'status', id: 'a', state: 'rendering', detail: 'r1' });
    r({ type: 'status', id: 'b', state: 'submitting' });
    const out = text();
    expect(out).toMatch(/rendering\s+a \d+s r1/);
    expect(out).toMatch(/submitting\s+b/);
    expect(out).toMatch(/0\/2 done/);
    expect(out).toContain('\u001b[2A'); // moved up to redraw the live lines
    r({ type: 'status', id: 'a', state: 'done' });
    expect(text()).toMatch(/1\/2 done/);
    r.close();
  });
});
