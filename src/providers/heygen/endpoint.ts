/** What both adapters (v2.ts, v3.ts) ask of an endpoint: its full URL, and whether HeyGen answered "no such object". */
import { HeygenApiError } from './errors.js';

/** A path's full URL on the client's base URL. */
export function urlIn({ baseUrl }: { baseUrl: string }): (path: string) => string {
  return (path) => `${baseUrl}${path}`;
}

/** HeyGen's 404: the video, translation or template asked for does not exist (for this key). */
export function isNotFound(err: unknown): boolean {
  return err instanceof HeygenApiError && err.httpStatus === 404;
}
