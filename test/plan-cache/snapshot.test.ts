/**
 * The plan snapshot (src/plan-cache/): a second plan of an unchanged project prints the kept output,
 * byte for byte what a full plan prints, and a change to any input (each tested here) plans in full.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { planWithSnapshot } from '../../src/plan-cache/index.js';
import { SNAPSHOT_FILE, snapshotOf, type SnapshotData } from '../../src/plan-cache/snapshot.js';
import type { Stamp } from '../../src/plan-cache/stamp.js';
import { startTrace } from '../../src/plan-cache/trace.js';
import { runPlanFull } from '../../src/cli/plan-full.js';
import type { PlanFlags } from '../../src/cli/plan.js';
import { planProject } from '../../src/api/plan.js';
import { videoKey } from '../../src/hash/index.js';
import { emptyLockfile } from '../../src/model/lock.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { REPO, tempProject } from '../helpers/cli.js';
import { usePlainPlanEnv } from './plain-env.js';

const CONFIG = `export default { manifests: ['videos/**/*.yaml'], avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: 'abc123def456' } };\n`;
const PNG = readFileSync(join(REPO, 'examples', 'assets', 'tour-bg.png'));

function manifest(script: string, image = false): string {
  const bg = image ? `    background:\n      image: ../assets/bg.png\n` : '';
  return `avatar: presenter\nscenes:\n  - script: ${script}\n${bg}`;
}

function project(): string {
  return tempProject({
    'heygen.config.mjs': CONFIG,
    'videos/a.yaml': manifest('Hello from video a.'),
    'videos/b.yaml': manifest('Hello from video b.', true),
    'assets/bg.png': PNG,
  });
}

interface Run {
  code: number;
  out: string;
  err: string;
  /** Why the snapshot was not used, or undefined for a hit. */
  miss: string | undefined;
  /** Why the plan was not kept, if so. */
  notKept: string | undefined;
}

/**
 * `heygen-build plan` in this process, through the snapshot (or in full with `snapshot: false`).
 * The clock is moved a minute on: files a test wrote a moment ago are then not "racy" (stamp.ts).
 */
async function plan(dir: string, flags: Partial<PlanFlags> = {}, now = () => Date.now() + 60_000): Promise<Run> {
  let out = '';
  let err = '';
  const misses: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  const opts: PlanFlags = { provider: 'heygen', snapshot: true, ...flags, cwd: dir };
  try {
    const code =
      opts.snapshot === false
        ? (await runPlanFull([], opts)).code
        : await planWithSnapshot({ cwd: dir, request: { paths: [], opts }, run: () => runPlanFull([], opts), now, onMiss: (w) => misses.push(w) });
    return { code, out, err, miss: misses.find((m) => !m.startsWith('not kept')), notKept: misses.find((m) => m.startsWith('not kept')) };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/**
 * Plans until a snapshot is kept, then checks the next plan is a hit printing what a plan printed.
 * A plan that wrote a cache it had found missing (the first plan after a change) is kept by the one after.
 */
async function kept(dir: string, flags: Partial<PlanFlags> = {}): Promise<Run> {
  let first = await plan(dir, flags);
  if (first.notKept || first.miss) first = await plan(dir, flags);
  const hit = await plan(dir, flags);
  expect(hit.miss).toBeUndefined();
  expect({ code: hit.code, out: hit.out, err: hit.err }).toEqual({ code: first.code, out: first.out, err: first.err });
  return hit;
}

/** After a change: the plan is not a hit, and prints what a full plan prints. */
async function expectMiss(dir: string, reason: RegExp, flags: Partial<PlanFlags> = {}): Promise<Run> {
  const r = await plan(dir, flags);
  expect(r.miss).toMatch(reason);
  const full = await plan(dir, { ...flags, snapshot: false });
  expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: full.code, out: full.out, err: full.err });
  return r;
}

usePlainPlanEnv();

