/** A prompt video's Video Agent session is journaled in its entry: written, read back, and checked. */
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { emptyLockfile } from '../../src/model/lock.js';

describe('sessionId in a lockfile entry', () => {
  it('round-trips, and a session id that is not a string is refused at its line', () => {
    const lock = emptyLockfile();
    lock.videos.launch = { key: 'a'.repeat(64), parts: {}, status: 'pending', api: 'v3', attempt: 1, idempotencyKey: 'k', sessionId: 'sess_0123', translations: {} };
    const text = serializeLockfile(lock);
    expect(text).toContain('sessionId: sess_0123');
    expect(parseLockfile(text, 'heygen.lock.yaml').videos.launch?.sessionId).toBe('sess_0123');
    expect(() => parseLockfile(text.replace('sessionId: sess_0123', 'sessionId: [1]'), 'heygen.lock.yaml')).toThrow(/sessionId/);
  });
});
