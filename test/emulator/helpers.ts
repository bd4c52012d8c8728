/** Talking to the emulator the way a client would: plain fetch over loopback. */
import { createHash } from 'node:crypto';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

export const KEY = 'test-key';

export interface Api {
  emu: Emulator;
  /** JSON request with the API key; answers status, headers and parsed JSON (or text). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

export interface Answer {
  status: number;
  headers: Headers;
  // `any` on purpose: the emulator's JSON, checked field by field in each test.
  json: any;
  text: string;
}

export async function start(opts: EmulatorOptions = {}): Promise<Api> {
  const emu = await startEmulator({ renderMs: 150, translateMs: 150, ...opts });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: { 'X-Api-Key': KEY, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  return {
    emu,
    call,
    get: (path, headers) => call('GET', path, undefined, headers),
    post: (path, body, headers) => call('POST', path, body ?? {}, headers),
  };
}

export const avatarBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'avatar',
  avatar_id: 'Daisy-inskirt-20220818',
  voice_id: '2d5b0e6cf36f460aa7fc47e3eee4ba54',
  script: 'Welcome to the quarterly update. Revenue grew in every region.',
  ...extra,
});

export const v2Body = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  video_inputs: [
    {
      character: { type: 'avatar', avatar_id: 'Daisy-inskirt-20220818', avatar_style: 'normal' },
      voice: { type: 'text', voice_id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', input_text: 'Hello from version two.' },
      background: { type: 'color', value: '#FAFAFA' },
    },
  ],
  dimension: { width: 1280, height: 720 },
  ...extra,
});

/** Polls `path` until `done(json)` holds (the emulator's clock runs on its own). */
export async function pollUntil(api: Api, path: string, done: (a: Answer) => boolean, timeoutMs = 10_000): Promise<Answer> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const a = await api.get(path);
    if (done(a)) return a;
    if (Date.now() > until) throw new Error(`timed out polling ${path}: last ${a.status} ${a.text}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function completedVideo(api: Api, id: string): Promise<Answer> {
  return pollUntil(api, `/v3/videos/${id}`, (a) => a.json?.data?.status === 'completed' || a.json?.data?.status === 'failed');
}

/** Reads a body chunk by chunk: byte count and sha256, never the whole body in memory. */
export async function drain(res: Response): Promise<{ bytes: number; sha256: string; head: Buffer; error?: unknown }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      if (head.length < 64) head = Buffer.concat([head, Buffer.from(chunk)]).subarray(0, 64);
      bytes += chunk.length;
    }
  } catch (error) {
    return { bytes, sha256: hash.digest('hex'), head, error };
  }
  return { bytes, sha256: hash.digest('hex'), head };
}

/** Sends a request and reports a connection torn down without an answer as 'dropped'. */
export async function tryFetch(url: string, init: RequestInit): Promise<Response | 'dropped'> {
  try {
    return await fetch(url, init);
  } catch {
    return 'dropped';
  }
}

/** `any` on purpose, like Answer.json: tests check the emulator's JSON field by field. */
export async function jsonOf(res: Response): Promise<any> {
  return res.json();
}
