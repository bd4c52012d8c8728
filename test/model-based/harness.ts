/**
 * The system under test for the model-based build test: a temp project, an emulator on loopback,
 * and the library `build()` run in-process with an optional Ctrl-C.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { build, type BuildResult } from '../../src/api/build.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { BuildEvent } from '../../src/execute/events.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import type { Lockfile } from '../../src/model/lock.js';
import { tempProject } from '../helpers/cli.js';
import { Journal } from './journal.js';

const API_KEY = 'test-key-model-3b7e1d';
/** The message of every render or translation the model fails on purpose. */
export const FAIL_MESSAGE = 'model-injected failure';
/** A build that takes longer than this is hung: report it rather than wait for the test timeout. */
const BUILD_DEADLINE_MS = 20_000;

/** Few scripts on purpose: edits revert to earlier content, and two manifests often share a content key. */
export const SCRIPTS = [
  'Hello from the model test.',
  'A second take on the same script.',
  'Third words, spoken slowly and clearly.',
  'Fourth and final line of the video.',
];
export const LANGUAGES = ['es', 'fr-FR'] as const;

export interface ManifestModel {
  script: number;
  caption: boolean;
  /** Indexes into LANGUAGES. */
  translations: number[];
}

/** What the test believes: the manifests that exist now, by video id. */
export interface Model {
  manifests: Map<string, ManifestModel>;
}

export interface Real {
  dir: string;
  emu: Emulator;
  env: Record<string, string>;
  journal: Journal;
  /** A dead build's lock was left in `.heygen/`: the next build must take it over. */
  staleLockPlanted: boolean;
}

const config = (concurrency: number): string => `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { api: 'v3', concurrency: ${concurrency}, poll: { minMs: 10, maxMs: 40, timeoutMs: 5000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
};
`;

export function manifestText(m: ManifestModel): string {
  const langs = m.translations.map((i) => LANGUAGES[i]!);
  return [
    'avatar: presenter',
    ...(m.caption ? ['caption: true'] : []),
    'scenes:',
    `  - script: ${SCRIPTS[m.script]}`,
    ...(langs.length > 0 ? [`translations: [${langs.join(', ')}]`] : []),
    '',
  ].join('\n');
}

export function writeManifest(r: Real, id: string, m: ManifestModel): void {
  writeFileSync(join(r.dir, 'videos', `${id}.yaml`), manifestText(m));
}

export function deleteManifest(r: Real, id: string): void {
  rmSync(join(r.dir, 'videos', `${id}.yaml`));
}

export const lockPath = (r: Real): string => join(r.dir, 'heygen.lock.yaml');
const buildLockPath = (r: Real): string => join(r.dir, '.heygen', 'build.lock');

export function readLockText(r: Real): string | undefined {
  return existsSync(lockPath(r)) ? readFileSync(lockPath(r), 'utf8') : undefined;
}

/** The lockfile as on disk; it must always parse. */
export function readLock(r: Real): Lockfile | undefined {
  const text = readLockText(r);
  return text === undefined ? undefined : parseLockfile(text, 'heygen.lock.yaml');
}

export interface Setup {
  renderMs: number;
  /** heygen.concurrency: small values make renders and translations queue for slots. */
  concurrency: number;
  initial: ManifestModel[];
}

export async function setup({ renderMs, concurrency, initial }: Setup): Promise<{ model: Model; real: Real }> {
  const emu = await startEmulator({ renderMs, translateMs: renderMs, apiKey: API_KEY });
  const dir = tempProject({ 'heygen.config.mjs': config(concurrency) });
  mkdirSync(join(dir, 'videos'), { recursive: true });
  const real: Real = {
    dir,
    emu,
    env: { HEYGEN_API_KEY: API_KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url },
    journal: Journal.start(),
    staleLockPlanted: false,
  };
  const model: Model = { manifests: new Map() };
  initial.forEach((m, i) => {
    model.manifests.set(`v${i}`, structuredClone(m));
    writeManifest(real, `v${i}`, m);
  });
  return { model, real };
}

export async function teardown(r: Real): Promise<void> {
  r.journal.stop();
  await r.emu.stop();
  rmSync(r.dir, { recursive: true, force: true });
}

export interface BuildRun {
  result?: BuildResult;
  error?: unknown;
  events: BuildEvent[];
}

/**
 * When a Ctrl-C (or a kill) lands: a time into the build, or right after its n-th lockfile save
 * has finished (before the step that waited for it: the POST after an intent, the next journal write).
 */
export type Moment = { ms: number } | { save: number };

/**
 * One in-process build, with a Ctrl-C at `abortAt`; `onAbort` runs right before it (or when the
 * build ends, if it ended first).
 */
export async function runBuild(r: Real, opts: { abortAt?: Moment; onAbort?: () => void } = {}): Promise<BuildRun> {
  const events: BuildEvent[] = [];
  const controller = new AbortController();
  let aborted = false;
  const abort = (): void => {
    if (aborted) return;
    aborted = true;
    opts.onAbort?.();
    controller.abort(new Error('interrupted'));
  };
  const at = opts.abortAt;
  const timer = at && 'ms' in at ? setTimeout(abort, at.ms) : undefined;
  let hung: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    hung = setTimeout(() => reject(new Error(`build did not finish within ${BUILD_DEADLINE_MS} ms`)), BUILD_DEADLINE_MS);
  });
  const run: BuildRun = { events };
  const planted = r.staleLockPlanted;
  r.journal.buildStarted();
  if (at && 'save' in at) r.journal.onSave = (n) => n === at.save && abort();
  try {
    run.result = await Promise.race([build({ cwd: r.dir, env: r.env, signal: controller.signal, emit: (e) => events.push(e) }), deadline]);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('build did not finish')) throw e;
    run.error = e;
  } finally {
    r.journal.buildReturned();
    clearTimeout(hung);
    clearTimeout(timer);
    if (at) abort();
  }

  const left = existsSync(buildLockPath(r));
  r.staleLockPlanted = planted && left;
  if (run.result) {
    // Ours is released on every way out of build(); a dead build's lock is taken over with a warning.
    expect(left, 'build.lock left behind').toBe(false);
    if (planted) expect(events.some((e) => e.type === 'warning' && /stale build lock/.test(e.message)), 'stale lock warning').toBe(true);
  } else if (!planted) {
    expect(left, 'build.lock left behind by a build that threw').toBe(false);
  }
  // The only failures are the ones the model asked the emulator for.
  for (const e of events) {
    if (e.type === 'failed') expect(e.message, `unexpected failure of ${e.id} (${e.code})`).toContain(FAIL_MESSAGE);
  }
  return run;
}

/** What a process killed mid-build leaves: its lock, naming our pid with a token this process never issued. */
export function plantDeadBuildLock(r: Real): void {
  mkdirSync(join(r.dir, '.heygen'), { recursive: true });
  const info = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command: 'model crash', token: 'deadbeefdeadbeef' };
  writeFileSync(buildLockPath(r), `${JSON.stringify(info)}\n`);
  r.staleLockPlanted = true;
}
