/**
 * HeyGen v3 Idempotency-Key: 1–255 chars of `[A-Za-z0-9_:.-]`. HeyGen replays the first answer to
 * a key for 24 h even when the body differs, so the key carries the content key (a changed video
 * never replays an old render) and the attempt (a deliberate retry of a failure is not a replay).
 */
export function idempotencyKey(key: string, attempt: number): string {
  if (!/^[0-9a-f]{40,}$/.test(key)) throw new TypeError(`idempotencyKey: expected a hex content key, got ${JSON.stringify(key)}`);
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new TypeError(`idempotencyKey: bad attempt ${attempt}`);
  return `hb-${key.slice(0, 40)}-${attempt}`;
}
