/** A project for remote-store e2e tests: the e2e project's config with a `remote` from the environment. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempProject } from '../helpers/cli.js';
import { CONFIG, MANIFESTS } from './project.js';

/** The remote comes from TEST_REMOTE_URL (and TEST_REMOTE_ENDPOINT for S3), so each test picks its store. */
export const REMOTE_CONFIG = CONFIG.replace(
  'defaults: {',
  `remote: { url: process.env.TEST_REMOTE_URL, ...(process.env.TEST_REMOTE_ENDPOINT ? { endpoint: process.env.TEST_REMOTE_ENDPOINT, forcePathStyle: true } : {}) },
  defaults: {`,
);

/** Two videos, three avatar scenes (no translations: those are not shared through the store). */
export function remoteProject(extra: Record<string, string> = {}): string {
  return tempProject({ 'heygen.config.mjs': REMOTE_CONFIG, 'videos/intro.yaml': MANIFESTS['videos/intro.yaml']!, 'videos/tour.yaml': MANIFESTS['videos/tour.yaml']!, ...extra });
}

/** A copy of `dir` as a fresh clone has it: what git tracks (config, manifests, lockfile), no outputs, no .heygen. */
export function freshClone(dir: string, withLockfile = true): string {
  const to = mkdtempSync(join(tmpdir(), 'hb-clone-'));
  cpSync(dir, to, { recursive: true });
  rmSync(join(to, 'out'), { recursive: true, force: true });
  rmSync(join(to, '.heygen'), { recursive: true, force: true });
  if (!withLockfile) rmSync(join(to, 'heygen.lock.yaml'), { force: true });
  return to;
}
