// How plan time and memory grow with the project (issue #14 part 3): a whole `heygen-build plan`,
// cold (no .heygen/) then warm, over generated projects of 1,000, 10,000 and 50,000 manifests
// (BENCH_SCALE_SIZES), each in its own process: CPU time per manifest and peak RSS. Linear growth
// shows as a flat per-manifest cost; a super-linear step as one that climbs with the size.
// Runnable alone: `npm run build && node bench/run.js scale` (50k takes minutes on a busy machine).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeProject } from './project.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'heygen-build.js');
const cpuHook = fileURLToPath(new URL('./cpu.mjs', import.meta.url));
const rssHook = fileURLToPath(new URL('./maxrss.mjs', import.meta.url));
const env = { ...process.env, HEYGEN_API_KEY: '', CI: '', NO_COLOR: '1' };

/** CPU ms, wall ms and peak RSS (MB) of one whole-process plan. */
function run(dir) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', cpuHook, '--import', rssHook, bin, 'plan', '--provider', 'heygen'], { cwd: dir, env, maxBuffer: 1 << 30 });
  const ms = performance.now() - t;
  const err = String(r.stderr);
  if (r.status !== 0) throw new Error(`plan failed (${r.status}): ${err.slice(0, 500)}`);
  return { ms, cpu: Number(/cpu (\d+)/.exec(err)?.[1]), rss: Number(/maxrss (\d+)/.exec(err)?.[1]) / 1024 };
}

const sizes = (process.env.BENCH_SCALE_SIZES ?? '1000,10000,50000').split(',').map(Number);
const rows = [];
for (const n of sizes) {
  const dir = makeProject(n);
  try {
    const cold = run(dir);
    const warm = run(dir);
    rows.push({ n, cold, warm });
    const us = (x) => `${((x.cpu * 1000) / n).toFixed(0)} µs CPU/manifest`;
    console.log(
      `plan ${n} manifests: cold ${(cold.cpu / 1000).toFixed(2)} s CPU (${us(cold)}), peak RSS ${cold.rss.toFixed(0)} MB; ` +
        `warm ${(warm.cpu / 1000).toFixed(2)} s CPU (${us(warm)}), peak RSS ${warm.rss.toFixed(0)} MB  [wall ${(cold.ms / 1000).toFixed(1)} s / ${(warm.ms / 1000).toFixed(1)} s]`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
for (let i = 1; i < rows.length; i++) {
  const [a, b] = [rows[i - 1], rows[i]];
  const x = b.n / a.n;
  console.log(
    `${a.n} -> ${b.n} (${x}x the manifests): cold ${(b.cold.cpu / a.cold.cpu).toFixed(1)}x CPU, ${(b.cold.rss / a.cold.rss).toFixed(1)}x RSS; ` +
      `warm ${(b.warm.cpu / a.warm.cpu).toFixed(1)}x CPU, ${(b.warm.rss / a.warm.rss).toFixed(1)}x RSS  (linear: at most ${x}x; start-up makes small sizes cost more per manifest)`,
  );
}
