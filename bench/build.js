// HeyGen builds against the emulator: 200 one-scene videos over a color background (HeyGen composites
// them, so each clip is its video: no local composition), 50 ms latency, HeyGen's 10-job cap.
// Prints wall time against the ideal (videos / 10 x render time), where the render slots sat idle
// (timeline.js: before the first submit, per hand-over, after the last render), HTTP requests per video
// (polls included), and the peak RSS of a build downloading one 200 MB video.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../dist/emulator/index.js';
import { formatIdle, idleReport, recorder } from './timeline.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'heygen-build.js');
const KEY = 'bench-key';

// `run` makes each build's scripts its own: the emulator keeps its jobs, and the same content would replay
// an earlier build's jobs (their Idempotency-Keys) instead of rendering.
function project(n, poll, run = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-build-'));
  mkdirSync(join(dir, 'videos'), { recursive: true });
  writeFileSync(
    join(dir, 'heygen.config.mjs'),
    `export default { manifests: ['videos/*.yaml'], heygen: { concurrency: 10, poll: ${JSON.stringify(poll)} }, voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' } };\n`,
  );
  for (let i = 0; i < n; i++) {
    writeFileSync(join(dir, 'videos', `v${i}.yaml`), `avatar: Daisy-inskirt-20220818\nvoice: narrator\nbackground: "#112233"\nscenes:\n  - script: Video number ${i} of run ${run} says hello to the benchmark.\n`);
  }
  return dir;
}