describe('plan snapshot', () => {
  it('prints, from the snapshot, exactly what a full plan prints: human, --json, --detailed-exitcode', async () => {
    const dir = project();
    for (const flags of [{}, { json: true }, { detailedExitcode: true }, { all: true, json: true, detailedExitcode: true }]) {
      const hit = await kept(dir, flags);
      const full = await plan(dir, { ...flags, snapshot: false });
      expect({ code: hit.code, out: hit.out, err: hit.err }).toEqual({ code: full.code, out: full.out, err: full.err });
    }
    expect((await plan(dir, { detailedExitcode: true })).code).toBe(2);
  });

  it('run from a folder inside the project, keeps its snapshot in the project root, not in that folder', async () => {
    const dir = project();
    const inside = join(dir, 'videos');
    const hit = await kept(inside);
    expect(hit.code).toBe(0);
    expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(true);
    expect(existsSync(join(inside, '.heygen'))).toBe(false);
  });

  it('sees a manifest edited to the same size', async () => {
    const dir = project();
    await kept(dir);
    writeFileSync(join(dir, 'videos', 'a.yaml'), manifest('Hello from video A.'));
    const r = await expectMiss(dir, /a\.yaml changed/);
    expect(r.out).toContain('a');
  });

  it('sees a manifest added and one removed', async () => {
    const dir = project();
    await kept(dir);
    mkdirSync(join(dir, 'videos', 'sub'));
    writeFileSync(join(dir, 'videos', 'sub', 'c.yaml'), manifest('A third video.'));
    expect((await expectMiss(dir, /changed/)).out).toContain('sub/c');
    await kept(dir);
    unlinkSync(join(dir, 'videos', 'a.yaml'));
    expect((await expectMiss(dir, /videos changed/)).out).not.toMatch(/\ba\b.*create/);
  });

  it("keeps its snapshot through the manifest cache's delta: written, read, and folded into the base", async () => {
    // Enough manifests for a delta (manifest/cache-delta.ts: 64 at least, an eighth of them at most).
    const dir = project();
    for (let i = 0; i < 70; i++) writeFileSync(join(dir, 'videos', `m${i}.yaml`), manifest(`Video ${i}.`));
    await kept(dir);
    const delta = join(dir, '.heygen', 'cache', 'manifests.delta.json');
    writeFileSync(join(dir, 'videos', 'm1.yaml'), manifest('Video 1, edited.'));
    await expectMiss(dir, /m1\.yaml changed/);
    expect(existsSync(delta)).toBe(true);
    await kept(dir);
    // Past an eighth: the plan writes the base whole and deletes the delta it read, and still keeps.
    for (let i = 10; i < 20; i++) writeFileSync(join(dir, 'videos', `m${i}.yaml`), manifest(`Video ${i}, edited.`));
    const folded = await expectMiss(dir, /changed/);
    expect(existsSync(delta)).toBe(false);
    expect(folded.out).toContain('m19');
    const next = await plan(dir);
    expect(next.miss).toBeUndefined();
  });

  it('sees an asset change', async () => {
    const dir = project();
    await kept(dir);
    writeFileSync(join(dir, 'assets', 'bg.png'), Buffer.concat([PNG, Buffer.from([0])]));
    await expectMiss(dir, /bg\.png changed/);
  });

  it('sees a config change', async () => {
    const dir = project();
    await kept(dir);
    writeFileSync(join(dir, 'heygen.config.mjs'), CONFIG.replace('abc123def456', 'abc123def457'));
    await expectMiss(dir, /heygen\.config\.mjs changed/);
  });

  it('sees the lockfile, and an output deleted or rewritten', async () => {
    const dir = project();
    await kept(dir);
    const { specs } = await planProject({ cwd: dir, env: {}, provider: 'heygen' });
    const lock = emptyLockfile();
    for (const spec of specs) {
      const { key, parts } = videoKey(spec);
      lock.videos[spec.id] = { key, parts, status: 'completed', api: 'v3', attempt: 1, remoteId: `r-${spec.id}`, translations: {}, output: { path: spec.output, sha256: '0'.repeat(64), size: 0 } };
      mkdirSync(join(dir, spec.output, '..'), { recursive: true });
      writeFileSync(join(dir, spec.output), '');
    }
    writeFileSync(join(dir, 'heygen.lock.yaml'), serializeLockfile(lock));
    // (the project folder is listed too: a new file in it is seen, whichever path says so first)
    expect((await expectMiss(dir, /changed/)).out).toMatch(/unchanged/);
    await kept(dir);
    const output = join(dir, specs[0]!.output);
    rmSync(output);
    await expectMiss(dir, /changed/);
    await kept(dir);
    writeFileSync(output, 'x');
    await expectMiss(dir, /changed/);
  });

  it('sees a cache under .heygen/ change, or appear', async () => {
    const dir = project();
    await kept(dir);
    const cache = join(dir, '.heygen', 'cache', 'manifests.json');
    writeFileSync(cache, readFileSync(cache, 'utf8') + ' ');
    await expectMiss(dir, /manifests\.json changed/);
    await kept(dir);
    // The language list a plan checks translations against, once HeyGen's was fetched.
    writeFileSync(join(dir, '.heygen', 'languages-v3.json'), '{}');
    await expectMiss(dir, /languages-v3\.json changed/);
  });

  it('sees a flag change', async () => {
    const dir = project();
    await kept(dir);
    await expectMiss(dir, /command line/, { all: true });
    await expectMiss(dir, /command line/, { provider: 'local' });
  });

  it('sees an API key appear, and never keeps a plan made with one', async () => {
    const dir = project();
    await kept(dir);
    vi.stubEnv('HEYGEN_API_KEY', 'hg_test_key');
    const r = await plan(dir, { provider: 'local' });
    expect(r.miss).toBeDefined();
    expect(r.notKept).toMatch(/network/);
    // The key is never written, not even as the environment's digest of a kept plan.
    expect(readFileSync(join(dir, SNAPSHOT_FILE), 'utf8')).not.toContain('hg_test_key');
    vi.stubEnv('HEYGEN_API_KEY', '');
    await kept(dir, { provider: 'local' });
    // `.env` is an input even while missing (its stamp says absent).
    const data = JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), 'utf8')) as SnapshotData;
    expect(data.files).toContainEqual([join(dir, '.env'), ['x']]);
    writeFileSync(join(dir, '.env'), 'HEYGEN_API_KEY=hg_from_dotenv\n');
    await expectMiss(dir, /changed/, { provider: 'local' });
  });

  it('sees a variable the plan reads change (CI)', async () => {
    const dir = project();
    await kept(dir, { provider: 'auto' as PlanFlags['provider'] });
    vi.stubEnv('CI', 'true');
    const r = await expectMiss(dir, /CI changed/, { provider: 'auto' as PlanFlags['provider'] });
    expect(r.err).toContain('CI=true');
  });

  it("sees the tool's own code or package.json change", async () => {
    const dir = project();
    await kept(dir);
    const file = join(dir, SNAPSHOT_FILE);
    const data = JSON.parse(readFileSync(file, 'utf8')) as SnapshotData;
    for (const p of [join(REPO, 'package.json'), join(REPO, 'src', 'plan', 'plan.ts')]) {
      const entry = data.files.find(([f]) => f === p);
      expect(entry, p).toBeDefined();
      // As if the file had been rewritten: its stamp no longer matches.
      const edited = { ...data, files: data.files.map(([f, s]): [string, typeof s] => [f, f === p ? ['f', 0, 0, 0, 0] : s]) };
      writeFileSync(file, JSON.stringify(edited));
      expect((await plan(dir)).miss).toContain(p);
    }
  });

  it('keeps nothing read too recently to trust its stamp (the racy rule)', async () => {
    const dir = project();
    const r = await plan(dir, {}, Date.now);
    expect(r.notKept).toMatch(/just before it|during the plan/);
  });

  it('keeps no plan that failed, and no plan of a config importing a file', async () => {
    const dir = project();
    writeFileSync(join(dir, 'videos', 'bad.yaml'), 'scenes: 3\n');
    expect((await plan(dir)).notKept).toMatch(/exit code 1/);
    rmSync(join(dir, 'videos', 'bad.yaml'));
    writeFileSync(join(dir, 'voices.mjs'), `export const voices = { narrator: 'abc123def456' };\n`);
    writeFileSync(join(dir, 'heygen.config.mjs'), `import { voices } from './voices.mjs';\n${CONFIG.replace("voices: { narrator: 'abc123def456' }", 'voices')}`);
    expect((await plan(dir)).notKept).toMatch(/imports other modules/);
  });

  it('hits with manifests globbed from the project root (the walk lists .heygen/, which changes at every plan)', async () => {
    const dir = project();
    writeFileSync(join(dir, 'heygen.config.mjs'), CONFIG.replace("'videos/**/*.yaml'", "'**/*.yaml'"));
    await kept(dir);
    // Still seen: a manifest added anywhere below the root.
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'more', 'c.yaml'), manifest('Another one.'));
    expect((await expectMiss(dir, /changed/)).out).toContain('more/c');
  });

  it('is the same as a full plan over the examples, human and --json', async () => {
    const dir = tempProject({});
    for (const p of ['examples', 'schema', 'heygen.config.ts']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
    for (const flags of [{ provider: 'local' as const }, { provider: 'heygen' as const, json: true, detailedExitcode: true }]) {
      // The first load of a TypeScript config runs jiti, which reads the whole environment: not kept.
      await plan(dir, flags);
      const hit = await kept(dir, flags);
      const full = await plan(dir, { ...flags, snapshot: false });
      expect({ code: hit.code, out: hit.out, err: hit.err }).toEqual({ code: full.code, out: full.out, err: full.err });
    }
  });
});

