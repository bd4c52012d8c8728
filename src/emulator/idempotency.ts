/**
 * HeyGen's Idempotency-Key (v3 mutations): 1-255 chars of [A-Za-z0-9_:.-], scoped to the
 * endpoint. A repeat within 24 h replays the first answer (even with a different body); a repeat
 * while the first is still being processed gets 409 `request_in_progress`. Only successful
 * answers are kept: an error leaves the key free, so a client may retry with it.
 */
import { ApiError } from './envelopes.js';
import type { Reply } from './http-util.js';

const TTL_MS = 24 * 60 * 60 * 1000;
const KEY = /^[A-Za-z0-9_:.-]{1,255}$/;

type Entry = { state: 'inflight' } | { state: 'done'; reply: Reply; at: number };

/** Idempotency-Key bookkeeping with the rules above: replays stored successes and refuses repeats still in flight. */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** 'new' (now in flight), or the stored answer to replay; throws 409 while in flight. */
  begin(scope: string, key: string): 'new' | Reply {
    if (!KEY.test(key)) {
      throw new ApiError(400, 'validation_error', 'Idempotency-Key must be 1-255 characters of A-Z a-z 0-9 _ : . -', 'Idempotency-Key');
    }
    const id = `${scope}\n${key}`;
    const entry = this.entries.get(id);
    if (entry?.state === 'inflight') {
      throw new ApiError(409, 'request_in_progress', 'A request with this Idempotency-Key is still being processed; retry later');
    }
    if (entry?.state === 'done' && Date.now() - entry.at < TTL_MS) {
      return { ...entry.reply, headers: { ...entry.reply.headers, 'Idempotent-Replayed': 'true' } };
    }
    this.entries.set(id, { state: 'inflight' });
    return 'new';
  }

  finish(scope: string, key: string, reply: Reply | undefined): void {
    const id = `${scope}\n${key}`;
    if (reply && reply.status >= 200 && reply.status < 300) this.entries.set(id, { state: 'done', reply, at: Date.now() });
    else this.entries.delete(id);
  }
}
