// Where the CPU of a warm `plan` planned in full goes (no snapshot: the first plan after a build or an
// edit), phase by phase, and what keeping the plan snapshot adds to it. In process, with
// performance.now() answering CPU time, so each phase's own timing is CPU (the machine is shared:
// wall time there says how busy it was). Medians of BENCH_SPLIT_RUNS runs after one untimed run.
// Runnable alone: `node --expose-gc bench/run.js warm-split` (after `npm run build`).
import { spawnSync } from 'node:child_process';
import { rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planProject } from '../dist/api/plan.js';
import { runPlanFull } from '../dist/cli/plan-full.js';
import { startTrace } from '../dist/plan-cache/trace.js';
import { readSnapshot, snapshotOf, SNAPSHOT_FILE, staleReason, writeSnapshot } from '../dist/plan-cache/snapshot.js';
import { makeProject, writeBuiltLockfile } from './project.js';

const n = Number(process.env.BENCH_SPLIT_SIZE ?? 10000);
const runs = Number(process.env.BENCH_SPLIT_RUNS ?? 7);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const gc = () => globalThis.gc?.();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

/** `heygen-build plan --no-snapshot` in this process, its output thrown away. */
async function quietly(fn) {
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = () => true;
  process.stderr.write = () => true;
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Medians of each phase's CPU over `runs` plans (one untimed first). */
async function split(dir) {
  const real = performance.now;
  performance.now = cpuMs;
  try {
    await planProject({ cwd: dir, env: {}, provider: 'heygen' });
    const rows = [];
    for (let i = 0; i < runs; i++) {
      gc();
      const t = cpuMs();
      const r = await planProject({ cwd: dir, env: {}, provider: 'heygen' });
      rows.push({ total: cpuMs() - t, ...r.timings });
    }
    return Object.fromEntries(Object.keys(rows[0]).map((k) => [k, median(rows.map((r) => r[k]))]));
  } finally {
    performance.now = real;
  }
}

/** A full plan as the CLI runs it, then the same traced and kept as a snapshot: the parts of the difference. */
async function keeping(dir) {
  const opts = { provider: 'heygen', cwd: dir };
  const file = join(dir, SNAPSHOT_FILE);
  await quietly(() => runPlanFull([], { ...opts, snapshot: false }));
  const rows = [];
  for (let i = 0; i < runs; i++) {
    gc();
    let t = cpuMs();
    await quietly(() => runPlanFull([], { ...opts, snapshot: false }));
    const full = cpuMs() - t;
    gc();
    t = cpuMs();
    // The project was written a moment ago: the clock moved on, as the tests do, so no stamp is "racy".
    const since = Date.now() + 60_000;
    const trace = startTrace();
    try {
      await quietly(() => runPlanFull([], opts));
    } finally {
      trace.stop();
    }
    const traced = cpuMs() - t;
    t = cpuMs();
    const rec = { request: 'bench', since, paths: trace.paths, env: trace.env, stamps: trace.stamps, written: trace.written, dirs: trace.dirs, writes: [], exit: 0 };
    const data = snapshotOf(rec, process.env, file);
    const stamp = cpuMs() - t;
    if (typeof data === 'string') throw new Error(`snapshot not kept: ${data}`);
    t = cpuMs();
    await writeSnapshot(file, data);
    const write = cpuMs() - t;
    // The next plan after a build: the check of this snapshot, which finds the lockfile changed.
    const lockfile = join(dir, 'heygen.lock.yaml');
    utimesSync(lockfile, new Date(), new Date());
    t = cpuMs();
    const why = staleReason(readSnapshot(file), 'bench', process.env);
    const check = cpuMs() - t;
    if (why !== `${lockfile} changed`) throw new Error(`unexpected miss: ${why}`);
    rows.push({ full, trace: traced - full, stamp, write, check, inputs: data.files.length, stamped: trace.stamps.size });
  }
  return Object.fromEntries(Object.keys(rows[0]).map((k) => [k, median(rows.map((r) => r[k]))]));
}

/** CPU of a process that only loads the CLI's `plan` modules, and of `node -e 0`. */
function startup() {
  const cpuHook = fileURLToPath(new URL('./cpu.mjs', import.meta.url));
  const full = fileURLToPath(new URL('../dist/cli/plan-full.js', import.meta.url));
  const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const one = (args) => Number(/cpu (\d+)\s*$/.exec(String(spawnSync(process.execPath, ['--import', cpuHook, ...args]).stderr))?.[1] ?? NaN);
  const of = (args) => median(Array.from({ length: 5 }, () => one(args)));
  return { node: of(['-e', '0']), modules: of(['--input-type=module', '-e', `await import(${JSON.stringify(main)}); await import(${JSON.stringify(full)});`]) };
}

const line = (what, s) => {
  const known = s.read + s.resolve + s.discover + s.state + s.plan + s.checks;
  console.log(
    `${what}: ${ms(s.total)} CPU in process (JIT warm) = read and hash ${ms(s.read)}, discover ${ms(s.discover)}, ` +
      `manifest cache and hits ${ms(s.resolve)}, lockfile and output stats ${ms(s.state)}, planner ${ms(s.plan)}, checks ${ms(s.checks)}, ` +
      `config, languages, provider and the rest ${ms(s.total - known)}`,
  );
};

const dir = makeProject(n);
try {
  const st = startup();
  console.log(`start-up: node ${ms(st.node)} CPU; loading the plan's modules ${ms(st.modules - st.node)} more`);
  rmSync(join(dir, '.heygen'), { recursive: true, force: true });
  const cold = await planProject({ cwd: dir, env: {}, provider: 'heygen' });
  line(`warm ${n}, planned in full`, await split(dir));
  await writeBuiltLockfile(dir, cold.specs);
  line(`warm ${n}, ${n}-entry lockfile and every output on disk, planned in full`, await split(dir));
  const k = await keeping(dir);
  console.log(
    `keeping the plan snapshot (the first plan after a build): ${ms(k.full)} CPU in full, then ${ms(k.trace + k.stamp + k.write)} more = ` +
      `the trace ${ms(k.trace)}, stamping the ${k.inputs} inputs (${k.stamped} stamped by the plan's own stats) ${ms(k.stamp)}, writing it ${ms(k.write)}; ` +
      `the next plan after a build finds it stale in ${ms(k.check)} (reading it and checking stamps until the changed lockfile)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
