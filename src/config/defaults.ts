/** What a project gets when it says nothing. The README's config table mirrors this file. */
export const DEFAULT_MANIFESTS = ['videos/**/*.{yaml,yml}'];
/** Where videos are written when the config names no outDir. */
export const DEFAULT_OUT_DIR = 'out';
/** The lockfile's name when the config names none. */
export const DEFAULT_LOCKFILE = 'heygen.lock.yaml';
/** HeyGen's API base URL, unless the config or HEYGEN_API_BASE_URL points elsewhere (the emulator in tests). */
export const DEFAULT_BASE_URL = 'https://api.heygen.com';
/** HeyGen's upload base URL, unless the config or HEYGEN_UPLOAD_BASE_URL points elsewhere. */
export const DEFAULT_UPLOAD_BASE_URL = 'https://upload.heygen.com';
/** HeyGen's pay-as-you-go cap on concurrent jobs (renders and translations together). */
export const DEFAULT_CONCURRENCY = 10;
/** The config file names looked for in the project folder, in order. */
export const CONFIG_FILES = ['heygen.config.ts', 'heygen.config.mts', 'heygen.config.js', 'heygen.config.mjs'];
/** Polling backs off from 2 s to 30 s; a job still running after 40 minutes is reported (and resumed next build). */
export const DEFAULT_POLL = { minMs: 2_000, maxMs: 30_000, timeoutMs: 40 * 60_000 };
/** Where a reviewed translation's SRT is kept: `{id}` is the video id, `{language}` the language as written. */
export const DEFAULT_REVIEW_SRT = 'translations/{id}.{language}.srt';
