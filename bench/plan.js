// Plan cost per manifest, cold (nothing cached) and warm (nothing changed since the last plan),
// with the split (discover, read, parse, validate, resolve, lock, plan); then a whole
// `heygen-build plan` of examples/ with process start.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planProject } from '../dist/api/plan.js';
import { mainThreadCpuMs, makeProject, writeBuiltLockfile } from './project.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

function fmt(ms, n) {
  return `${(ms / 1000).toFixed(2)} s total, ${((ms * 1000) / n).toFixed(0)} µs/manifest`;
}

async function timePlan(dir, env) {
  const t = performance.now();
  const c = process.cpuUsage();
  const m = mainThreadCpuMs();
  const r = await planProject({ cwd: dir, env, provider: 'heygen' }, undefined);
  const total = performance.now() - t;
  const used = process.cpuUsage(c);
  if (!r.plan) throw new Error(`bench project invalid: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
  return { total, r, cpu: (used.user + used.system) / 1000, main: mainThreadCpuMs() - m };
}

// On three cores or more a cold load uses worker threads from 1,000 manifests on (src/manifest/load/threshold.ts): the
// process's CPU then adds theirs, and the main thread's is what an idle machine waits for.
const cpus = (x) => `CPU ${(x.cpu / 1000).toFixed(2)} s, main thread ${(x.main / 1000).toFixed(2)} s`;

const sizes = (process.env.BENCH_PLAN_SIZES ?? '1000,10000').split(',').map(Number);
for (const n of sizes) {
  const dir = makeProject(n);
  const env = {};
  rmSync(join(dir, '.heygen'), { recursive: true, force: true });
  const cold = await timePlan(dir, env);
  const warm = await timePlan(dir, env);
  const s = (x) => Object.entries(x.r.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}s`).join(', ');
  console.log(`plan ${n} manifests, cold: ${fmt(cold.total, n)}  [${s(cold)}] ${cpus(cold)}  (target for 10k: < 6 s)`);
  console.log(`plan ${n} manifests, warm: ${fmt(warm.total, n)}  [${s(warm)}] cache hits ${warm.r.cacheHits}/${n}  (target for 10k: < 1 s)`);
  console.log(`warm/cold ratio: ${(warm.total / cold.total).toFixed(3)}`);
  // As after a build: every video in the lockfile and its output on disk.
  const bytes = await writeBuiltLockfile(dir, warm.r.specs);
  const built = await timePlan(dir, env);
  console.log(`plan ${n} manifests, warm, first plan after a build (${n} lockfile entries, outputs on disk): ${fmt(built.total, n)}  [${s(built)}] unchanged ${built.r.plan.totals.actions.unchanged}  (target for 10k: < 0.6 s)`);
  // The next plan, as every plan until the lockfile changes again: the parsed lockfile comes from .heygen/cache.
  const again = await timePlan(dir, env);
  console.log(`plan ${n} manifests, warm, the next plan after that build: ${fmt(again.total, n)}  [${s(again)}] unchanged ${again.r.plan.totals.actions.unchanged}  (target for 10k: < 0.6 s)`);
  console.log(`lockfile of ${n} completed videos: ${(bytes / 1e6).toFixed(1)} MB, ${(bytes / n).toFixed(0)} bytes per video  (target < 1024)`);
  rmSync(dir, { recursive: true, force: true });
}

// The whole CLI, process start included, on the examples (warm: the cache exists after the first run).
const bin = join(repo, 'bin', 'heygen-build.js');
const env = { ...process.env, HEYGEN_API_KEY: '', CI: '' };
spawnSync(process.execPath, [bin, 'plan'], { cwd: repo, env });
const runs = [];
for (let i = 0; i < 7; i++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, 'plan'], { cwd: repo, env });
  runs.push(performance.now() - t);
  if (r.status !== 0) throw new Error(`plan failed: ${r.stderr}`);
}
runs.sort((a, b) => a - b);
console.log(`npx heygen-build plan (examples, process start included): median ${runs[3].toFixed(0)} ms, min ${runs[0].toFixed(0)} ms  (target < 400 ms)`);
