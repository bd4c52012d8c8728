/**
 * Presigned download URLs in CloudFront's shape (`?Expires=<unix s>&...&Signature=...`), HMAC'd with
 * a per-instance secret so a tampered URL is caught. Every status GET mints a fresh one; we
 * remember when each was minted so the `expireUrls` fault can kill the URLs a client holds
 * while the ones minted afterwards still work.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const MAX_REMEMBERED = 100_000;

/** Whether a signed URL is valid, and if not, why. */
export type Verdict =
  | { ok: true; seq: number }
  | { ok: false; reason: 'expired' | 'signature' };

/**
 * Mints and checks expiring signed URLs, like HeyGen's presigned download links, so clients' expiry handling can be
 * tested.
 */
export class UrlSigner {
  private readonly secret = randomBytes(32);
  private seq = 0;
  /** signature -> mint sequence number and exact expiry (ms). */
  private readonly minted = new Map<string, { seq: number; expiresAt: number }>();
  /** jobId -> URLs minted at or before this sequence number are dead. */
  private readonly killed = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  private sign(path: string, expires: string, nonce: string): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expires}\n${nonce}`).digest('base64url');
  }

  /** An absolute URL for `path` under `base`, valid for the configured lifetime. */
  mint(base: string, path: string): string {
    const expiresAt = Date.now() + this.ttlMs;
    const expires = String(Math.ceil(expiresAt / 1000));
    // Two URLs minted in the same second must still differ, so each mint is told apart.
    const nonce = randomBytes(6).toString('hex');
    const signature = this.sign(path, expires, nonce);
    this.minted.set(signature, { seq: ++this.seq, expiresAt });
    if (this.minted.size > MAX_REMEMBERED) {
      const oldest = this.minted.keys().next().value;
      if (oldest !== undefined) this.minted.delete(oldest);
    }
    return `${base}${path}?Expires=${expires}&Nonce=${nonce}&Signature=${signature}&Key-Pair-Id=EMULATOR`;
  }

  verify(path: string, query: URLSearchParams, jobId: string): Verdict {
    const expires = query.get('Expires') ?? '';
    const signature = query.get('Signature') ?? '';
    const expected = Buffer.from(this.sign(path, expires, query.get('Nonce') ?? ''));
    const given = Buffer.from(signature);
    if (!/^\d+$/.test(expires) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'signature' };
    }
    const known = this.minted.get(signature);
    const expiresAt = known?.expiresAt ?? Number(expires) * 1000;
    if (Date.now() >= expiresAt) return { ok: false, reason: 'expired' };
    const seq = known?.seq ?? 0;
    if (seq <= (this.killed.get(jobId) ?? -1)) return { ok: false, reason: 'expired' };
    return { ok: true, seq };
  }

  /** Every URL minted so far for `jobId` now answers as expired. */
  kill(jobId: string): void {
    this.killed.set(jobId, this.seq);
  }
}
