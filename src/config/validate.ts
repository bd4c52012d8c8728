/**
 * Shape checks for `heygen.config.ts`. The config is code, not data with positions: errors name the file and
 * the setting's path, placed at `file:line:col` when the setting is found in the config's text (searched for,
 * as src/util/search-keys.ts does). `defaults` is checked later against the manifest schema.
 */
import { HeygenBuildError } from '../errors.js';
import type { HeygenBuildConfig } from '../model/config.js';
import { didYouMeanText as didYouMean } from '../util/suggest.js';
import { checkTextStyles } from './text-styles.js';
import { baseUrlProblem, isHttpUrl } from './base-url.js';
import { searchKeys } from '../util/search-keys.js';

const TOP = ['manifests', 'outDir', 'lockfile', 'provider', 'heygen', 'defaults', 'avatars', 'voices', 'textStyles', 'budget', 'webhook', 'exports', 'review', 'remote'];
const REMOTE = ['url', 'region', 'endpoint', 'forcePathStyle'];
const HEYGEN = ['api', 'baseUrl', 'uploadBaseUrl', 'concurrency', 'poll'];
const POLL = ['minMs', 'maxMs', 'timeoutMs'];
const BUDGET = ['maxCredits'];
const EXPORTS = ['remotion', 'otio'];
const ALIAS_KEYS = {
  avatars: ['id', 'style', 'scale', 'offset', 'engine', 'expressiveness', 'motion', 'voice'],
  voices: ['id', 'speed', 'pitch', 'emotion', 'locale', 'volume', 'elevenlabs'],
} as const;
const ELEVENLABS_KEYS = ['model', 'stability', 'similarity_boost', 'style'];
const ELEVENLABS_MODELS = ['eleven_multilingual_v2', 'eleven_turbo_v2_5', 'eleven_flash_v2_5', 'eleven_v3'];
const EMOTIONS = ['Excited', 'Friendly', 'Serious', 'Soothing', 'Broadcaster'];

/** The same ranges the manifest schema enforces for inline values. */
function checkAlias(table: 'avatars' | 'voices', name: string, v: Record<string, unknown>, fail: (path: string, msg: string) => void): void {
  const p = `${table}.${name}`;
  const num = (k: string, min: number, max: number): void => {
    const x = v[k];
    if (x !== undefined && !(typeof x === 'number' && x >= min && x <= max)) fail(`${p}.${k}`, `must be a number from ${min} to ${max}`);
  };
  if (table === 'avatars') {
    if (v.style !== undefined && !['normal', 'closeUp', 'circle'].includes(v.style as string)) fail(`${p}.style`, 'must be normal, closeUp or circle');
    num('scale', 0, 5);
    if (v.engine !== undefined && !['avatar_iii', 'avatar_iv', 'avatar_v'].includes(v.engine as string)) fail(`${p}.engine`, 'must be avatar_iii, avatar_iv or avatar_v');
    if (v.expressiveness !== undefined && !['low', 'medium', 'high'].includes(v.expressiveness as string)) fail(`${p}.expressiveness`, 'must be low, medium or high');
    if (v.motion !== undefined && (typeof v.motion !== 'string' || v.motion === '')) fail(`${p}.motion`, 'must be a non-empty string');
    if (v.voice !== undefined && typeof v.voice !== 'string') fail(`${p}.voice`, 'must be a voice alias or id');
  } else {
    num('speed', 0.5, 1.5);
    num('pitch', -50, 50);
    num('volume', 0, 1);
    if (v.emotion !== undefined && !EMOTIONS.includes(v.emotion as string)) fail(`${p}.emotion`, `must be one of ${EMOTIONS.join(', ')}`);
    if (v.elevenlabs !== undefined) checkElevenLabs(v.elevenlabs, `${p}.elevenlabs`, fail);
  }
}

