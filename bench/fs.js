// File-system basics: the atomic write's cost, the streamed digest's throughput against hashing
// bytes already in memory, and the stale-temp sweep of a large project (run at every build start).
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File, sweepStaleTemps, writeFileAtomic } from '../dist/fsx/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hb-bench-fs-'));

// 1. Atomic 2 KB write (temp, fsync, rename, fsync dir): the lockfile is saved after every step.
const small = randomBytes(1024).toString('hex');
const N = 200;
let t = performance.now();
for (let i = 0; i < N; i++) await writeFileAtomic(join(dir, 'heygen.lock.yaml'), small);
const perWrite = (performance.now() - t) / N;
// Baseline: overwrite in place and fsync (not atomic, one fsync): the floor of any durable write.
t = performance.now();
for (let i = 0; i < N; i++) {
  const fh = await open(join(dir, 'plain.yaml'), 'w');
  await fh.writeFile(small);
  await fh.sync();
  await fh.close();
}
const perPlain = (performance.now() - t) / N;
console.log(`atomic 2 KB write (temp, fsync, rename, fsync dir): ${perWrite.toFixed(2)} ms each, ${(perWrite / perPlain).toFixed(2)}x an in-place write + fsync (target <= 3x: two fsyncs and a rename)`);

// 2. Digest of a 256 MB file, streamed, against sha256 of the same bytes in memory.
const big = join(dir, 'big.mp4');
const bytes = randomBytes(256 * 1024 * 1024);
writeFileSync(big, bytes);
t = performance.now();
createHash('sha256').update(bytes).digest('hex');
const inMemory = performance.now() - t;
t = performance.now();
await sha256File(big);
const streamed = performance.now() - t;
console.log(`sha256File of 256 MB: ${(streamed / 1000).toFixed(2)} s, ${(streamed / inMemory).toFixed(2)}x hashing it in memory (target <= 1.5x)`);
rmSync(big);

// 3. Sweep of a project with 10,000 outputs and 10,000 cached drafts (3 files each), 10 stale temps.
const root = join(dir, 'project');
mkdirSync(join(root, '.heygen', 'drafts'), { recursive: true });
mkdirSync(join(root, 'out'), { recursive: true });
for (let i = 0; i < 10_000; i++) {
  writeFileSync(join(root, 'out', `v${i}.mp4`), '');
  for (const ext of ['mp4', 'srt', 'json']) writeFileSync(join(root, '.heygen', 'drafts', `k${i}.${ext}`), '');
}
for (let i = 0; i < 10; i++) writeFileSync(join(root, 'out', `.v${i}.mp4.999999999.0a1b2c3d4e5f.part`), '');
// Baseline: only listing the same folders, which any sweep must do.
t = performance.now();
for (const d of [root, join(root, '.heygen'), join(root, '.heygen', 'drafts'), join(root, 'out')]) await readdir(d, { withFileTypes: true });
const listMs = performance.now() - t;
t = performance.now();
const removed = await sweepStaleTemps(root, ['out']);
const sweepMs = performance.now() - t;
console.log(
  `sweep of 40,000 files: ${sweepMs.toFixed(0)} ms (${((sweepMs * 1000) / 40_000).toFixed(2)} µs per file), removed ${removed.length}; ${(sweepMs / listMs).toFixed(2)}x listing the folders (target <= 2x)`,
);

rmSync(dir, { recursive: true, force: true });
