// The human build reporter over a big plan: a 10k-row build sends ~4 status events per video, and on a
// TTY each one redraws the progress line. Prints the reporter's CPU per event, with and without a TTY
// (target: flat in the plan's size, i.e. the same per event at 1k and at 10k videos).
import { humanReporter } from '../dist/reporters/build-human.js';

function run(n, tty) {
  const stream = { isTTY: tty, rows: 40, columns: 120, write: () => true };
  const items = Array.from({ length: n }, (_, i) => ({ kind: 'video', id: `v${i}`, videoId: `v${i}`, action: 'create', reasons: [], output: `out/v${i}.mp4`, estimate: { seconds: 10, credits: 1 } }));
  const plan = { items, totals: { actions: { create: n, update: 0, unchanged: 0, orphan: 0, resume: 0, download: 0 }, seconds: 10 * n, credits: n } };
  const r = humanReporter(stream, { tty, color: false });
  const t = process.cpuUsage();
  r({ type: 'plan', provider: 'heygen', plan });
  let events = 1;
  for (const it of items) r({ type: 'status', id: it.id, state: 'queued' });
  for (const it of items) {
    for (const state of ['submitting', 'rendering', 'downloading', 'done']) r({ type: 'status', id: it.id, state });
    events += 4;
  }
  events += n;
  const u = process.cpuUsage(t);
  r.close();
  return (u.user + u.system) / events;
}

for (const tty of [false, true]) {
  const small = run(1000, tty);
  const big = run(10000, tty);
  console.log(
    `human build reporter${tty ? ' (TTY, redrawn per event)' : ''}: ${small.toFixed(1)} µs CPU per event at 1k videos, ${big.toFixed(1)} µs at 10k: ${(big / small).toFixed(2)}x  (target: at most about 1x: flat in the plan's size)`,
  );
}
