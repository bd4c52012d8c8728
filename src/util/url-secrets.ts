/**
 * A configured URL (HEYGEN_API_BASE_URL, a webhook URL) may carry credentials: userinfo
 * (`https://user:pass@gateway/`) or a token in its query string (`https://gateway/?token=…`). Neither
 * may reach a message, a log or an event: these give the parts to redact and a form safe to print.
 */

/** What a secret is replaced with, in every message (providers/heygen/redact.ts too). */
export const REDACTED = '[REDACTED]';

/**
 * The secret parts of `url`: its userinfo and password, its whole query string and each query value,
 * as written and decoded. Empty when it has none (or is undefined).
 */
export function urlSecrets(url: string | undefined): string[] {
  if (url === undefined) return [];
  const out = new Set<string>();
  const add = (s: string): void => {
    if (s === '') return;
    out.add(s);
    try {
      out.add(decodeURIComponent(s));
    } catch {
      // Not percent-encoded after all: the raw form is enough.
    }
  };
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]*)@/i.exec(url)?.[1] ?? /^([^/?#@\s]*)@/.exec(url)?.[1];
  if (userinfo !== undefined) {
    // `token@host` or `user:password@host`: the whole of it, and the password alone (a user name alone,
    // next to its password, is not the secret, and redacting `user` everywhere would maim `/v3/users`).
    add(userinfo);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) add(userinfo.slice(colon + 1));
  }
  const query = /\?([^#]*)/.exec(url)?.[1];
  if (query !== undefined) {
    add(query);
    for (const pair of query.split('&')) add(pair.slice(pair.indexOf('=') + 1));
  }
  // Longest first, so a whole query is replaced before the values inside it.
  return [...out].sort((a, b) => b.length - a.length);
}

/** `url` with its userinfo replaced and its query string or fragment cut (`?…`, `#…`): for a message that must name the URL. */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#@\s]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}${REDACTED}@`).replace(/([?#])[\s\S]*$/, '$1…');
}
