/** What a project gets when it says nothing. The README's config table mirrors this file. */
export const DEFAULT_MANIFESTS = ['videos/**/*.{yaml,yml}'];
export const DEFAULT_OUT_DIR = 'out';
export const DEFAULT_LOCKFILE = 'heygen.lock.yaml';
export const DEFAULT_BASE_URL = 'https://api.heygen.com';
export const DEFAULT_UPLOAD_BASE_URL = 'https://upload.heygen.com';
/** HeyGen's pay-as-you-go cap on concurrent jobs (renders and translations together). */
export const DEFAULT_CONCURRENCY = 10;
export const CONFIG_FILES = ['heygen.config.ts', 'heygen.config.mts', 'heygen.config.js', 'heygen.config.mjs'];
/** Polling backs off from 2 s to 30 s; a job still running after 40 minutes is reported (and resumed next build). */
export const DEFAULT_POLL = { minMs: 2_000, maxMs: 30_000, timeoutMs: 40 * 60_000 };
