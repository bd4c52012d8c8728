// Sharded builds (`build --shard i/n`), as a CI matrix runs them: each shard in its own checkout.
// 1. HeyGen: N one-scene videos against the emulator (HeyGen's 10-job cap per account), 4 shards at
//    once (sharing the cap: 2, 2, 3, 3 jobs) against 1 process (10 jobs); wall time against the HeyGen-bound
//    ideal (videos / 10 x render time), every key paid once (jobs = distinct Idempotency-Keys), how
//    many videos each shard got (the rank partition, plan/shard.ts), and each process's CPU.
// 2. Drafts: a rows manifest of R rows drafted offline (ffmpeg), 2 shards at once against 1 process, with the
//    default jobs at once, with one draft at a time per process, and with each process pinned to a core
//    of its own (taskset: a CI matrix's machine per shard) against 1 process pinned to one core.
// Run alone: `npm run build && node bench/shards.js` (BENCH_SHARD_VIDEOS=80, BENCH_DRAFT_ROWS=400; 0 skips the drafts).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../dist/emulator/index.js';
import { parseLockfile } from '../dist/lockfile/parse.js';
import { shardConcurrency } from '../dist/plan/shard.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'heygen-build.js');
const KEY = 'bench-key';
const made = [];

function project(files) {
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-shards-'));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function checkout(dir) {
  const copy = mkdtempSync(join(tmpdir(), 'hb-bench-shard-'));
  made.push(copy);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

// Through bash's `time`, which counts the CPU of the whole process tree (ffmpeg included): on a
// shared, busy machine, wall time mostly measures the other processes.
function run(dir, args, env, cpu) {
  return new Promise((resolve, reject) => {
    // `cpu`: pinned to that one core with taskset (with everything it starts, ffmpeg included).
    const pin = cpu === undefined ? '' : `taskset -c ${cpu} `;
    const cmd = `TIMEFORMAT='cpu %U %S'; time ${pin}"${process.execPath}" "${bin}" ${args.join(' ')} >/dev/null`;
    const child = spawn('bash', ['-c', cmd], { cwd: dir, env: { ...process.env, CI: '', ...env } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.resume();
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} failed (${code}): ${err.slice(-1500)}`));
      const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(err);
      resolve(m ? Number(m[1]) + Number(m[2]) : NaN);
    });
  });
}

/** Wall ms, and CPU seconds summed over the processes (and each process's). */
async function timed(f) {
  const t = performance.now();
  const cpus = await f();
  return { ms: performance.now() - t, cpu: cpus.reduce((a, b) => a + b, 0), cpus };
}

/** Videos a shard's partial lockfile records. */
function videosIn(dir, i, n) {
  const file = join(dir, `heygen.lock.shard-${i}-of-${n}.yaml`);
  return existsSync(file) ? Object.keys(parseLockfile(readFileSync(file, 'utf8'), file).videos).length : 0;
}

// 1. HeyGen-bound builds.
const N = Number(process.env.BENCH_SHARD_VIDEOS ?? 80);
const RENDER_MS = 1000;
const SHARDS = 4;
const heygenFiles = {
  'heygen.config.mjs': `export default { manifests: ['videos/*.yaml'], heygen: { concurrency: 10, poll: { minMs: 100, maxMs: 400, timeoutMs: 120000 } }, voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' } };\n`,
};
for (let i = 0; i < N; i++) {
  heygenFiles[`videos/v${i}.yaml`] = `avatar: Daisy-inskirt-20220818\nvoice: narrator\nbackground: "#112233"\nscenes:\n  - script: Video number ${i} of the shard benchmark says hello.\n`;
}
const base = project(heygenFiles);
const ideal = (N / 10) * RENDER_MS;
const results = {};
for (const [label, shards] of [['1 process', 1], [`${SHARDS} shards`, SHARDS]]) {
  const emu = await startEmulator({ apiKey: KEY, renderMs: RENDER_MS, latencyMs: 50, concurrency: 10 });
  const env = { HEYGEN_API_KEY: KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url };
  const dirs = Array.from({ length: shards }, () => checkout(base));
  const { ms, cpu, cpus } = await timed(() => Promise.all(dirs.map((d, i) => run(d, shards === 1 ? ['build'] : ['build', '--shard', `${i}/${shards}`], env))));
  const jobs = emu.jobs().filter((j) => j.kind === 'video');
  const keys = new Set(jobs.map((j) => j.idempotencyKey)).size;
  const r429 = emu.requests.filter((q) => q.status === 429).length;
  // HeyGen's side alone: from the first job accepted to the last one finished (start-up and downloads excluded).
  const span = Math.max(...jobs.map((j) => j.finishAt)) - Math.min(...jobs.map((j) => j.createdAt));
  results[label] = ms;
  console.log(
    `${label}: ${N} videos, ${RENDER_MS} ms renders, 10-job cap: ${(ms / 1000).toFixed(2)} s; ideal ${(ideal / 1000).toFixed(1)} s; ratio ${(ms / ideal).toFixed(2)}x (target: the ideal) · ` +
      `HeyGen busy ${(span / 1000).toFixed(2)} s (${(span / ideal).toFixed(2)}x the ideal) · CPU ${cpu.toFixed(1)} s · jobs ${jobs.length}, distinct keys ${keys} (target: equal, ${N}) · 429s ${r429}`,
  );
  if (shards > 1) {
    const counts = dirs.map((d, i) => videosIn(d, i, shards));
    const slots = dirs.map((_, index) => shardConcurrency(10, { index, count: shards }));
    // The HeyGen-bound time of a shard is its videos over its slots: the slowest shard sets the wall.
    const bound = Math.max(...counts.map((c, i) => Math.ceil(c / slots[i]))) * RENDER_MS;
    console.log(
      `  per shard: videos ${counts.join(', ')} (rank partition weighted by jobs at once; in proportion: ${slots.map((s) => (N * s) / 10).join(', ')}), jobs at once ${slots.join(', ')}, ` +
        `render rounds of the slowest shard ${(bound / 1000).toFixed(1)} s (against ${(ideal / 1000).toFixed(1)} s for one cap), CPU ${cpus.map((c) => c.toFixed(1)).join(', ')} s`,
    );
  }
  await emu.stop();
}
console.log(`${SHARDS} shards / 1 process wall time: ${(results[`${SHARDS} shards`] / results['1 process']).toFixed(2)}x (the shards share the cap: ${Array.from({ length: SHARDS }, (_, index) => shardConcurrency(10, { index, count: SHARDS })).join(', ')} jobs, all 10 slots)`);

// 2. Offline drafts of a rows manifest: CPU-bound (ffmpeg).
const ROWS = Number(process.env.BENCH_DRAFT_ROWS ?? 400);
// BENCH_DRAFT_ROWS=0 skips this part (while iterating on the HeyGen part).
if (ROWS > 0) {
  const lines = ['customer_id,first_name'];
  for (let i = 0; i < ROWS; i++) lines.push(`c-${i},Name${i}`);
  const draftBase = project({
    'heygen.config.mjs': `export default { manifests: ['videos/**/*.yaml'], provider: 'local', avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' }, defaults: { dimension: '720p' } };\n`,
    'videos/welcome.yaml': `rows: customers.csv\nid: welcome/{{ customer_id }}\navatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hi {{ first_name }}, welcome aboard.\n`,
    'videos/customers.csv': lines.join('\n') + '\n',
  });
  // Warm the manifest cache in the copy (as a CI checkout's second step would have it): the plan is not what is measured.
  await run(draftBase, ['plan'], {});
  // Twice: as a user runs it (each process renders one draft per core at once), and with one draft at a
  // time per process (--concurrency 1), which stands for a shard per machine: the second pair shows how the
  // work splits, the first what one 2-core machine can gain when one process already keeps it busy.
  for (const [how, extra] of [['default jobs at once', []], ['--concurrency 1 per process', ['--concurrency', '1']]]) {
    const draftMs = {};
    for (const [label, shards] of [['1 process', 1], ['2 shards', 2]]) {
      const dir = checkout(draftBase);
      const t = await timed(() => Promise.all(Array.from({ length: shards }, (_, i) => run(dir, [...(shards === 1 ? ['build'] : ['build', '--shard', `${i}/${shards}`]), ...extra], {}))));
      draftMs[label] = t.ms;
      console.log(`drafts of ${ROWS} rows, ${how}, ${label} (one checkout): ${(t.ms / 1000).toFixed(2)} s wall, ${((t.ms / ROWS)).toFixed(0)} ms/row; CPU ${t.cpu.toFixed(1)} s (ffmpeg included), ${(t.cpu * 1000 / t.ms).toFixed(2)} cores busy on average`);
    }
    console.log(`drafts, ${how}, 2 shards vs 1 process on ${availableParallelism()} cores: ${(draftMs['1 process'] / draftMs['2 shards']).toFixed(2)}x faster (target: close to 2x)`);
  }
  // A CI matrix gives each shard its own machine. Stood for here by one core each (taskset): 1 process
  // pinned to one core against 2 shards, each pinned to its own core.
  if (availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0) {
    const draftMs = {};
    for (const [label, shards] of [['1 process on 1 core', 1], ['2 shards on a core each', 2]]) {
      const dir = checkout(draftBase);
      const t = await timed(() => Promise.all(Array.from({ length: shards }, (_, i) => run(dir, shards === 1 ? ['build'] : ['build', '--shard', `${i}/${shards}`], {}, i))));
      draftMs[label] = t.ms;
      console.log(`drafts of ${ROWS} rows, ${label} (one checkout): ${(t.ms / 1000).toFixed(2)} s wall, ${(t.ms / ROWS).toFixed(0)} ms/row; CPU ${t.cpu.toFixed(1)} s`);
    }
    console.log(`drafts, one core per process (a machine per shard): 2 shards vs 1 process ${(draftMs['1 process on 1 core'] / draftMs['2 shards on a core each']).toFixed(2)}x faster (target: close to 2x)`);
  } else {
    console.log('drafts, one core per process: skipped (needs 2 cores and taskset)');
  }
}

for (const d of made) rmSync(d, { recursive: true, force: true });
