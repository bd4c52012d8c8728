/**
 * Webhook signatures: HeyGen signs a delivery with the endpoint's secret, sending the hex HMAC-SHA256
 * of the raw body in `x-heygen-signature` (the scheme HeyGen's webhook skill documents; see README
 * "Webhooks"). Checked on the raw bytes, before the body is parsed, in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header HeyGen puts the signature in (Node lower-cases header names). */
export const SIGNATURE_HEADER = 'x-heygen-signature';

/** The hex HMAC-SHA256 of `body` under `secret`: what HeyGen sends for that body. */
export function signature(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Whether `given` is the signature of `body` under `secret`, compared in constant time. */
export function verifySignature(secret: string, body: Buffer, given: string | undefined): boolean {
  if (!given || secret === '') return false;
  const expected = Buffer.from(signature(secret, body), 'utf8');
  const actual = Buffer.from(given.trim().toLowerCase(), 'utf8');
  // Lengths are public (a hex SHA-256 is 64 characters): only equal-length values are compared.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