// The build process's CPU (user + system, ms) read from /proc while it runs; NaN where there is no /proc.
let running;
function cpuOfRunning() {
  try {
    const f = readFileSync(`/proc/${running}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ, 100 on Linux)
  } catch {
    return NaN;
  }
}

// The emulator lives in this process, so the build must run asynchronously beside it.
function run(dir, emu, extra = [], command = 'build') {
  const env = { ...process.env, HEYGEN_API_KEY: KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url, CI: '' };
  const t = performance.now();
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const hook = fileURLToPath(new URL('./maxrss.mjs', import.meta.url));
    const child = spawn(process.execPath, ['--import', hook, bin, command, ...extra], { cwd: dir, env });
    running = child.pid;
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const ms = performance.now() - t;
      if (code !== 0) return reject(new Error(`build failed (${code}): ${out.slice(-2000)} ${err.slice(-2000)}`));
      resolve({ ms, start, end: Date.now(), rssMb: Number(/maxrss (\d+)/.exec(err)[1]) / 1024, lockReads: Number(/lockreads (\d+)/.exec(err)[1]), cpu: Number(/cpu ([\d.]+)/.exec(err)?.[1] ?? NaN) });
    });
  });
}

// 1. Throughput: renders take 1 s in the emulator; polling is scaled to match (real renders take
//    minutes and poll every 2-30 s: the same ratio of poll interval to render time).
const N = 200;
const RENDER_MS = 1000;
const LATENCY_MS = 50;
const rec = recorder();
// The CPU the build spent before its first paid POST was answered (start-up, manifests, plan, checks, lookups):
// on a shared machine the wall time before the first submit mostly measures the other processes.
let cpuBeforeSubmit = NaN;
const onRequest = (r) => {
  rec.onRequest(r);
  if (Number.isNaN(cpuBeforeSubmit) && r.method === 'POST' && r.path === '/v3/videos') cpuBeforeSubmit = cpuOfRunning();
};
const emu = await startEmulator({ apiKey: KEY, renderMs: RENDER_MS, latencyMs: LATENCY_MS, concurrency: 10, onRequest });
const ideal = (N / 10) * RENDER_MS;
// One build's ratio moves by +-0.02 with the machine's load: the line's figure is the median of RUNS builds
// (each over a fresh project: a CI checkout has no .heygen/), and the split below is the last one's.
const RUNS = Math.max(1, Number(process.env.BUILD_RUNS ?? 3));
const ratios = [];
for (let i = 1; i < RUNS; i++) {
  const d = project(N, { minMs: 100, maxMs: 400, timeoutMs: 120000 }, i);
  ratios.push((await run(d, emu)).ms / ideal);
  rmSync(d, { recursive: true, force: true });
  emu.reset();
}
cpuBeforeSubmit = NaN;
const dir = project(N, { minMs: 100, maxMs: 400, timeoutMs: 120000 }, RUNS);
const r1 = await run(dir, emu);
ratios.push(r1.ms / ideal);
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
const requests = emu.requests.length;
const byKind = {};
for (const q of emu.requests) {
  const k = `${q.method} ${q.path.replace(/\/[0-9a-f]{16,}.*$/, '/{id}').replace(/^\/files\/.*/, '/files/{id}')}`;
  byKind[k] = (byKind[k] ?? 0) + 1;
}
const idle = idleReport(emu, rec.endOf, { start: r1.start, end: r1.end, cap: 10 });
console.log(
  `build ${N} videos, 10-job cap, ${RENDER_MS} ms renders, ${LATENCY_MS} ms latency: ideal ${(ideal / 1000).toFixed(1)} s; ` +
    `ratio ${median.toFixed(3)}x, the median of ${RUNS} builds (${ratios.map((r) => r.toFixed(3)).join(', ')}) (target <= 1.1x)`,
);
console.log(`  the last of them, split below: ${(r1.ms / 1000).toFixed(2)} s, ${(r1.ms / ideal).toFixed(3)}x`);
console.log(`  CPU of the build process: ${r1.cpu.toFixed(2)} s (${((r1.cpu * 1000) / N).toFixed(1)} ms per video; ffprobe and ffmpeg children not counted)`);
console.log(`  CPU of the build process until its first submit was answered: ${Math.round(cpuBeforeSubmit)} ms (10 ms resolution; target <= 400 ms: the 500 ms before the first submit less the lookups' two round trips)`);
console.log(`  from the first submit to exit: ${((r1.end - r1.start - idle.firstSubmit) / 1000).toFixed(2)} s, ${((r1.end - r1.start - idle.firstSubmit) / ideal).toFixed(3)}x the ideal`);
console.log(formatIdle(idle));
// The 1.1x target leaves 2 s over the ideal's 20 s. Each slot hands over N/10 - 1 = 19 times, and each hand-over
// pays the API's latency (accept, 50 ms: ~1 s in all, the floor); the rest is split between the start, the
// hand-overs' detect + react, and the tail.
const rounds = N / 10 - 1;
const budget = { first: 500, handover: 15, tail: 250 };
console.log(
  `  split against the 1.1x budget: first submit ${Math.round(idle.firstSubmit)} ms (target <= ${budget.first} ms) · ` +
    `per hand-over detect + react ${Math.round(idle.detect + idle.react)} ms (target <= ${budget.handover} ms; + accept ${Math.round(idle.accept)} ms, the API's latency) · ` +
    `tail ${Math.round(idle.tail)} ms (target <= ${budget.tail} ms) · ` +
    `over the ideal: ${((idle.firstSubmit + rounds * (idle.detect + idle.react + idle.accept) + idle.tail) / 1000).toFixed(2)} s of the 2.00 s allowed`,
);
// The free lookups the first submit waits for (credits, the look and voice by id): how many round trips they
// take one after another. A wave is the requests sent before the first answer of the wave before them came back.
const firstPost = Math.min(...emu.requests.filter((q) => q.method === 'POST').map((q) => q.at));
const lookups = emu.requests.filter((q) => q.method === 'GET' && q.at < firstPost).sort((a, b) => a.at - b.at);
let waves = 0;
let waveEnd = -Infinity;
for (const q of lookups) {
  if (q.at >= waveEnd) {
    waves++;
    waveEnd = rec.endOf(q);
  } else waveEnd = Math.min(waveEnd, rec.endOf(q));
}
console.log(`  lookups before the first submit: ${lookups.length} GETs in ${waves} round trip${waves === 1 ? '' : 's'} (target 1: no cached catalog, so the look and the voice by id beside the credits; the lists follow the first POST)`);
// What HeyGen itself costs at this latency, whatever the client does: the renders (the ideal), and one round
// trip for each step that cannot overlap a render: the checks' lookups before the first submit (one wave),
// each slot's submits (a job starts when its POST arrives), and the last file's download. (A status poll
// can leave before the render ends, so detection has no floor; nor has the last URL, when it comes with it.)
const floorTrips = waves + N / 10 + 1;
const floor = ideal + floorTrips * LATENCY_MS;
console.log(
  `  the API's floor at ${LATENCY_MS} ms latency: ${(floor / 1000).toFixed(2)} s (${(floor / ideal).toFixed(3)}x the ideal: the renders and ${floorTrips} round trips no client can hide); ` +
    `this build: ${(r1.ms / floor).toFixed(3)}x that floor, ${Math.round(r1.ms - floor)} ms of the client's own over it (the 1.1x target leaves ${Math.round(1.1 * ideal - floor)} ms)`,
);
// What the first submit waits for once the lookups are answered: the checks, the catalog's cache write,
// the run's start and the first intents' save (the one fsync'd write that must come first).
const lookupsAnswered = Math.max(...lookups.map((q) => rec.endOf(q)));
console.log(`  from the lookups' last answer to the first submit: ${Math.round(firstPost - lookupsAnswered)} ms (target <= 30 ms: the checks, the run's start and the first intents' save)`);
const polls = byKind['GET /v3/videos/statuses'] ?? 0;
console.log(`status polling: ${polls} bulk requests for ${N} renders, ${(polls / (r1.ms / 1000)).toFixed(1)} a second over the build (each asks about every job in flight)`);
console.log(`HTTP requests per video: ${(requests / N).toFixed(2)} (${Object.entries(byKind).map(([k, v]) => `${k}: ${v}`).join(', ')})`);
console.log(`429s from the job cap: ${emu.requests.filter((q) => q.status === 429).length}`);
emu.reset();
const r2 = await run(dir, emu);
console.log(`no-op rebuild of ${N}: ${(r2.ms / 1000).toFixed(2)} s, ${emu.requests.length} HTTP requests`);
const r3 = await run(dir, emu, [], 'plan');
console.log(`lockfile reads: build ${r1.lockReads}, no-op rebuild ${r2.lockReads}, no-op plan ${r3.lockReads} (target: 1 each)`);
await emu.stop();
rmSync(dir, { recursive: true, force: true });

// 2. Memory: one 200 MB download streams to disk. The same build of a 20 KB video is the baseline.
const rss = {};
for (const [label, videoBytes] of [['20 KB', undefined], ['200 MB', 200 * 1024 * 1024]]) {
  const emu2 = await startEmulator({ apiKey: KEY, renderMs: 200, ...(videoBytes ? { videoBytes } : {}) });
  const dir2 = project(1, { minMs: 50, maxMs: 200, timeoutMs: 60000 });
  // Warm the manifest cache first (as any second run in a checkout has it): a cold run compiles the
  // schema validator, and V8's optimizing compiler then holds ~30 MB for a moment, download or not.
  await run(dir2, emu2, [], 'plan');
  rss[label] = await run(dir2, emu2);
  await emu2.stop();
  rmSync(dir2, { recursive: true, force: true });
}
console.log(
  `peak RSS of a build downloading a 200 MB video: ${rss['200 MB'].rssMb.toFixed(0)} MB (target < 100 MB); ` +
    `the same build with a 20 KB video: ${rss['20 KB'].rssMb.toFixed(0)} MB; 200 MB download took ${(rss['200 MB'].ms / 1000).toFixed(2)} s`,
);
