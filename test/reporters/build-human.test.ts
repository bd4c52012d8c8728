import { afterEach, describe, expect, it, vi } from 'vitest';
import { humanReporter } from '../../src/reporters/build-human.js';
import type { BuildEvent } from '../../src/execute/events.js';
import type { Plan, PlanItem } from '../../src/model/plan.js';
import { replay } from '../helpers/screen.js';

function fakeStream(tty: boolean, columns = 80, rows = 24) {
  const chunks: string[] = [];
  const stream = { isTTY: tty, rows, columns, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

function item(id: string, over: Partial<PlanItem> = {}): PlanItem {
  return { kind: 'video', id, videoId: id.split('@')[0]!, action: 'create', reasons: [], output: `out/${id}.mp4`, estimate: { seconds: 10, credits: 1 }, ...over };
}

function planOf(items: PlanItem[]): Plan {
  const actions = { create: 0, update: 0, unchanged: 0, orphan: 0, resume: 0, download: 0 };
  for (const i of items) actions[i.action]++;
  return { items, totals: { actions, seconds: items.reduce((s, i) => s + i.estimate.seconds, 0), credits: items.reduce((s, i) => s + i.estimate.credits, 0) } };
}

const plan = planOf([item('a'), item('b')]);
const counts = { done: 1, rendered: 1, restored: 0, reused: 0, adopted: 0, failed: 1, skipped: 0, unchanged: 0, detached: 0 };

afterEach(() => {
  vi.useRealTimers();
});

describe('human build output without a TTY', () => {
  it('prints one plain line per state change, no cursor movement', () => {
    const { stream, text } = fakeStream(false);
    const r = humanReporter(stream, { tty: false, color: false });
    r({ type: 'plan', provider: 'heygen', plan });
    r({ type: 'status', id: 'a', state: 'submitting' });
    r({ type: 'status', id: 'a', state: 'submitting' });
    r({ type: 'submitted', id: 'a', remoteId: 'r1' });
    r({ type: 'status', id: 'a', state: 'rendering' });
    r({ type: 'failed', id: 'b', code: 'E_X', message: 'boom' });
    r({ type: 'done', ok: false, interrupted: false, counts, seconds: 1 });
    const out = text();
    expect(out).not.toContain('\u001b[');
    expect(out.match(/^submitting a$/gm)).toHaveLength(1);
    expect(out).toMatch(/^rendering a$/m);
    expect(out).toMatch(/failed b \[E_X\] boom/);
    expect(out).toMatch(/Build failed: 1 rendered, 0 unchanged, 1 failed/);
  });

  it('says every 30 s what is still in flight, with how long it has been in that state', () => {
    vi.useFakeTimers({ now: 0 });
    const { stream, text } = fakeStream(false);
    const r = humanReporter(stream, { tty: false, color: false });
    r({ type: 'plan', provider: 'heygen', plan: planOf([item('onboarding'), item('intro')]) });
    r({ type: 'status', id: 'onboarding', state: 'queued' });
    vi.advanceTimersByTime(30_000);
    expect(text()).not.toMatch(/still/); // queued is not in flight
    vi.advanceTimersByTime(20_000);
    r({ type: 'status', id: 'onboarding', state: 'rendering', detail: 'v1' });
    vi.advanceTimersByTime(9_999);
    expect(text()).not.toMatch(/still/);
    vi.advanceTimersByTime(1);
    expect(text()).toMatch(/^still rendering onboarding \[10s\]$/m);
    vi.advanceTimersByTime(300_000);
    expect(text()).toMatch(/^still rendering onboarding \[5m10s\]$/m);
    expect(text()).toMatch(/^\[0\/2\] rendering 1 · 0 done/m);
    r({ type: 'status', id: 'onboarding', state: 'done' });
    const before = text().length;
    vi.advanceTimersByTime(60_000);
    expect(text().length).toBe(before); // nothing in flight: silent
    r.close();
  });

  it('the heartbeat interval can be set', () => {
    vi.useFakeTimers({ now: 0 });
    const { stream, text } = fakeStream(false);
    const r = humanReporter(stream, { tty: false, color: false, heartbeatMs: 5000 });
    r({ type: 'plan', provider: 'local', plan });
    r({ type: 'status', id: 'a', state: 'rendering', detail: 'draft' });
    vi.advanceTimersByTime(5000);
    expect(text()).toMatch(/^still rendering a \[5s\]$/m);
    r({ type: 'done', ok: true, interrupted: false, counts, seconds: 5 });
    const before = text().length;
    vi.advanceTimersByTime(60_000);
    expect(text().length).toBe(before); // the build is over: no more heartbeats
  });

  it('ends with a table of what was rendered, restored, reused and failed, with the credits of the renders', () => {
    const { stream, text } = fakeStream(false);
    const r = humanReporter(stream, { tty: false, color: false });
    const items = [item('intro', { estimate: { seconds: 30, credits: 1.5 } }), item('outro', { action: 'download' }), item('intro@fr', { kind: 'translation', estimate: { seconds: 30, credits: 2 } }), item('broken'), item('same', { action: 'unchanged' })];
    r({ type: 'plan', provider: 'heygen', plan: planOf(items) });
    r({ type: 'status', id: 'intro', state: 'done' });
    r({ type: 'downloaded', id: 'outro', path: 'out/outro.mp4', size: 2_400_000, sha256: 'x' });
    r({ type: 'status', id: 'outro', state: 'done' });
    r({ type: 'status', id: 'intro@fr', state: 'done' });
    r({ type: 'failed', id: 'broken', code: 'E_RENDER_FAILED', message: 'no' });
    r({ type: 'done', ok: false, interrupted: false, counts: { done: 3, rendered: 2, restored: 1, reused: 0, adopted: 0, failed: 1, skipped: 0, unchanged: 1, detached: 0 }, seconds: 3 });
    const out = text();
    expect(out).toMatch(/saved outro -> out\/outro.mp4 2.4 MB/);
    expect(out).toMatch(/^item\s+result\s+credits \(est\.\)$/m);
    expect(out).toMatch(/^intro\s+rendered\s+1.50 cr$/m);
    expect(out).toMatch(/^outro\s+restored\s+-$/m);
    expect(out).toMatch(/^intro@fr\s+rendered\s+2.00 cr$/m);
    expect(out).toMatch(/^broken\s+failed\s+-$/m);
    expect(out).toMatch(/^\s+total\s+3.50 cr$/m);
    expect(out).not.toMatch(/^same\s/m); // unchanged items are in the summary line, not the table
  });

  it('a job adopted from another machine\'s claim says so and counts no credits: whole, or a video\'s every paid scene; a partly adopted video counts its own scenes', () => {
    vi.useFakeTimers({ now: 0 });
    const { stream, text } = fakeStream(false);
    const r = humanReporter(stream, { tty: false, color: false, heartbeatMs: 1000 });
    const scene = (index: number, credits: number) => ({ index, key: `k${index}`, action: 'create' as const, reasons: [], estimate: { seconds: 10, credits } });
    const items = [
      item('intro', { estimate: { seconds: 20, credits: 2 }, scenes: [scene(0, 1), scene(1, 1)] }),
      item('tour', { estimate: { seconds: 20, credits: 2 }, scenes: [scene(0, 1.25), scene(1, 0.75)] }),
      item('intro@es', { kind: 'translation', estimate: { seconds: 20, credits: 1 } }),
      item('outro', { estimate: { seconds: 10, credits: 0.5 } }),
      item('store', { estimate: { seconds: 10, credits: 0.25 } }),
    ];
    r({ type: 'plan', provider: 'heygen', plan: planOf(items) });
    const since = '2026-12-02T02:00:00.000Z';
    r({ type: 'adopted', id: 'intro#1', remoteId: 'r1', job: 'runner-7:4242', since });
    r({ type: 'adopted', id: 'intro#2', remoteId: 'r2', job: 'runner-7:4242', since });
    r({ type: 'status', id: 'intro', state: 'done', detail: 'composed' });
    r({ type: 'adopted', id: 'tour#1', remoteId: 'r3', job: 'runner-7:4242', since });
    r({ type: 'status', id: 'tour', state: 'done', detail: 'composed' });
    r({ type: 'adopted', id: 'intro@es', remoteId: 'r4', job: 'runner-7:4242', since });
    r({ type: 'status', id: 'intro@es', state: 'done' });
    r({ type: 'status', id: 'store', state: 'done', detail: 'from the remote store' });
    r({ type: 'status', id: 'outro', state: 'rendering' });
    vi.advanceTimersByTime(1000);
    // Spent: tour's own scene (0.75); planned: that plus outro's 0.5 (1.25), which this build still renders.
    expect(text()).toMatch(/^\[4\/5\] rendering 1 · 4 done · 0\.8 cr spent of ~1\.3 · ETA \d+s$/m);
    r({ type: 'status', id: 'outro', state: 'done' });
    r({ type: 'done', ok: true, interrupted: false, counts: { ...counts, done: 5, rendered: 2, restored: 1, adopted: 2, failed: 0 }, seconds: 1 });
    const out = text();
    expect(out).toContain(`adopted intro#1 adopting runner-7:4242's render r1 (claimed ${since}): not submitted again, and its credits are that machine's`);
    expect(out).not.toMatch(/^warning/m);
    expect(out).toMatch(/^intro\s+adopted\s+-$/m);
    expect(out).toMatch(/^tour\s+rendered\s+0\.75 cr$/m);
    expect(out).toMatch(/^intro@es\s+adopted\s+-$/m);
    expect(out).toMatch(/^store\s+restored\s+-$/m);
    expect(out).toMatch(/^outro\s+rendered\s+0\.50 cr$/m);
    expect(out).toMatch(/^\s+total\s+1\.25 cr$/m);
    expect(out).toMatch(/Build complete: 2 rendered, 1 restored, 2 adopted, 0 unchanged, 0 failed/);
    r.close();
  });

  it('drafts: the table tells rendered from reused, and has no credits', () => {
    const { stream, text } = fakeStream(false);
    const r = humanReporter(stream, { tty: false, color: false });
    r({ type: 'plan', provider: 'local', plan: planOf([item('a'), item('b')]) });
    r({ type: 'downloaded', id: 'a', path: 'out/a.mp4', size: 800, sha256: 'x', cached: false });
    r({ type: 'status', id: 'a', state: 'done' });
    r({ type: 'downloaded', id: 'b', path: 'out/b.mp4', size: 340_000, sha256: 'x', cached: true });
    r({ type: 'status', id: 'b', state: 'done' });
    r({ type: 'done', ok: true, interrupted: false, counts: { ...counts, failed: 0, reused: 1 }, seconds: 1 });
    const out = text();
    expect(out).toMatch(/saved a -> out\/a.mp4 800 B/);
    expect(out).toMatch(/saved b -> out\/b.mp4 340 KB, unchanged draft/);
    expect(out).toMatch(/^a\s+rendered$/m);
    expect(out).toMatch(/^b\s+reused$/m);
    expect(out).not.toMatch(/\d cr\b|credits \(est/);
  });
});

describe('human build output on a TTY', () => {
  it('a live line per active job and a progress line with counts, credits and an ETA, redrawn in place', () => {
    vi.useFakeTimers({ now: 0 });
    const { stream, text } = fakeStream(true);
    const r = humanReporter(stream, { tty: true, color: false });
    const items = ['a', 'b', 'c', 'd'].map((id) => item(id, { estimate: { seconds: 60, credits: 2.5 } }));
    r({ type: 'plan', provider: 'heygen', plan: planOf(items) });
    r({ type: 'status', id: 'a', state: 'rendering', detail: 'r1' });
    r({ type: 'status', id: 'b', state: 'submitting' });
    expect(text()).toMatch(/rendering\s+a 0s r1/);
    expect(text()).toMatch(/submitting\s+b/);
    expect(text()).toMatch(/\[0\/4\] submitting 1 · rendering 1 · 0 done · 0.0 cr spent of ~10.0$/m);
    expect(text()).toContain('\u001b[2A'); // moved up over the last block (a job and the progress line) to redraw it
    vi.advanceTimersByTime(120_000);
    r({ type: 'status', id: 'a', state: 'downloading' });
    r({ type: 'status', id: 'a', state: 'done' });
    // One of four equal items took 2 minutes: three more take about 6.
    expect(text()).toMatch(/\[1\/4\] submitting 1 · 1 done · 2.5 cr spent of ~10.0 · ETA 6m$/m);
    r.close();
  });

  it("a video's scene clips leave the block when the video moves on, and only its own", () => {
    const { stream, text } = fakeStream(true, 80, 24);
    const r = humanReporter(stream, { tty: true, color: false });
    r({ type: 'plan', provider: 'heygen', plan: planOf([item('intro'), item('intro-2')]) });
    for (const id of ['intro#1', 'intro#2', 'intro-2#1']) r({ type: 'status', id, state: 'rendering' });
    r({ type: 'status', id: 'intro', state: 'downloading' });
    const screen = replay(text(), 80).filter((l) => l !== '');
    const block = screen.filter((l) => l.startsWith('  ') && !l.startsWith('  +'));
    expect(block.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['rendering intro-2#1', 'downloading intro']);
    r.close();
  });

  it('on a short terminal the block fits the screen: the jobs that do not fit are counted', () => {
    const { stream, text } = fakeStream(true, 80, 8);
    const r = humanReporter(stream, { tty: true, color: false });
    const ids = Array.from({ length: 12 }, (_, i) => `v${i}`);
    r({ type: 'plan', provider: 'local', plan: planOf(ids.map((id) => item(id))) });
    for (const id of ids) r({ type: 'status', id, state: 'rendering', detail: 'draft' });
    const screen = replay(text(), 80).filter((l) => l !== '');
    const block = screen.slice(screen.findIndex((l) => /^Offline drafts/.test(l)) + 1);
    expect(block).toEqual(['  rendering   v0 0s draft', '  rendering   v1 0s draft', '  rendering   v2 0s draft', '  rendering   v3 0s draft', '  … and 8 more', '[0/12] rendering 12 · 0 done']);
    r.close();
  });

  it('on a narrow terminal lines are cut to its width, so redrawing leaves no stale lines behind', () => {
    vi.useFakeTimers({ now: 0 });
    const columns = 30;
    const { stream, text } = fakeStream(true, columns);
    const r = humanReporter(stream, { tty: true, color: true });
    const ids = ['a-very-long-video-identifier-one', 'a-very-long-video-identifier-two'];
    r({ type: 'plan', provider: 'heygen', plan: planOf(ids.map((id) => item(id))) });
    const events: BuildEvent[] = [
      { type: 'status', id: ids[0]!, state: 'submitting' },
      { type: 'status', id: ids[1]!, state: 'submitting' },
      { type: 'status', id: ids[0]!, state: 'rendering', detail: 'remote-id-0123456789' },
      { type: 'status', id: ids[1]!, state: 'rendering', detail: 'remote-id-9876543210' },
      { type: 'status', id: ids[0]!, state: 'done' },
    ];
    for (const e of events) {
      r(e);
      vi.advanceTimersByTime(1000);
    }
    const screen = replay(text(), columns).filter((l) => l !== '');
    // What stays on screen: the plan (logged once) and the current live block, nothing of earlier blocks.
    const live = screen.slice(screen.findIndex((l) => / cr\.$/.test(l)) + 1);
    expect(live).toHaveLength(2);
    expect(live[0]).toMatch(/^ {2}rendering {3}a-very-long-vi…$/);
    expect(live[1]).toMatch(/^\[1\/2\] rendering 1 · 1 done ·…$/);
    r.close();
  });
});
