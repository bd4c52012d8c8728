/**
 * HeyGen's webhooks, emulated: registered endpoints (`/v3/webhooks/endpoints`, a signing secret shown
 * once), the delivery history (`/v3/webhooks/events`), and signed deliveries when a render or a
 * translation ends, to the request's `callback_url` and to every endpoint subscribed to the event.
 *
 * A delivery is `POST` of `{"event_type", "event_data"}` with `x-heygen-signature`: the hex HMAC-SHA256
 * of the raw body under the secret (the scheme HeyGen's webhook skill documents). HeyGen does not say
 * which secret signs a `callback_url` delivery; here it is the secret of the endpoint registered at the
 * same URL, else of the newest endpoint, else `webhooks.defaultSecret`. The HTTP routes are in webhook-routes.ts.
 *
 * Test switches (faults, used up like the others): `webhookDuplicate` delivers an event twice,
 * `webhookLate` delays it by `ms`, `webhookForge` signs it with a wrong secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { fileUrl } from './files.js';
import type { Job, JobStore } from './jobs.js';
import type { UrlSigner } from './signer.js';
import type { EmulatedEndpoint, EmulatedEvent, Faults, WebhookDelivery, WebhookLog } from './types.js';

/** The header a delivery's signature travels in. */
export const SIGNATURE_HEADER = 'x-heygen-signature';

/** The emulator's webhook state: endpoints, events, deliveries made, and the pending delivery timers. */
export class WebhookHub implements WebhookLog {
  readonly endpoints = new Map<string, EmulatedEndpoint>();
  readonly events: EmulatedEvent[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  /** Signs `callback_url` deliveries when no endpoint is registered. */
  readonly defaultSecret = `whsec_${randomBytes(24).toString('hex')}`;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: { store: JobStore; signer: UrlSigner; faults: Faults; base: () => string },
  ) {}

  /** Schedules the job's end-of-job event for when it finishes (jobs are a function of the clock). */
  watch(job: Job): void {
    // A held render has no end yet: it is watched again when released.
    if (job.kind === 'speech' || job.held) return;
    const late = this.take('webhookLate');
    const delay = Math.max(0, job.finishAt - Date.now()) + (late?.ms ?? 0);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.fire(job);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  /** Stops pending deliveries (the emulator is stopping). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private take<K extends 'webhookDuplicate' | 'webhookLate' | 'webhookForge'>(name: K): Faults[K] | undefined {
    const f = this.deps.faults[name];
    if (!f || f.count <= 0) return undefined;
    const taken = { ...f };
    if (--f.count <= 0) delete this.deps.faults[name];
    return taken;
  }

  private fire(job: Job): void {
    const event = this.eventFor(job);
    this.events.push(event);
    const targets = new Map<string, string>();
    const callbackUrl = typeof job.body.callback_url === 'string' ? job.body.callback_url : undefined;
    const enabled = [...this.endpoints.values()].filter((e) => e.status === 'enabled');
    if (callbackUrl) targets.set(callbackUrl, this.secretFor(callbackUrl, enabled));
    for (const e of enabled) {
      if (e.events === null || e.events.includes(event.event_type)) targets.set(e.url, e.secret);
    }
    const times = this.take('webhookDuplicate') ? 2 : 1;
    const forge = this.take('webhookForge') !== undefined;
    for (const [url, secret] of targets) {
      for (let i = 0; i < times; i++) this.track(this.deliver(url, secret, event, forge));
    }
  }

  private secretFor(url: string, enabled: EmulatedEndpoint[]): string {
    const same = enabled.find((e) => e.url === url);
    if (same) return same.secret;
    const newest = enabled.at(-1);
    return newest?.secret ?? this.defaultSecret;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private eventFor(job: Job): EmulatedEvent {
    // The timer can fire a millisecond before `finishAt` by Date.now() (timers run on another clock):
    // the event is of the job's end, so judge it at that moment, never as still running ("fail").
    const phase = this.deps.store.phase(job, Math.max(Date.now(), job.finishAt));
    const ok = phase === 'completed';
    const callback = { callback_id: job.callbackId ?? null };
    const url = ok ? fileUrl(this.deps.signer, this.deps.base(), job, 'mp4') : null;
    let type: string;
    let data: Record<string, unknown>;
    if (job.kind === 'translation') {
      type = ok ? 'video_translate.success' : 'video_translate.fail';
      data = ok
        ? { video_translate_id: job.id, url, output_language: job.outputLanguage ?? null, ...callback }
        : { video_translate_id: job.id, message: job.failure?.message ?? 'failed', output_language: job.outputLanguage ?? null, ...callback };
    } else {
      type = ok ? 'avatar_video.success' : 'avatar_video.fail';
      data = ok ? { video_id: job.id, url, ...callback } : { video_id: job.id, msg: job.failure?.message ?? 'failed', ...callback };
    }
    return { event_id: randomBytes(16).toString('hex'), event_type: type, event_data: data, created_at: new Date().toISOString() };
  }

  private async deliver(url: string, secret: string, event: EmulatedEvent, forged: boolean): Promise<void> {
    const body = JSON.stringify({ event_type: event.event_type, event_data: event.event_data });
    const key = forged ? `whsec_forged_${randomBytes(8).toString('hex')}` : secret;
    const signature = createHmac('sha256', key).update(body).digest('hex');
    const record: WebhookDelivery = { url, eventId: event.event_id, eventType: event.event_type, status: 0, forged, at: Date.now() };
    const cb = event.event_data.callback_id;
    if (typeof cb === 'string') record.callbackId = cb;
    this.deliveries.push(record);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      record.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      // The receiver is down: the event stays in the history, and nothing retries (a build catches up).
      record.status = 0;
    }
  }
}
