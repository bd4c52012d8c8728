/**
 * A HeyGen webhook event, read defensively: `{event_type, event_data}` with the job's id
 * (`video_id`, or `video_translate_id` for translations) and our `callback_id`. URLs in it are not
 * used: a fresh one is asked for (`GET /v3/videos/{id}`) when downloading.
 */

/** The events the receiver acts on. */
export const HANDLED_EVENTS = ['avatar_video.success', 'avatar_video.fail', 'video_translate.success', 'video_translate.fail'] as const;

/** One webhook delivery, reduced to what the receiver needs. */
export interface WebhookEvent {
  type: string;
  callbackId?: string;
  /** HeyGen's id of the video or translation. */
  remoteId?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Reads a parsed JSON body as an event; undefined when it has no event_type. */
export function readEvent(body: unknown): WebhookEvent | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const type = str(b.event_type);
  if (!type) return undefined;
  const data = typeof b.event_data === 'object' && b.event_data !== null ? (b.event_data as Record<string, unknown>) : {};
  const callbackId = str(data.callback_id);
  const remoteId = str(data.video_id) ?? str(data.video_translate_id) ?? str(data.video_translation_id);
  return { type, ...(callbackId ? { callbackId } : {}), ...(remoteId ? { remoteId } : {}) };
}

/** Whether the receiver acts on this event type. */
export function isHandled(type: string): boolean {
  return (HANDLED_EVENTS as readonly string[]).includes(type);
}
