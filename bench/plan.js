// Plan cost per manifest, cold (nothing cached) and warm (nothing changed since the last plan),
// with the split (discover, read, parse, validate, resolve, lock, plan); then a whole
// `heygen-build plan` of examples/ with process start.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planProject } from '../dist/api/plan.js';
import { videoKey } from '../dist/hash/index.js';
import { serializeLockfile } from '../dist/lockfile/serialize.js';
import { emptyLockfile } from '../dist/model/lock.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const ffmpeg = (await import('@ffmpeg-installer/ffmpeg')).default.path;

function makeProject(n) {
  const dir = mkdtempSync(join(tmpdir(), `hb-bench-plan-${n}-`));
  mkdirSync(join(dir, 'videos', 'assets'), { recursive: true });
  for (let i = 0; i < 4; i++) {
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=0x${(i * 3 + 1).toString(16).repeat(6).slice(0, 6)}:s=640x360`, '-frames:v', '1', join(dir, 'videos', 'assets', `bg${i}.png`)]);
  }
  writeFileSync(
    join(dir, 'heygen.config.mjs'),
    `export default { manifests: ['videos/**/*.yaml'], avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: 'abc123def456' }, defaults: { dimension: '720p' } };\n`,
  );
  const words = 'the quick brown fox jumps over a lazy dog while our product helps teams ship videos faster'.split(' ');
  for (let i = 0; i < n; i++) {
    const sub = join(dir, 'videos', `g${i % 100}`);
    mkdirSync(sub, { recursive: true });
    const script = (k) => Array.from({ length: 40 }, (_, j) => words[(i + j * k) % words.length]).join(' ');
    writeFileSync(
      join(sub, `v${i}.yaml`),
      `# yaml-language-server: $schema=../../schema/video.schema.json\ntitle: Video ${i}\ntags: [bench]\navatar: presenter\ncaption: ${i % 2 === 0}\nscenes:\n` +
        `  - script: ${script(1)}\n    background: "#112233"\n` +
        `  - script: ${script(2)} <break time="1s"/> done.\n    background:\n      image: ../assets/bg${i % 4}.png\n      fit: cover\n` +
        `  - script: ${script(3)}\n    voice:\n      id: narrator\n      speed: 1.1\n`,
    );
  }
  return dir;
}

function fmt(ms, n) {
  return `${(ms / 1000).toFixed(2)} s total, ${((ms * 1000) / n).toFixed(0)} µs/manifest`;
}

async function timePlan(dir, env) {
  const t = performance.now();
  const r = await planProject({ cwd: dir, env, provider: 'heygen' }, undefined);
  const total = performance.now() - t;
  if (!r.plan) throw new Error(`bench project invalid: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
  return { total, r };
}

const sizes = (process.env.BENCH_PLAN_SIZES ?? '1000,10000').split(',').map(Number);
for (const n of sizes) {
  const dir = makeProject(n);
  const env = {};
  rmSync(join(dir, '.heygen'), { recursive: true, force: true });
  const cold = await timePlan(dir, env);
  const warm = await timePlan(dir, env);
  const s = (x) => Object.entries(x.r.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}s`).join(', ');
  console.log(`plan ${n} manifests, cold: ${fmt(cold.total, n)}  [${s(cold)}]  (target for 10k: < 6 s)`);
  console.log(`plan ${n} manifests, warm: ${fmt(warm.total, n)}  [${s(warm)}] cache hits ${warm.r.cacheHits}/${n}  (target for 10k: < 1 s)`);
  console.log(`warm/cold ratio: ${(warm.total / cold.total).toFixed(3)}`);
  // As after a build: every video in the lockfile and its output on disk.
  const lock = emptyLockfile();
  for (const spec of warm.r.specs) {
    const { key, parts } = videoKey(spec);
    lock.videos[spec.id] = { key, parts, status: 'completed', api: 'v3', attempt: 1, remoteId: `r${spec.id}`, translations: {}, output: { path: spec.output, sha256: '0'.repeat(64), size: 0 } };
    mkdirSync(join(dir, spec.output, '..'), { recursive: true });
    writeFileSync(join(dir, spec.output), '');
  }
  writeFileSync(join(dir, 'heygen.lock.yaml'), serializeLockfile(lock));
  const built = await timePlan(dir, env);
  console.log(`plan ${n} manifests, warm, after a build (${n} lockfile entries, outputs on disk): ${fmt(built.total, n)}  [${s(built)}] unchanged ${built.r.plan.totals.actions.unchanged}`);
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
