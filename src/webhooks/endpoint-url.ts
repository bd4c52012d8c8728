/**
 * The URL `webhooks register --url` gives HeyGen. HeyGen's schema for `POST /v3/webhooks/endpoints`
 * asks for a "publicly accessible HTTPS URL", so it is checked before any request: an absolute
 * `https://` URL, or plain `http://` to a loopback host (`localhost`, 127.0.0.0/8, `[::1]`), the only
 * way to reach a receiver on this machine (the emulator's deliveries; real HeyGen cannot reach it).
 * No user:password@ part: HeyGen would keep it and list it, and the signature already says who sent a delivery.
 *
 * (`webhook.url` / `HEYGEN_WEBHOOK_URL`, the per-request `callback_url`, is another field with no such rule.)
 */
import { HeygenBuildError } from '../errors.js';
import { displayUrl } from '../util/url-secrets.js';
import { isLoopbackHost } from '../util/loopback.js';

/** What is wrong with an endpoint URL and what to do; neither contains the URL's secrets. */
export interface EndpointUrlProblem {
  why: string;
  fix: string;
}

const TLS =
  'HeyGen posts webhooks only to https: put the receiver (`heygen-build webhooks listen`) behind TLS, a reverse proxy with a certificate or a tunnel such as `cloudflared tunnel --url http://127.0.0.1:8787` or `ngrok http 8787`, and register its https URL';
const WHOLE = `give the whole URL with its scheme, e.g. --url https://hooks.example.com/heygen; ${TLS}`;

/** Why HeyGen cannot be given `url` as a webhook endpoint, or undefined when it can. */
export function endpointUrlProblem(url: string): EndpointUrlProblem | undefined {
  // As written, not as WHATWG would repair it (`https:host`, ` https://host `): HeyGen gets these bytes.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { why: 'is not an absolute URL', fix: WHOLE };
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\s\x00-\x1f\x7f]/.test(url)) return { why: 'holds whitespace or a control character', fix: 'percent-encode it (a space is %20), or drop it if a copy and paste brought it' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { why: 'is not a URL', fix: WHOLE };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { why: `has the scheme ${parsed.protocol.slice(0, -1)}`, fix: TLS };
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url)) {
    return { why: 'carries a user:password@ part, which HeyGen would keep and list', fix: 'drop it: `webhooks listen` checks the signature of each delivery instead' };
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    return { why: 'is plain http (http is taken only for localhost, 127.0.0.0/8 and [::1], which HeyGen cannot reach)', fix: TLS };
  }
  return undefined;
}

/** Throws `E_WEBHOOK_URL` naming the flag and the URL (without its secrets) when HeyGen cannot be given `url`. */
export function checkEndpointUrl(url: string): void {
  const problem = endpointUrlProblem(url);
  if (problem === undefined) return;
  throw new HeygenBuildError('E_WEBHOOK_URL', `webhooks register --url ${JSON.stringify(displayUrl(url))} ${problem.why}; nothing was sent to HeyGen`, { hint: problem.fix });
}
