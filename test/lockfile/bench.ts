/**
 * Not a test: measures serialize + parse + atomic write of a 10,000-video lockfile
 * (3 scenes each, ~25 parts, 1 translation). Run: node --import jiti/register test/lockfile/bench.ts
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sha256Hex } from '../../src/hash/canonical.js';
import { idempotencyKey } from '../../src/hash/idempotency.js';
import { writeFileAtomic } from '../../src/fsx/atomic.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { isSealed } from '../../src/lockfile/seal.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { emptyLockfile, type Lockfile } from '../../src/model/lock.js';

function bigLockfile(n: number): Lockfile {
  const lock = emptyLockfile();
  for (let i = 0; i < n; i++) {
    const key = sha256Hex(`video ${i}`);
    const parts: Record<string, string> = {};
    for (const name of ['dimension', 'caption', 'avatar.id', 'avatar.style', 'avatar.scale', 'avatar.offset',
      'voice.id', 'voice.speed', 'voice.pitch', 'voice.emotion', 'background', 'scenes.length']) {
      parts[name] = sha256Hex(`${name}${i}`).slice(0, 16);
    }
    for (let s = 0; s < 3; s++) {
      for (const leaf of ['script', 'voice.id', 'voice.speed', 'background']) {
        parts[`scenes[${s}].${leaf}`] = sha256Hex(`${s}${leaf}${i}`).slice(0, 16);
      }
    }
    parts['asset assets/shared/background.png'] = sha256Hex('bg');
    lock.videos[`video-${String(i).padStart(5, '0')}`] = {
      key,
      parts,
      status: 'completed',
      api: 'v3',
      idempotencyKey: idempotencyKey(key, 1),
      attempt: 1,
      remoteId: sha256Hex(`remote${i}`).slice(0, 32),
      durationSeconds: 42.5,
      output: { path: `out/video-${i}.mp4`, sha256: sha256Hex(`out${i}`), size: 12_345_678 },
      translations: {
        es: {
          key: sha256Hex(`t${i}`),
          language: 'Spanish',
          status: 'completed',
          attempt: 1,
          idempotencyKey: idempotencyKey(sha256Hex(`t${i}`), 1),
          remoteId: sha256Hex(`tr${i}`).slice(0, 32),
          output: { path: `out/es/video-${i}.mp4`, sha256: sha256Hex(`tout${i}`), size: 12_000_000 },
        },
      },
    };
  }
  lock.assets[sha256Hex('bg')] = { path: 'assets/shared/background.png', size: 204_800, api: 'v3', remoteId: 'asset-1' };
  return lock;
}

function time<T>(label: string, f: () => T, runs = 3): T {
  let result!: T;
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    result = f();
    ms.push(performance.now() - t);
  }
  console.log(`${label}: ${ms.map((m) => m.toFixed(0)).join(' / ')} ms`);
  return result;
}

const lock = bigLockfile(10_000);
const text = time('serialize', () => serializeLockfile(lock));
console.log(`size: ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${text.split('\n').length} lines`);
time('parse', () => parseLockfile(text, 'heygen.lock.yaml'));
{
  // The truncation check is the only work format 2 adds to a read: target, well under 1% of a parse.
  const calls = 10_000;
  const t = performance.now();
  for (let i = 0; i < calls; i++) if (!isSealed(text)) throw new Error('the written lockfile is not sealed');
  console.log(`truncation check (end line): ${(((performance.now() - t) / calls) * 1000).toFixed(2)} µs per read (target: < 1% of a parse)`);
}
const dir = await mkdtemp(join(tmpdir(), 'hb-bench-'));
const file = join(dir, 'heygen.lock.yaml');
for (let r = 0; r < 3; r++) {
  const t = performance.now();
  await writeFileAtomic(file, text);
  console.log(`atomic write (fsync file + dir): ${(performance.now() - t).toFixed(1)} ms`);
}
console.log(`on disk: ${(await stat(file)).size} bytes`);
await rm(dir, { recursive: true, force: true });
