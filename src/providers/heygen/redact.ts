/**
 * Keeping secrets and signed URLs out of messages. An API key can come back to us inside a
 * server's error text or a network error, and presigned download URLs carry signatures in their
 * query string, so every message this provider builds passes through here.
 */

import { displayUrl, REDACTED } from '../../util/url-secrets.js';

export { REDACTED };

/** `text` with every occurrence of each secret replaced. Secrets shorter than 4 chars are ignored (too likely to match by chance). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    // A key echoed through URL or JSON encoding would slip past the plain match.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** A URL without its query and fragment (where presigned signatures live), for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    // Not a URL the parser takes: its userinfo and query cut by pattern.
    return displayUrl(url);
  }
}

/** A short, redacted description of a thrown value, for a message or a sanitized `cause`. */
export function describeError(err: unknown, secrets: readonly (string | undefined)[]): string {
  let text: string;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    text = typeof code === 'string' && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  } else {
    text = String(err);
  }
  // URLs in messages lose their query strings too.
  text = text.replace(/https?:\/\/[^\s"'<>]+/g, (u) => safeUrl(u));
  return redact(text, secrets);
}