describe('trace', () => {
  it('marks a child process and a worker thread, which a snapshot cannot key', async () => {
    const trace = startTrace();
    try {
      const { spawnSync } = await import('node:child_process');
      spawnSync(process.execPath, ['-e', '0']);
    } finally {
      trace.stop();
    }
    expect(trace.taints).toContain('a child process (spawnSync)');
  });

  it('records paths read, folders listed and variables looked up, and stops recording after stop()', async () => {
    const fs = await import('node:fs');
    const trace = startTrace();
    try {
      fs.readdirSync(join(REPO, 'examples'));
      fs.readFileSync(join(REPO, 'package.json'));
      void process.env.SOME_VARIABLE;
    } finally {
      trace.stop();
    }
    fs.readFileSync(join(REPO, 'README.md'));
    expect([...trace.dirs]).toEqual([join(REPO, 'examples')]);
    expect(trace.paths.has(join(REPO, 'package.json'))).toBe(true);
    expect(trace.paths.has(join(REPO, 'README.md'))).toBe(false);
    expect(trace.env.has('SOME_VARIABLE')).toBe(true);
  });

  it('keeps a missing read as missing, and tells what the plan wrote from what it read', async () => {
    const fs = await import('node:fs');
    const dir = tempProject({ 'old.txt': 'x' });
    const trace = startTrace();
    try {
      expect(() => fs.readFileSync(join(dir, 'nope.txt'))).toThrow();
      expect(fs.existsSync(join(dir, 'nope2.txt'))).toBe(false);
      fs.writeFileSync(join(dir, 'tmp.txt'), 'y');
      fs.renameSync(join(dir, 'tmp.txt'), join(dir, 'new.txt'));
      fs.statSync(join(dir, 'old.txt'));
    } finally {
      trace.stop();
    }
    expect(trace.stamps.get(join(dir, 'nope.txt'))).toEqual(['x']);
    expect(trace.stamps.get(join(dir, 'nope2.txt'))).toEqual(['x']);
    expect(trace.stamps.get(join(dir, 'old.txt'))?.[0]).toBe('f');
    expect(trace.written).toEqual(new Set([join(dir, 'tmp.txt'), join(dir, 'new.txt')]));
    expect(trace.paths.has(join(dir, 'new.txt'))).toBe(false);
  });
});

