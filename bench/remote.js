// The remote store against a real S3-protocol server (s3rver on loopback) and the HeyGen emulator:
// 1. push and pull of one 200 MB output: throughput and the CLI's peak RSS (target < 120 MB);
// 2. a fresh clone (lockfile, no outputs) restoring 1,000 outputs from the store: time, and HeyGen
//    requests (target 0).
// Knobs: BENCH_REMOTE_N (outputs in part 2, default 1000), BENCH_SKIP_BIG (skip part 1), BENCH_DEBUG (print
// the builds' warnings). Measured here: push 68 MB/s, pull 127 MB/s (digest checked), peak RSS 108 / 107 MB;
// 1,000 outputs restored in 44 s with 0 HeyGen requests (s3rver is the bottleneck: one JS process, on disk).
// Restore memory (2026-12-01, load 10-18 on 2 cores, so times are loose): saving the lockfile once per
// restore peaked at 245-281 MB (~100 MB of it the garbage of serializing a 1 MB lockfile hundreds of
// times); journaled in batches, with digests taken while streaming, the same restore peaked at
// 165-185 MB in 17-22 s (the process is at ~127 MB before its first restore: plan, SDK, 1,000 specs).
// This script's own run under load 18 gave 231 MB and 90 s; a quiet rerun is still to be done.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import S3rver from 's3rver';
import { startEmulator } from '../dist/emulator/index.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'heygen-build.js');
const hook = fileURLToPath(new URL('./hwm.mjs', import.meta.url));
const KEY = 'bench-key';
const BUCKET = 'bench-renders';

const s3dir = mkdtempSync(join(tmpdir(), 'hb-bench-s3-'));
const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
const { port } = await s3.run();
const endpoint = `http://127.0.0.1:${port}`;

function project(n, prefix) {
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-remote-'));
  mkdirSync(join(dir, 'videos'), { recursive: true });
  writeFileSync(
    join(dir, 'heygen.config.mjs'),
    `export default { manifests: ['videos/*.yaml'], heygen: { concurrency: 10, poll: { minMs: 50, maxMs: 200, timeoutMs: 600000 } }, voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  ...(process.env.BENCH_REMOTE ? { remote: { url: 's3://${BUCKET}/${prefix}', endpoint: '${endpoint}', forcePathStyle: true } } : {}) };\n`,
  );
  for (let i = 0; i < n; i++) {
    writeFileSync(join(dir, 'videos', `v${i}.yaml`), `avatar: Daisy-inskirt-20220818\nvoice: narrator\nbackground: "#112233"\nscenes:\n  - script: Video number ${i} of the remote benchmark.\n`);
  }
  return dir;
}

function clone(dir) {
  const to = mkdtempSync(join(tmpdir(), 'hb-bench-clone-'));
  cpSync(dir, to, { recursive: true });
  rmSync(join(to, 'out'), { recursive: true, force: true });
  rmSync(join(to, '.heygen'), { recursive: true, force: true });
  return to;
}

function run(dir, emu, args, remote) {
  const env = {
    ...process.env,
    HEYGEN_API_KEY: KEY,
    HEYGEN_API_BASE_URL: emu.url,
    HEYGEN_UPLOAD_BASE_URL: emu.url,
    CI: '',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(remote ? { BENCH_REMOTE: '1' } : {}),
  };
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', hook, bin, ...args], { cwd: dir, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} failed (${code}): ${out.slice(-2000)} ${err.slice(-2000)}`));
      resolve({ ms: performance.now() - t, out, rssMb: Number(/maxrss (\d+)/.exec(err)[1]) / 1024 });
    });
  });
}

const mbs = (bytes, ms) => `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;

// 1. One 200 MB output, built without the remote, then pushed, then pulled into a fresh clone.
if (!process.env.BENCH_SKIP_BIG) {
  const SIZE = 200 * 1024 * 1024;
  const emu = await startEmulator({ apiKey: KEY, renderMs: 200, videoBytes: SIZE });
  const dir = project(1, 'big');
  await run(dir, emu, ['build'], false);
  const push = await run(dir, emu, ['push', '--json'], true);
  const p = JSON.parse(push.out);
  const c = clone(dir);
  const pull = await run(c, emu, ['pull', '--json'], true);
  const q = JSON.parse(pull.out);
  console.log(`push of a 200 MB output: ${(push.ms / 1000).toFixed(2)} s (process), ${mbs(p.bytes, p.seconds * 1000)} transfer; peak RSS ${push.rssMb.toFixed(0)} MB (target < 120 MB)`);
  console.log(`pull of a 200 MB output: ${(pull.ms / 1000).toFixed(2)} s (process), ${mbs(q.bytes, q.seconds * 1000)} transfer, digest checked; peak RSS ${pull.rssMb.toFixed(0)} MB (target < 120 MB)`);
  await emu.stop();
  for (const d of [dir, c]) rmSync(d, { recursive: true, force: true });
}

// 2. 1,000 outputs built (and pushed) by one machine, restored by a fresh clone of its repository.
{
  const N = Number(process.env.BENCH_REMOTE_N ?? 1000);
  const emu = await startEmulator({ apiKey: KEY, renderMs: 200 });
  const dir = project(N, 'many');
  const built = await run(dir, emu, ['build'], true);
  if (process.env.BENCH_DEBUG) console.log(built.out.split('\n').filter((l) => /warn|error|pending|unreach/i.test(l)).slice(0, 20).join('\n'));
  const c = clone(dir);
  emu.reset();
  const restore = await run(c, emu, ['build'], true);
  const requests = emu.requests.length;
  if (process.env.BENCH_DEBUG) console.log(restore.out.split('\n').filter((l) => /warn|error|pending|unreach/i.test(l)).slice(0, 20).join('\n'));
  console.log(`first build of ${N} (renders + push): ${(built.ms / 1000).toFixed(1)} s`);
  console.log(
    `fresh clone restoring ${N} outputs from the store: ${(restore.ms / 1000).toFixed(1)} s (${(restore.ms / N).toFixed(1)} ms an output), ` +
      `${requests} HeyGen requests (target 0), peak RSS ${restore.rssMb.toFixed(0)} MB`,
  );
  await emu.stop();
  for (const d of [dir, c]) rmSync(d, { recursive: true, force: true });
}

await s3.close();
rmSync(s3dir, { recursive: true, force: true });
