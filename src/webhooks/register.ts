/**
 * `webhooks register` made safe to repeat. The POST carries an Idempotency-Key derived from the account
 * (the API key's SHA-256, never the key), the URL and the sorted events: the retries of one run share
 * it, and so does a run of the same command later. Within HeyGen's 24 h, a repeat gets the first answer
 * back, the same endpoint and its signing secret, instead of a second endpoint (which would get every
 * event twice); after that, a new endpoint.
 *
 * HeyGen replays the first answer even when that endpoint has been deleted since. An answer older than
 * the POST is checked against `GET /v3/webhooks/endpoints`: an endpoint gone from the list is
 * registered again under a key derived from the last one and the gone id, itself replayed by the next
 * run that finds the same endpoint gone.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../hash/canonical.js';
import type { RemoteApi, WebhookEndpoint } from './remote.js';

/** Endpoints found deleted in one run before the key is a random one (registered, deleted, again, ...). */
export const REGISTER_ROUNDS = 8;

/** What `registerEndpoint` got: the endpoint, its secret, and whether it was an earlier run's. */
export interface Registered {
  endpoint: WebhookEndpoint;
  secret: string;
  /** HeyGen replayed an endpoint an earlier run registered (created before this run's POST). */
  replayed: boolean;
}

const digest = (text: string): string => sha256Hex(text).slice(0, 40);

/**
 * The Idempotency-Key of registering `url` for `events` with the API key whose SHA-256 is `keyDigest`:
 * `hb-webhook-<40 hex>` (HeyGen's 1-255 chars of [A-Za-z0-9_:.-]). The events are a set: their order
 * and repeats change nothing. The account is in it in case HeyGen's keys were not scoped per account.
 */
export function registerKey(keyDigest: string, url: string, events: readonly string[]): string {
  return `hb-webhook-${digest(['webhooks.register', keyDigest, url, ...[...new Set(events)].sort()].join('\n'))}`;
}

/** The key after `key`'s endpoint `goneId` was found deleted: the same in every run that finds it gone. */
export function nextRegisterKey(key: string, goneId: string): string {
  return `hb-webhook-${digest(`${key}\n${goneId}`)}`;
}

/**
 * Whether HeyGen's `created_at` is before `sentAt` (this machine's clock, at the POST): a replay. A
 * time in whole seconds may have been cut down by up to a second, so it must be a second older. An
 * unreadable time counts as older: checking costs one free GET.
 */
export function createdBefore(createdAt: string, sentAt: number): boolean {
  const at = Date.parse(createdAt);
  if (Number.isNaN(at)) return true;
  return at + (/T\d\d:\d\d:\d\d\.\d/.test(createdAt) ? 0 : 1000) <= sentAt;
}

/**
 * Registers `url` for `events` (see the file's comment): one POST, retried with its key; one more GET
 * when the answer is an earlier run's, and one more round for each of its endpoints found deleted. Past
 * REGISTER_ROUNDS of those, a random key: a new endpoint, that a later run does not get back.
 */
export async function registerEndpoint(api: RemoteApi, url: string, events: string[], now: () => number = Date.now): Promise<Registered> {
  let key = registerKey(api.keyDigest, url, events);
  for (let round = 0; round < REGISTER_ROUNDS; round++) {
    const sentAt = now();
    const { endpoint, secret } = await api.createEndpoint(url, events, key);
    if (!createdBefore(endpoint.createdAt, sentAt)) return { endpoint, secret, replayed: false };
    const listed = await api.listEndpoints();
    if (listed.some((e) => e.endpointId === endpoint.endpointId)) return { endpoint, secret, replayed: true };
    // Deleted since: register again, under a key the next run that finds it gone derives the same way.
    key = nextRegisterKey(key, endpoint.endpointId);
  }
  return { ...(await api.createEndpoint(url, events, `hb-webhook-${randomBytes(20).toString('hex')}`)), replayed: false };
}
