/**
 * The catalog's preview files, as HeyGen's CDN serves them: no API key, plain bytes. Look images are
 * PNGs drawn on request; voice samples are short MP3 tones.
 */
import type { ServerResponse } from 'node:http';
import { speechMp3 } from './generate.js';
import { findLook, lookColor, previewSize } from './looks.js';
import { previewPng } from './png.js';
import type { RecordedRequest } from './types.js';
import { findVoice } from './voices.js';

const PREVIEW = /^\/previews\/(looks|voices)\/([^/]+)\.(png|mp3)$/;

/** Whether `path` is a preview file's. */
export function isPreviewPath(path: string): boolean {
  return path.startsWith('/previews/');
}

function send(res: ServerResponse, record: RecordedRequest, status: number, type: string, body: Buffer): void {
  record.status = status;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
  res.end(body);
}

/** Serves a look's PNG or a voice's MP3 sample; 404 for anything else. */
export async function servePreview(res: ServerResponse, path: string, record: RecordedRequest): Promise<void> {
  const m = PREVIEW.exec(path);
  const id = decodeURIComponent(m?.[2] ?? '');
  if (m?.[1] === 'looks' && m[3] === 'png') {
    const look = findLook(id);
    if (look?.preview) {
      const { width, height } = previewSize(look.preferred_orientation);
      return send(res, record, 200, 'image/png', previewPng(width, height, lookColor(id)));
    }
  }
  if (m?.[1] === 'voices' && m[3] === 'mp3' && findVoice(id)) return send(res, record, 200, 'audio/mpeg', await speechMp3(1.5));
  send(res, record, 404, 'application/xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code></Error>'));
}