describe('snapshot order', () => {
  it('checks the most recently changed inputs first and missing paths last, so a miss after a build stops at the lockfile', () => {
    const t = Date.now() + 10_000;
    const file = (ms: number): Stamp => ['f', 1, ms, ms, 1];
    const stamps = new Map<string, Stamp>([
      ['/p/videos/a.yaml', file(t)],
      ['/p/out/a.srt', ['x']],
      ['/p/out/a.mp4', file(t + 2_000)],
      ['/p/heygen.lock.yaml', file(t + 3_000)],
      ['/p/videos/b.yaml', file(t + 1_000)],
    ]);
    const rec = { request: 'r', since: Date.now() + 60_000, paths: stamps.keys(), stamps, env: [], writes: [], exit: 0 };
    const data = snapshotOf(rec, {}, '/p/.heygen/plan/snapshot.json');
    if (typeof data === 'string') throw new Error(data);
    const project = data.files.map(([p]) => p).filter((p) => p.startsWith('/p/'));
    expect(project).toEqual(['/p/heygen.lock.yaml', '/p/out/a.mp4', '/p/videos/b.yaml', '/p/videos/a.yaml', '/p/out/a.srt']);
    // The tool's own code (stamped from disk, older than these) comes after them.
    expect(data.files[0]![0]).toBe('/p/heygen.lock.yaml');
    expect(data.files.at(-1)![1]).toEqual(['x']);
  });

  it('checks the lockfile first however many inputs changed after it', async () => {
    const dir = project();
    for (let i = 0; i < 70; i++) writeFileSync(join(dir, 'videos', `n${i}.yaml`), manifest(`Video ${i}.`));
    await kept(dir);
    const data = JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), 'utf8')) as SnapshotData;
    expect(data.files[0]![0]).toBe(join(dir, 'heygen.lock.yaml'));
    writeFileSync(join(dir, 'heygen.lock.yaml'), serializeLockfile(emptyLockfile()));
    await expectMiss(dir, /heygen\.lock\.yaml changed/);
  });

  it('puts the 64 newest first and leaves the others in the order the plan read them', () => {
    const t = Date.now() + 10_000;
    // Read oldest first: the last 64 read are the newest.
    const stamps = new Map<string, Stamp>(Array.from({ length: 70 }, (_, i): [string, Stamp] => [`/p/v${i}.yaml`, ['f', 1, t + i, t + i, i]]));
    const rec = { request: 'r', since: Date.now() + 60_000, paths: stamps.keys(), stamps, env: [], writes: [], exit: 0 };
    const data = snapshotOf(rec, {}, '/p/.heygen/plan/snapshot.json');
    if (typeof data === 'string') throw new Error(data);
    const project = data.files.map(([p]) => p).filter((p) => p.startsWith('/p/'));
    const newest = Array.from({ length: 64 }, (_, k) => `/p/v${69 - k}.yaml`);
    expect(project).toEqual([...newest, '/p/v0.yaml', '/p/v1.yaml', '/p/v2.yaml', '/p/v3.yaml', '/p/v4.yaml', '/p/v5.yaml']);
  });
});
