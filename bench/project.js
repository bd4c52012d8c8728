// The generated project the plan benchmarks share: n three-scene manifests over four shared images,
// and the lockfile a build of it leaves (every video completed, its output on disk).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { videoKey } from '../dist/hash/index.js';
import { serializeLockfile } from '../dist/lockfile/serialize.js';
import { LOCK_CACHE_FILE, writeLockCache } from '../dist/lockfile/sidecar.js';
import { sha256Hex } from '../dist/hash/canonical.js';
import { emptyLockfile } from '../dist/model/lock.js';

const ffmpeg = (await import('@ffmpeg-installer/ffmpeg')).default.path;

/**
 * CPU ms of this process's main thread alone (Linux /proc; NaN elsewhere). With worker threads the
 * process's CPU adds theirs: the main thread's is the cold load's critical path on an idle machine.
 */
export function mainThreadCpuMs() {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** A project of `n` manifests under videos/g<i % 100>/, in a new temp folder. */
export function makeProject(n) {
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
        `  - script: ${script(3)}\n    voice:\n      alias: narrator\n      speed: 1.1\n`,
    );
  }
  return dir;
}

/**
 * Writes what a build of `specs` leaves: the lockfile (every video completed, its output on disk,
 * empty) and, as `build` does, the parsed-lockfile cache for those bytes. Returns the lockfile's size in bytes.
 */
export async function writeBuiltLockfile(dir, specs) {
  const lock = emptyLockfile();
  for (const spec of specs) {
    const { key, parts } = videoKey(spec);
    lock.videos[spec.id] = { key, parts, status: 'completed', api: 'v3', attempt: 1, remoteId: `r${spec.id}`, translations: {}, output: { path: spec.output, sha256: '0'.repeat(64), size: 0 } };
    mkdirSync(join(dir, spec.output, '..'), { recursive: true });
    writeFileSync(join(dir, spec.output), '');
  }
  const text = serializeLockfile(lock);
  writeFileSync(join(dir, 'heygen.lock.yaml'), text);
  await writeLockCache(join(dir, LOCK_CACHE_FILE), sha256Hex(text), lock);
  return Buffer.byteLength(text);
}