/** `voices.<name>.elevenlabs`: HeyGen's names, the schema's ranges. */
function checkElevenLabs(e: unknown, p: string, fail: (path: string, msg: string) => void): void {
  if (!isObject(e)) return fail(p, 'must be a map of model, stability, similarity_boost, style');
  for (const k of Object.keys(e)) if (!ELEVENLABS_KEYS.includes(k)) fail(`${p}.${k}`, `is not a setting (${ELEVENLABS_KEYS.join(', ')})`);
  if (e.model !== undefined && !ELEVENLABS_MODELS.includes(e.model as string)) fail(`${p}.model`, `must be one of ${ELEVENLABS_MODELS.join(', ')}`);
  for (const k of ['stability', 'similarity_boost', 'style']) {
    const x = e[k];
    if (x !== undefined && !(typeof x === 'number' && x >= 0 && x <= 1)) fail(`${p}.${k}`, 'must be a number from 0 to 1');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks a loaded config's shape and returns it typed, or throws one E_CONFIG error that lists every problem.
 * `file` is the config as the message names it; `source`, its text, read only when there is a problem to place.
 */
export function validateConfig(raw: unknown, file: string, source?: () => string | undefined): HeygenBuildConfig {
  const problems: string[] = [];
  let text: string | undefined | null = null;
  const fail: Fail = (path, msg) => {
    if (text === null) text = source?.();
    const pos = text === undefined ? undefined : searchKeys(text, path.split('.'));
    problems.push(`${pos ? `${file}:${pos.line}:${pos.column}: ` : ''}${path} ${msg}`);
  };
  if (!isObject(raw)) {
    throw new HeygenBuildError('E_CONFIG', `${file}: the config must export an object`, {
      hint: "export default defineConfig({ manifests: ['videos/**/*.yaml'] })",
    });
  }
  unknownKeys(raw, TOP, '', fail);
  checkPlaces(raw, fail);
  checkHeygen(raw.heygen, fail);
  checkAliasTables(raw, fail);
  checkTextStyles(raw.textStyles, fail);
  checkReview(raw.review, fail);
  checkBudget(raw.budget, fail);
  checkWebhook(raw.webhook, fail);
  checkExports(raw.exports, fail);
  checkRemote(raw.remote, fail);
  if (problems.length > 0) {
    throw new HeygenBuildError('E_CONFIG', `${file}: invalid config:\n  - ${problems.join('\n  - ')}`, {
      hint: 'see "Configuration" in the README for every setting',
    });
  }
  return raw;
}

/** Records a problem: the setting's path and what is wrong with it. */
type Fail = (path: string, msg: string) => void;

/** Each key of `obj` that is not a setting, with the nearest one that is. */
function unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], prefix: string, fail: Fail): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) fail(`${prefix}${k}`, `is not a setting${didYouMean(k, allowed)}`);
  }
}

function nonEmptyString(v: unknown, path: string, fail: Fail): void {
  if (v !== undefined && (typeof v !== 'string' || v === '')) fail(path, 'must be a non-empty string');
}

/** Where things are and who renders them: `manifests`, `outDir`, `lockfile`, `provider`. */
function checkPlaces(raw: Record<string, unknown>, fail: Fail): void {
  const m = raw.manifests;
  if (m !== undefined && typeof m !== 'string' && !(Array.isArray(m) && m.length > 0 && m.every((x) => typeof x === 'string'))) {
    fail('manifests', 'must be a glob or a non-empty list of globs');
  }
  nonEmptyString(raw.outDir, 'outDir', fail);
  nonEmptyString(raw.lockfile, 'lockfile', fail);
  if (raw.provider !== undefined && !['auto', 'heygen', 'local'].includes(raw.provider as string)) {
    fail('provider', `must be one of auto, heygen, local${typeof raw.provider === 'string' ? didYouMean(raw.provider, ['auto', 'heygen', 'local']) : ''}`);
  }
}

/** `heygen: { api, baseUrl, uploadBaseUrl, concurrency, poll }`. */
function checkHeygen(h: unknown, fail: Fail): void {
  if (h === undefined) return;
  if (!isObject(h)) return fail('heygen', 'must be an object');
  unknownKeys(h, HEYGEN, 'heygen.', fail);
  if (h.api !== undefined && h.api !== 'v3' && h.api !== 'v2') {
    // v3 is the API; 'v2' is still read (legacy, W_LEGACY_API) but never offered as a fix.
    fail('heygen.api', `must be 'v3', the default${typeof h.api === 'string' ? ` (got ${JSON.stringify(h.api)})` : ''}: leave it out`);
  }
  checkBaseUrls(h, fail);
  const c = h.concurrency;
  if (c !== undefined && !(Number.isInteger(c) && (c as number) >= 1 && (c as number) <= 100)) {
    fail('heygen.concurrency', 'must be an integer from 1 to 100');
  }
  if (h.poll === undefined) return;
  if (!isObject(h.poll)) return fail('heygen.poll', 'must be an object');
  unknownKeys(h.poll, POLL, 'heygen.poll.', fail);
  for (const k of POLL) {
    const v = h.poll[k];
    if (v !== undefined && !(typeof v === 'number' && v > 0)) fail(`heygen.poll.${k}`, 'must be a number of milliseconds > 0');
  }
}

/** `defaults`, and the `avatars` and `voices` tables: each alias an id, or an object with an id and settings. */
function checkAliasTables(raw: Record<string, unknown>, fail: Fail): void {
  for (const k of ['defaults', 'avatars', 'voices'] as const) {
    if (raw[k] !== undefined && !isObject(raw[k])) fail(k, 'must be an object');
  }
  for (const table of ['avatars', 'voices'] as const) {
    const t = raw[table];
    if (!isObject(t)) continue;
    for (const [name, v] of Object.entries(t)) {
      if (typeof v === 'string' ? v === '' : !(isObject(v) && typeof v.id === 'string' && v.id !== '')) {
        fail(`${table}.${name}`, "must be an id or an object with an 'id'");
      } else if (isObject(v)) {
        unknownKeys(v, ALIAS_KEYS[table], `${table}.${name}.`, fail);
        checkAlias(table, name, v, fail);
      }
    }
  }
}

