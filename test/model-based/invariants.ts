/** The properties the model-based build test checks after every command, and after the final build. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { JobView } from '../../src/emulator/index.js';
import { emptyLockfile, type FileRecord } from '../../src/model/lock.js';
import { readLock, type Model, type Real } from './harness.js';

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const it of items) groups.set(key(it), [...(groups.get(key(it)) ?? []), it]);
  return groups;
}

/** (1) Each (content key, attempt) of a clip or a whole video became at most one job, and only after it was journaled. */
function checkServer(r: Real): void {
  const { journal } = r;
  const jobs = r.emu.jobs();
  const videos = jobs.filter((j) => j.kind === 'video');
  for (const j of videos) {
    expect(j.idempotencyKey, `video job ${j.id} was created without an Idempotency-Key`).toBeDefined();
    expect(journal.videoPairs.has(j.idempotencyKey!), `${j.idempotencyKey} created a job but was never journaled`).toBe(true);
  }
  for (const [key, group] of groupBy(videos, (j) => j.idempotencyKey!)) {
    expect(group.map((j) => j.id), `Idempotency-Key ${key} created more than one video job`).toHaveLength(1);
  }
  // The key is a function of (content key, attempt) and back: a replay can only ever return the same job.
  for (const [idem, pairs] of journal.videoPairs) expect([...pairs], `${idem} journaled for several (key, attempt)`).toHaveLength(1);
  for (const [pair, keys] of journal.videoKeys) expect([...keys], `${pair} journaled under several keys`).toHaveLength(1);
  expect(videos.length).toBeLessThanOrEqual(journal.videoKeys.size);

  // Translations: one job per (group key, language).
  const translations = jobs.filter((j) => j.kind === 'translation');
  for (const j of translations) {
    expect(j.idempotencyKey !== undefined && journal.translationKeys.has(j.idempotencyKey), `translation ${j.id}: key not journaled`).toBe(true);
  }
  for (const [key, group] of groupBy(translations, (j) => `${j.idempotencyKey} ${j.outputLanguage}`)) {
    expect(group.map((j) => j.id), `${key} created more than one translation job`).toHaveLength(1);
  }

  // Every paid POST carried a key that was on disk before it left.
  for (const req of r.emu.requests) {
    if (req.method !== 'POST') continue;
    const key = req.headers['idempotency-key'];
    if (req.path === '/v3/videos') expect(key !== undefined && journal.videoPairs.has(key), `POST ${req.path} with unjournaled key ${String(key)}`).toBe(true);
    if (req.path === '/v3/video-translations') expect(key !== undefined && journal.translationKeys.has(key), `POST ${req.path} with unjournaled key ${String(key)}`).toBe(true);
  }
}

/** (2) The lockfile parses, and every id it names exists on the server and is the job made for that entry. */
function checkLockfile(r: Real): void {
  const lock = readLock(r);
  if (!lock) return;
  const byId = new Map<string, JobView>(r.emu.jobs().map((j) => [j.id, j]));
  for (const [id, v] of Object.entries(lock.videos)) {
    if (v.remoteId !== undefined) {
      const job = byId.get(v.remoteId);
      expect(job, `${id}: the lockfile names unknown remote id ${v.remoteId}`).toBeDefined();
      expect(job!.kind).toBe('video');
      expect(job!.idempotencyKey, `${id}: remote ${v.remoteId} was made for another key`).toBe(v.idempotencyKey);
    }
    // A composed video names no render of its own: its clips do.
    if (v.composed) expect(v.remoteId, `${id}: a composed video has no remote id`).toBeUndefined();
    for (const [lang, t] of Object.entries(v.translations)) {
      if (t.remoteId === undefined) continue;
      const job = byId.get(t.remoteId);
      expect(job, `${id}@${lang}: the lockfile names unknown remote id ${t.remoteId}`).toBeDefined();
      expect(job!.kind).toBe('translation');
      expect(job!.outputLanguage, `${id}@${lang}: remote ${t.remoteId} is another language's job`).toBe(t.language);
      expect(job!.idempotencyKey, `${id}@${lang}: remote ${t.remoteId} was made for another key`).toBe(t.idempotencyKey);
    }
  }
  for (const [key, c] of Object.entries(lock.clips ?? {})) {
    if (c.remoteId === undefined) continue;
    const job = byId.get(c.remoteId);
    expect(job, `clip ${key}: the lockfile names unknown remote id ${c.remoteId}`).toBeDefined();
    expect(job!.kind).toBe(c.kind === 'speech' ? 'speech' : 'video');
    expect(job!.idempotencyKey, `clip ${key}: remote ${c.remoteId} was made for another key`).toBe(c.idempotencyKey);
  }
  const assets = new Set(r.emu.assets().map((a) => a.id));
  for (const a of Object.values(lock.assets)) expect(assets.has(a.remoteId), `unknown asset id ${a.remoteId}`).toBe(true);
}

export function checkInvariants(r: Real): void {
  // A build that returned while its work went on would race the next build for the lockfile.
  expect(r.journal.strayWrites.slice(0, 1), 'lockfile written after build() returned').toEqual([]);
  checkServer(r);
  checkLockfile(r);
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function checkFile(r: Real, what: string, f: FileRecord | undefined): void {
  expect(f, `${what}: no file recorded`).toBeDefined();
  const abs = join(r.dir, f!.path);
  expect(existsSync(abs), `${f!.path} exists`).toBe(true);
  expect(readFileSync(abs).length, `${f!.path} size`).toBe(f!.size);
  expect(sha256(abs), `${f!.path} sha256`).toBe(f!.sha256);
}

/** (3) After a build that ended ok: every manifest's video and translations are rendered, on disk, recorded. */
export function checkConverged(m: Model, r: Real): void {
  // A project that never had a video to build has no lockfile yet.
  const lock = readLock(r) ?? emptyLockfile();
  expect(Object.keys(lock.videos).sort(), 'the lockfile lists exactly the manifests').toEqual([...m.manifests.keys()].sort());
  const byId = new Map(r.emu.jobs().map((j) => [j.id, j]));
  for (const [id, manifest] of m.manifests) {
    const v = lock.videos[id]!;
    expect(v.status, id).toBe('completed');
    // Composed from its scene clips (each checked below), or a whole-video render.
    if (v.composed) expect(v.remoteId, id).toBeUndefined();
    else expect(byId.get(v.remoteId!)?.status, `${id}: remote job`).toBe('completed');
    checkFile(r, id, v.output);
    if (manifest.caption) checkFile(r, `${id} captions`, v.captions);
    expect(Object.keys(v.translations).length, `${id}: translations`).toBe(manifest.translations.length);
    for (const [lang, t] of Object.entries(v.translations)) {
      expect(t.status, `${id}@${lang}`).toBe('completed');
      expect(byId.get(t.remoteId!)?.status, `${id}@${lang}: remote job`).toBe('completed');
      checkFile(r, `${id}@${lang}`, t.output);
    }
  }
  // Every clip the lockfile keeps as rendered was rendered by HeyGen and is whole on disk. (That the
  // current manifests' clips are all among them is checked by the next build paying for nothing.)
  for (const [key, c] of Object.entries(lock.clips ?? {})) {
    if (c.status !== 'completed') continue;
    if (c.remoteId !== undefined) expect(byId.get(c.remoteId)?.status, `clip ${key}: remote job`).toBe('completed');
    checkFile(r, `clip ${key}`, c.file);
  }
}
