/**
 * `webhooks register`'s Idempotency-Key and replay check (src/webhooks/register.ts), against a stand-in
 * for HeyGen that replays a key's first answer for ever, deleted endpoints included.
 */
import { describe, expect, it } from 'vitest';
import { createdBefore, REGISTER_ROUNDS, registerEndpoint, registerKey } from '../../src/webhooks/register.js';
import type { RemoteApi, WebhookEndpoint } from '../../src/webhooks/remote.js';

/** HeyGen as far as register sees it: keyed answers, a list, and a clock one second per request. */
function fakeHeygen(): { api: RemoteApi; live: Set<string>; keys: string[]; now: () => number } {
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const answers = new Map<string, { endpoint: WebhookEndpoint; secret: string }>();
  const live = new Set<string>();
  const keys: string[] = [];
  const api = {
    keyDigest: 'd'.repeat(64),
    createEndpoint: (url: string, events: string[], key: string) => {
      keys.push(key);
      clock += 1000;
      if (!answers.has(key)) {
        const id = `ep${answers.size}`;
        live.add(id);
        answers.set(key, { endpoint: { endpointId: id, url, events, status: 'enabled', createdAt: new Date(clock).toISOString() }, secret: `whsec_${id}` });
      }
      return Promise.resolve(answers.get(key)!);
    },
    listEndpoints: () => Promise.resolve([...live].map((endpointId) => ({ endpointId }) as WebhookEndpoint)),
  };
  // A stand-in with only the two calls register makes.
  return { api: api as unknown as RemoteApi, live, keys, now: () => clock };
}

describe('webhooks register: key and replays', () => {
  it('the key is a set of events, per account and URL, in HeyGen key characters', () => {
    const k = registerKey('a'.repeat(64), 'https://h.example/x', ['b.fail', 'a.success', 'b.fail']);
    expect(k).toMatch(/^hb-webhook-[0-9a-f]{40}$/);
    expect(registerKey('a'.repeat(64), 'https://h.example/x', ['a.success', 'b.fail'])).toBe(k);
    expect(registerKey('b'.repeat(64), 'https://h.example/x', ['a.success', 'b.fail'])).not.toBe(k);
    expect(registerKey('a'.repeat(64), 'https://h.example/y', ['a.success', 'b.fail'])).not.toBe(k);
    expect(registerKey('a'.repeat(64), 'https://h.example/x', ['a.success'])).not.toBe(k);
  });

  it('a time in whole seconds counts as older only a second before the POST; an unreadable one as older', () => {
    const sent = Date.parse('2025-01-01T00:00:00.500Z');
    expect(createdBefore('2025-01-01T00:00:00Z', sent)).toBe(false);
    expect(createdBefore('2024-12-31T23:59:59Z', sent)).toBe(true);
    expect(createdBefore('2025-01-01T00:00:00.400Z', sent)).toBe(true);
    expect(createdBefore('2025-01-01T00:00:00.600Z', sent)).toBe(false);
    expect(createdBefore('', sent)).toBe(true);
  });

  it('registered, deleted, registered again, many times: each run finds the live one, and past the rounds a random key', async () => {
    const h = fakeHeygen();
    const run = (): ReturnType<typeof registerEndpoint> => registerEndpoint(h.api, 'https://h.example/x', ['a.success'], h.now);
    for (let i = 0; i < REGISTER_ROUNDS; i++) {
      const r = await run();
      expect(r).toMatchObject({ endpoint: { endpointId: `ep${i}` }, secret: `whsec_ep${i}`, replayed: false });
      expect(await run()).toMatchObject({ endpoint: { endpointId: `ep${i}` }, replayed: true });
      h.live.delete(r.endpoint.endpointId);
    }
    // Every key of the chain now replays a deleted endpoint: a random key, a new endpoint, not given back.
    h.keys.length = 0;
    const last = await run();
    expect(last).toMatchObject({ endpoint: { endpointId: `ep${REGISTER_ROUNDS}` }, replayed: false });
    expect(h.keys).toHaveLength(REGISTER_ROUNDS + 1);
    expect(new Set(h.keys).size).toBe(REGISTER_ROUNDS + 1);
    expect([...h.live]).toEqual([`ep${REGISTER_ROUNDS}`]);
  });
});