/** `budget: { maxCredits }`. */
function checkBudget(b: unknown, fail: Fail): void {
  if (b === undefined) return;
  if (!isObject(b)) return fail('budget', 'must be an object');
  unknownKeys(b, BUDGET, 'budget.', fail);
  const mc = b.maxCredits;
  if (mc !== undefined && !(typeof mc === 'number' && mc >= 0)) fail('budget.maxCredits', 'must be a number >= 0');
}

/** `exports: { remotion?, otio? }`: the folders `build` writes exports to. */
function checkExports(e: unknown, fail: Fail): void {
  if (e === undefined) return;
  if (!isObject(e)) return fail('exports', 'must be an object: { remotion?: folder, otio?: folder }');
  unknownKeys(e, EXPORTS, 'exports.', fail);
  for (const k of EXPORTS) nonEmptyString(e[k], `exports.${k}`, fail);
}

/** `heygen.baseUrl`, `heygen.uploadBaseUrl`: plain http(s) URLs (see base-url.ts), named with their fix, never echoed. */
function checkBaseUrls(h: Record<string, unknown>, fail: (at: string, why: string) => void): void {
  for (const k of ['baseUrl', 'uploadBaseUrl']) {
    const v = h[k];
    const problem = v === undefined ? undefined : baseUrlProblem(typeof v === 'string' ? v : '');
    if (problem) fail(`heygen.${k}`, `${problem.why}: ${problem.fix}`);
  }
}

/** `webhook: { url }`: where HeyGen posts when a render ends (an http(s) URL). */
function checkWebhook(w: unknown, fail: (at: string, why: string) => void): void {
  if (w === undefined) return;
  if (!isObject(w)) return fail('webhook', 'must be an object: { url: "https://..." }');
  for (const k of Object.keys(w)) if (k !== 'url') fail(`webhook.${k}`, 'is not a setting (webhook takes only url)');
  if (w.url !== undefined && !isHttpUrl(w.url)) fail('webhook.url', 'must be an http(s) URL, e.g. "https://hooks.example.com/heygen"');
}

/** `review.srt`: a project-relative path pattern that names each language's file apart. */
function checkReview(raw: unknown, fail: (path: string, msg: string) => void): void {
  if (raw === undefined) return;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('review', 'must be an object like { srt: "translations/{id}.{language}.srt" }');
  for (const k of Object.keys(raw)) if (k !== 'srt') fail(`review.${k}`, 'is not a setting (review takes srt)');
  const srt = (raw as { srt?: unknown }).srt;
  if (srt === undefined) return;
  if (typeof srt !== 'string' || !srt.includes('{id}') || !srt.includes('{language}') || !srt.endsWith('.srt')) {
    fail('review.srt', 'must be a path ending in .srt with {id} and {language} in it, like "translations/{id}.{language}.srt"');
  } else if (srt.startsWith('/') || srt.split('/').includes('..')) {
    fail('review.srt', 'must stay inside the project (a relative path without ..)');
  }
}

/** `remote: {url, region?, endpoint?, forcePathStyle?}`; the url's form is checked when the store opens (E_REMOTE_CONFIG). */
function checkRemote(r: unknown, fail: Fail): void {
  if (r === undefined) return;
  if (!isObject(r)) return fail('remote', "must be an object like { url: 's3://bucket/prefix' }");
  unknownKeys(r, REMOTE, 'remote.', fail);
  if (typeof r.url !== 'string' || !/^(s3|file):\/\/./.test(r.url)) fail('remote.url', 'must be s3://bucket/prefix or file:///path');
  for (const k of ['region', 'endpoint'] as const) if (r[k] !== undefined && (typeof r[k] !== 'string' || r[k] === '')) fail(`remote.${k}`, 'must be a non-empty string');
  if (typeof r.endpoint === 'string' && !/^https?:\/\//.test(r.endpoint)) fail('remote.endpoint', 'must be an http(s) URL');
  if (r.forcePathStyle !== undefined && typeof r.forcePathStyle !== 'boolean') fail('remote.forcePathStyle', 'must be true or false');
  // A user:secret@ would be echoed by every message naming the store: refused, and never repeated here.
  for (const k of ['url', 'endpoint'] as const) {
    if (typeof r[k] === 'string' && /^[a-z0-9+.-]+:\/\/[^/@]*@/i.test(r[k])) fail(`remote.${k}`, 'must not hold credentials (user:secret@): they come only from the AWS environment and credential chain');
  }
}
