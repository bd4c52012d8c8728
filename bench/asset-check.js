// What checking a composition's inputs costs (src/execute/asset-check.ts): after every local compose
// (v3 composed video, voiceover, draft) each project file it read is checked against its planned
// sha256 before the output is kept. Measured on a 20 MB background shared by 200 videos:
// - cold: the first check of a build hashes the file;
// - memoized: the other 199 are one stat each (the file's size, mtime, ctime and inode unchanged);
// - unmemoized: what hashing every time would cost, for comparison.
// Run after `npm run build`: node bench/asset-check.js
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetCheck, RACY_MS } from '../dist/execute/asset-check.js';
import { sha256File } from '../dist/fsx/digest.js';

const MB = 20;
const VIDEOS = 200;
const dir = mkdtempSync(join(tmpdir(), 'hb-bench-asset-check-'));
try {
  writeFileSync(join(dir, 'bg.png'), randomBytes(MB * 1024 * 1024));
  const planned = { path: 'bg.png', sha256: (await sha256File(join(dir, 'bg.png'))).sha256 };
  // The file was just written: a clock past RACY_MS makes it count as settled, as a committed asset is.
  const settled = () => Date.now() + RACY_MS + 1000;
  const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;

  const check = new AssetCheck(dir, { now: settled });
  let t = process.hrtime.bigint();
  await check.verify([planned], 'bench');
  const cold = ms(t);
  t = process.hrtime.bigint();
  for (let i = 1; i < VIDEOS; i++) await check.verify([planned], 'bench');
  const warm = ms(t) / (VIDEOS - 1);

  t = process.hrtime.bigint();
  for (let i = 0; i < 20; i++) await new AssetCheck(dir, { now: settled }).verify([planned], 'bench');
  const every = ms(t) / 20;

  console.log(`asset check, ${MB} MB file, ${VIDEOS} videos sharing it:`);
  console.log(`  first check (hash):        ${cold.toFixed(1)} ms`);
  console.log(`  each later check (stat):   ${(warm * 1000).toFixed(0)} µs`);
  console.log(`  whole build:               ${(cold + warm * (VIDEOS - 1)).toFixed(0)} ms (${((cold + warm * (VIDEOS - 1)) / VIDEOS).toFixed(2)} ms per video)`);
  console.log(`  hashing every time:        ${every.toFixed(1)} ms per video, ${((every * VIDEOS) / 1000).toFixed(1)} s per build`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
