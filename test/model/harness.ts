/**
 * The system under test for the model-based build test: a temp project, an emulator on loopback,
 * the library `build()` run in-process, and the invariants checked after every command.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { build, type BuildResult } from '../../src/api/build.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { BuildEvent } from '../../src/execute/events.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { LockStore } from '../../src/lockfile/store.js';
import { emptyLockfile, type Lockfile } from '../../src/model/lock.js';
import { tempProject } from '../helpers/cli.js';

const API_KEY = 'test-key-model-3b7e1d';
export const FAIL_MESSAGE = 'model-injected render failure';
/** A build that takes longer than this is hung: report it rather than wait for the test timeout. */
const BUILD_DEADLINE_MS = 20_000;

/** Few scripts on purpose: edits revert to earlier content and two manifests share a content key. */
export const SCRIPTS = [
  'Hello from the model test.',
  'A second take on the same script.',
  'Third words, spoken slowly and clearly.',
  'Fourth and final line of the video.',
  'Fifth script, about nothing much.',
];

export interface ManifestModel {
  script: number;
  caption: boolean;
}

/** What the test believes: the manifests that exist now, by video id. */
export interface Model {
  manifests: Map<string, ManifestModel>;
}

export interface Real {
  dir: string;
  emu: Emulator;
  env: Record<string, string>;
  /** Every Idempotency-Key any lockfile entry ever held in memory (a save follows before any POST). */
  journaled: Set<string>;
  /** A dead build's lock was left in `.heygen/`: the next build must take it over. */
  staleLockPlanted: boolean;
}

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { api: 'v3', concurrency: 4, poll: { minMs: 10, maxMs: 40, timeoutMs: 5000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
};
`;

export function manifestText(m: ManifestModel): string {
  return `avatar: presenter\n${m.caption ? 'caption: true\n' : ''}scenes:\n  - script: ${SCRIPTS[m.script]}\n`;
}

export function writeManifest(r: Real, id: string, m: ManifestModel): void {
  writeFileSync(join(r.dir, 'videos', `${id}.yaml`), manifestText(m));
}

export function deleteManifest(r: Real, id: string): void {
  rmSync(join(r.dir, 'videos', `${id}.yaml`));
}

export const lockPath = (r: Real): string => join(r.dir, 'heygen.lock.yaml');
export const buildLockPath = (r: Real): string => join(r.dir, '.heygen', 'build.lock');

export function readLockText(r: Real): string | undefined {
  return existsSync(lockPath(r)) ? readFileSync(lockPath(r), 'utf8') : undefined;
}

/** The lockfile as on disk; it must always parse. */
export function readLock(r: Real): Lockfile | undefined {
  const text = readLockText(r);
  return text === undefined ? undefined : parseLockfile(text, 'heygen.lock.yaml');
}

let journal: Set<string> | undefined;

/**
 * Records every Idempotency-Key a lockfile entry holds after each `LockStore.update`. The executor
 * awaits that update's save before it POSTs, so a key sent to the server and absent here was sent
 * without being journaled first.
 */
export function spyOnJournal(): void {
  const original = LockStore.prototype.update;
  vi.spyOn(LockStore.prototype, 'update').mockImplementation(function (this: LockStore, mutator) {
    const saved = original.call(this, mutator);
    for (const v of Object.values(this.lock.videos)) {
      if (v.idempotencyKey) journal?.add(v.idempotencyKey);
      for (const t of Object.values(v.translations)) if (t.idempotencyKey) journal?.add(t.idempotencyKey);
    }
    return saved;
  });
}

export async function setup(renderMs: number, initial: ManifestModel[]): Promise<{ model: Model; real: Real }> {
  const emu = await startEmulator({ renderMs, apiKey: API_KEY });
  const dir = tempProject({ 'heygen.config.mjs': CONFIG });
  mkdirSync(join(dir, 'videos'), { recursive: true });
  const real: Real = {
    dir,
    emu,
    env: { HEYGEN_API_KEY: API_KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url },
    journaled: new Set(),
    staleLockPlanted: false,
  };
  journal = real.journaled;
  const model: Model = { manifests: new Map() };
  initial.forEach((m, i) => {
    model.manifests.set(`v${i}`, { ...m });
    writeManifest(real, `v${i}`, m);
  });
  return { model, real };
}

export async function teardown(r: Real): Promise<void> {
  journal = undefined;
  await r.emu.stop();
  rmSync(r.dir, { recursive: true, force: true });
}

export interface BuildRun {
  result?: BuildResult;
  error?: unknown;
  events: BuildEvent[];
}

/** One in-process build; `abortAfterMs` is a Ctrl-C that many ms in, `onAbort` runs right before it. */
export async function runBuild(r: Real, opts: { abortAfterMs?: number; onAbort?: () => void } = {}): Promise<BuildRun> {
  const events: BuildEvent[] = [];
  const controller = new AbortController();
  const timer =
    opts.abortAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          opts.onAbort?.();
          controller.abort(new Error('interrupted'));
        }, opts.abortAfterMs);
  let hung: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    hung = setTimeout(() => reject(new Error(`build did not finish within ${BUILD_DEADLINE_MS} ms`)), BUILD_DEADLINE_MS);
  });
  const run: BuildRun = { events };
  try {
    run.result = await Promise.race([
      build({ cwd: r.dir, env: r.env, signal: controller.signal, emit: (e) => events.push(e) }),
      deadline,
    ]);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('build did not finish')) throw e;
    run.error = e;
  } finally {
    clearTimeout(hung);
    // A build that ended before its Ctrl-C still gets the snapshot (`onAbort`), just later.
    if (timer !== undefined && !controller.signal.aborted) {
      clearTimeout(timer);
      opts.onAbort?.();
    }
  }
  const planted = r.staleLockPlanted;
  const left = existsSync(buildLockPath(r));
  r.staleLockPlanted = planted && left;
  if (run.result) {
    // Ours is released on every way out of build(); a dead build's lock is taken over with a warning.
    expect(left, 'build.lock left behind').toBe(false);
    if (planted) expect(events.some((e) => e.type === 'warning' && /stale build lock/.test(e.message)), 'stale lock warning').toBe(true);
  } else if (!planted) {
    expect(left, 'build.lock left behind by a build that threw').toBe(false);
  }
  // The only failures are the renders the model told the emulator to fail.
  for (const e of events) {
    if (e.type === 'failed') expect(e.message, `unexpected failure of ${e.id} (${e.code})`).toContain(FAIL_MESSAGE);
  }
  return run;
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Invariants that hold after every command, whatever the faults and interruptions. */
export function checkInvariants(r: Real): void {
  const jobs = r.emu.jobs();
  const videoJobs = jobs.filter((j) => j.kind === 'video');
  // (1) Each (content key, attempt) was created at most once, and only after it was journaled.
  const byKey = new Map<string, string[]>();
  for (const j of videoJobs) {
    expect(j.idempotencyKey, `video job ${j.id} was created without an Idempotency-Key`).toBeDefined();
    byKey.set(j.idempotencyKey!, [...(byKey.get(j.idempotencyKey!) ?? []), j.id]);
  }
  for (const [key, ids] of byKey) {
    expect(ids, `Idempotency-Key ${key} created ${ids.length} jobs`).toHaveLength(1);
    expect(r.journaled.has(key), `${key} reached the server but was never journaled`).toBe(true);
  }
  expect(videoJobs.length).toBeLessThanOrEqual(r.journaled.size);
  for (const req of r.emu.requests) {
    if (req.method !== 'POST' || req.path !== '/v3/videos') continue;
    const key = req.headers['idempotency-key'];
    expect(key !== undefined && r.journaled.has(key), `POST /v3/videos with unjournaled key ${String(key)}`).toBe(true);
  }

  // (2) The lockfile parses, and every id it names exists on the server, created for that entry's key.
  const lock = readLock(r);
  if (!lock) return;
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const [id, v] of Object.entries(lock.videos)) {
    if (v.remoteId !== undefined) {
      const job = byId.get(v.remoteId);
      expect(job, `${id}: lockfile names unknown remote id ${v.remoteId}`).toBeDefined();
      expect(job!.idempotencyKey, `${id}: remote ${v.remoteId} belongs to another key`).toBe(v.idempotencyKey);
    }
    for (const [lang, t] of Object.entries(v.translations)) {
      if (t.remoteId !== undefined) expect(byId.has(t.remoteId), `${id}@${lang}: unknown remote id ${t.remoteId}`).toBe(true);
    }
  }
  const assets = new Set(r.emu.assets().map((a) => a.id));
  for (const a of Object.values(lock.assets)) expect(assets.has(a.remoteId), `unknown asset id ${a.remoteId}`).toBe(true);
}

/** (3) After a fault-free build to completion: every manifest's video is rendered, on disk, and recorded. */
export function checkFinal(m: Model, r: Real): void {
  // A project that never had a video to build has no lockfile yet.
  const lock = readLock(r) ?? emptyLockfile();
  expect(Object.keys(lock.videos).sort()).toEqual([...m.manifests.keys()].sort());
  const byId = new Map(r.emu.jobs().map((j) => [j.id, j]));
  for (const [id, manifest] of m.manifests) {
    const v = lock.videos[id]!;
    expect(v.status, id).toBe('completed');
    expect(byId.get(v.remoteId!)?.status, `${id}: remote job`).toBe('completed');
    const files = manifest.caption ? [v.output, v.captions] : [v.output];
    for (const f of files) {
      expect(f, `${id}: file record`).toBeDefined();
      const abs = join(r.dir, f!.path);
      expect(existsSync(abs), `${f!.path} exists`).toBe(true);
      expect(readFileSync(abs).length, `${f!.path} size`).toBe(f!.size);
      expect(sha256(abs), `${f!.path} sha256`).toBe(f!.sha256);
    }
  }
}

export function plantDeadBuildLock(r: Real): void {
  // Our own pid with a token this process never issued: what a killed earlier process with our pid leaves.
  mkdirSync(join(r.dir, '.heygen'), { recursive: true });
  const info = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command: 'model crash', token: 'deadbeefdeadbeef' };
  writeFileSync(buildLockPath(r), `${JSON.stringify(info)}\n`);
  r.staleLockPlanted = true;
}
