/**
 * HeyGen base URLs (`HEYGEN_API_BASE_URL`, `HEYGEN_UPLOAD_BASE_URL`, `heygen.baseUrl`,
 * `heygen.uploadBaseUrl`). Every request's path is appended to the base as written
 * (`${base}/v3/videos`), so a query string or fragment there sends every request to the wrong path
 * (`/?token=x/v3/videos`: HeyGen answers 404), and userinfo (`user:pass@`) is never sent at all.
 * Each is refused at start, by name and with its fix, and without the secret it may hold.
 */

/** What is wrong with a base URL and how to fix it; neither ever contains the URL's secrets. */
export interface BaseUrlProblem {
  why: string;
  fix: string;
}

const EMULATOR_EXAMPLE = 'http://127.0.0.1:4010 for `heygen-build emulator --port 4010`';

/** True for an absolute http or https URL. */
export function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A part a base URL cannot carry: what to call it, and what it does to the requests. */
interface ExtraPart {
  /** As the message names it (`a query string (?…)`). */
  name: string;
  /** As the fix names it (`the query string`). */
  drop: string;
  effect: string;
}

/** The parts of an http(s) URL a base URL cannot carry, as written (`user:pass@`, `?…`, `#…`). */
function extraParts(url: string): ExtraPart[] {
  const parts: ExtraPart[] = [];
  // The authority as written: WHATWG's parser drops an empty `@` (http://@host/), which is still a mistake.
  if (/^[a-z][a-z0-9+.-]*:[\\/]*[^/\\?#]*@/i.test(url)) parts.push({ name: 'a user:password@ part', drop: 'the user:password@ part', effect: 'a user and password there are never sent' });
  if (url.includes('?')) parts.push({ name: 'a query string (?…)', drop: 'the query string', effect: "each request's path is appended to the URL, so a query sends every request to the wrong path" });
  if (url.includes('#')) parts.push({ name: 'a fragment (#…)', drop: 'the fragment', effect: "each request's path is appended to the URL, so a fragment cuts it off" });
  return parts;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** Why `url` cannot be a HeyGen base URL, or undefined when it can. */
export function baseUrlProblem(url: string): BaseUrlProblem | undefined {
  if (!isHttpUrl(url)) {
    return { why: 'must be an http(s) URL', fix: `unset it to use HeyGen's own, or give the whole URL with its scheme, e.g. ${EMULATOR_EXAMPLE}` };
  }
  const parts = extraParts(url);
  if (parts.length === 0) return undefined;
  const effects = [...new Set(parts.map((p) => p.effect))];
  return {
    why: `must be a plain http(s) URL (scheme, host, port and path), but it carries ${listed(parts.map((p) => p.name))}`,
    fix: `drop ${listed(parts.map((p) => p.drop))}: ${effects.join('; ')}; the API key goes in HEYGEN_API_KEY`,
  };
}
