/** Public types of the HeyGen emulator. Tests and the e2e suite program against these. */

export interface EmulatorOptions {
  /** 0 (default) picks a free port. The server only ever listens on 127.0.0.1. */
  port?: number;
  /** Required `X-Api-Key` value (also accepted as `Authorization: Bearer <key>`). Default 'test-key'. */
  apiKey?: string;
  /** Milliseconds from an accepted render to its terminal state. Default 300. */
  renderMs?: number;
  /** Milliseconds from an accepted translation to its terminal state. Default 300. */
  translateMs?: number;
  /** Added to every response except the admin endpoints. Default 0. */
  latencyMs?: number;
  /** Cap on unfinished jobs (renders + translations together). Default 10, like Pay-As-You-Go. */
  concurrency?: number;
  /** Starting credits. Default 10000. A render deducts duration * 0.1 (avatar_iii: 0.0033). */
  credits?: number;
  /** Size of each served video. Default: the base MP4 (~20 KB, 2 s, 320x180, h264 + aac). */
  videoBytes?: number;
  /** Lifetime of presigned download URLs. Default 7 days. */
  urlTtlMs?: number;
  /**
   * Avatar ids trained without matting: a render of one with `output_format: "webm"` or
   * `remove_background: true` ends `failed` (not charged). Also `emulator.settings` and
   * `POST /__emulator/settings`.
   */
  noMattingAvatars?: string[];
  /** Called once per finished request (main.ts logs with it). Library mode logs nothing. */
  onRequest?: (request: RecordedRequest) => void;
}

/**
 * Faults, set per test by assigning to `emulator.faults`. Each fires at most `count` times and
 * removes itself when spent. `paths` (a RegExp on the URL path) limits where it fires; without it
 * request faults fire on API paths only (not on `/files/` downloads), download faults on downloads.
 * Precedence when several match one request: dropConnection, rateLimit, httpStatus, serverError
 * (one of these per request), plus `slow`, which only delays.
 */
export interface Faults {
  /** 429 `rate_limit_exceeded` with `Retry-After` (seconds, or an HTTP-date string as given). */
  rateLimit?: { count: number; retryAfter?: number | string; paths?: RegExp };
  /** 500 answers with a JSON error envelope; 502/503 with an HTML page, as a gateway would. */
  serverError?: { count: number; status?: 500 | 502 | 503; paths?: RegExp };
  /**
   * Destroys the socket without answering. With `afterProcessing` the request is handled first
   * (the job exists, an Idempotency-Key is recorded): the client only loses the answer. `method`
   * limits it to one method (a template's GET and its paid POST share a path).
   */
  dropConnection?: { count: number; afterProcessing?: boolean; paths?: RegExp; method?: 'GET' | 'POST' | 'PUT' | 'DELETE' };
  /** Delays the answer by `ms` (on top of `latencyMs`); an idempotent request stays in flight meanwhile. */
  slow?: { count: number; ms: number; paths?: RegExp };
  /** The next `count` accepted renders end `failed` with this reason (credits are refunded). */
  failRender?: { count: number; code?: string | number; message?: string };
  /** The next `count` accepted translations (one per output language) end `failed`. */
  failTranslation?: { count: number; message: string };
  /** The next `count` proofread sessions (one per output language) end `failed` with this `failure_message`. */
  failProofread?: { count: number; message: string };
  /** The next `count` requests naming a proofread by id (get, SRT, generate) answer 404, as for an expired session. */
  expireProofread?: { count: number };
  /**
   * Presigned URLs answer 403 as if expired. A number: the next N downloads get 403, each
   * killing the URL used. `true`: the first download of every job gets 403 (and kills every URL
   * minted so far for that job). A URL minted by a later status GET works.
   */
  expireUrls?: boolean | number;
  /** Download bodies are cut at half, with the full Content-Length, then the socket is destroyed. */
  truncate?: { count: number; paths?: RegExp };
  /** Answers this status with the endpoint's error envelope (401 unauthorized, 402, 403). */
  httpStatus?: { count: number; status: 401 | 402 | 403; paths?: RegExp };
  /** The next `count` jobs' webhook events are delivered twice to each receiver. */
  webhookDuplicate?: { count: number };
  /** The next `count` jobs' webhook events are delivered `ms` after the job ends. */
  webhookLate?: { count: number; ms: number };
  /** The next `count` jobs' webhook events are signed with a wrong secret. */
  webhookForge?: { count: number };
}

/** The name of a fault tests can inject. */
export type FaultName = keyof Faults;

/** One request as the emulator logged it, with secrets redacted, for tests to assert on. */
export interface RecordedRequest {
  method: string;
  /** URL path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names; the API key and bearer token are replaced by '[redacted]'. */
  headers: Record<string, string>;
  /** Parsed JSON body, when the request had one. */
  body?: unknown;
  /** Bytes of body read (0 when the emulator answered before reading it). */
  bodyBytes: number;
  /** HTTP status sent; 0 when the connection was dropped without an answer. */
  status: number;
  /** The fault that shaped this answer, if any. */
  fault?: FaultName;
  /** Date.now() when the request arrived. */
  at: number;
}

/** Status words are v3's: videos pending|processing|completed|failed, translations pending|running|completed|failed. */
export type JobStatus = 'pending' | 'processing' | 'running' | 'completed' | 'failed';

/** Behaviour a test may change while the emulator runs (unlike faults, these are not used up). */
export interface Settings {
  /** See `EmulatorOptions.noMattingAvatars`. */
  noMattingAvatars: string[];
  /**
   * The templates `GET /v3/templates/{id}` serves and `POST /v3/templates/{id}` renders, by id. Edit one
   * (and bump `updatedAt`) to act as a user editing the template in HeyGen's app.
   */
  templates: Record<string, EmulatedTemplate>;
}

/** Render and translation times, in ms, of the jobs the emulator accepts next (see `EmulatorOptions`). */
export interface Timing {
  renderMs: number;
  translateMs: number;
  /**
   * Renders accepted while this is true stay in progress, whatever the clock, until `release()`: a test
   * keeps jobs in flight for as long as it needs, however slow the machine. Read at each acceptance, like `renderMs`.
   */
  holdRenders?: boolean;
}

/** A template variable's type, as HeyGen names it. */
export type TemplateVariableType = 'text' | 'image' | 'video' | 'audio' | 'character' | 'voice';

/** A template definition the emulator serves. */
export interface EmulatedTemplate {
  name: string;
  /** e.g. `16:9`, `9:16`: a requested dimension must match it. */
  aspectRatio: string;
  /** Unix seconds. */
  updatedAt: number;
  /** Variable name -> type. */
  variables: Record<string, TemplateVariableType>;
  /** In template order; `script` holds `{{name}}` placeholders. */
  scenes: { id: string; script: string; variables: string[] }[];
}

/** What a v3 video render was asked to produce, as the emulator understood the request. */
export interface RenderInfo {
  outputFormat: 'mp4' | 'webm';
  width: number;
  height: number;
  /** The served file has an alpha channel (webm). */
  alpha: boolean;
  /** `output_format: "webm"` or `remove_background: true`: needs an avatar with matting. */
  removeBackground: boolean;
  avatarId?: string;
  background?:
    | { type: 'color'; value: string }
    | { type: 'image'; url?: string; asset_id?: string; mime_type?: string };
  /** Lip-sync audio: by URL, or an uploaded asset with its measured length. */
  audio?: { url?: string; asset_id?: string; seconds?: number };
}

/** A job as tests read it from the emulator's state. */
export interface JobView {
  id: string;
  /** `speech`: a `POST /v3/voices/speech` result (finished when answered, outside the job cap). */
  kind: 'video' | 'translation' | 'speech' | 'proofread';
  /** API that created the job. */
  api: 'v2' | 'v3';
  status: JobStatus;
  idempotencyKey?: string;
  callbackId?: string;
  title?: string;
  /** The request body that created the job. */
  body: unknown;
  outputLanguage?: string;
  /** Seconds, as reported by status endpoints once completed. */
  duration: number;
  /** Credits deducted (0 for `test: true`, refunded when the job failed). */
  credits: number;
  failure?: { code: string | number; message: string };
  /** Date.now() at acceptance, and when it finishes (acceptance + renderMs / translateMs; Infinity while held). */
  createdAt: number;
  finishAt: number;
  /** Completed GETs of this job's video file (full or ranged, not truncated ones). */
  downloads: number;
  /** v3 renders: size, container, transparency, background, audio. */
  render?: RenderInfo;
}

/** An uploaded asset as tests read it from the emulator's state. */
export interface AssetView {
  id: string;
  api: 'v1' | 'v3';
  name: string;
  mimeType: string;
  sizeBytes: number;
  /** Hex sha256 of the uploaded bytes. */
  sha256: string;
  createdAt: number;
  /** Audio (v3 uploads): playing time, from the WAV header or ffprobe. */
  durationSeconds?: number;
}

/** A running emulator: its URL, its state for tests, and how to stop it. */
export interface Emulator {
  /** http://127.0.0.1:PORT — API base and upload base alike. */
  readonly url: string;
  stop(): Promise<void>;
  /** Mutable: set its properties per test (`emu.faults.rateLimit = {...}`); the object itself stays. */
  readonly faults: Faults;
  /** Mutable like `faults`: `emu.settings.noMattingAvatars = ['Daisy-inskirt-20220818']`. */
  readonly settings: Settings;
  /** How long jobs accepted from now on take; starts at `renderMs` / `translateMs`. */
  readonly timing: Timing;
  /** Every request but the admin ones, in arrival order (at most the last 50 000). */
  readonly requests: RecordedRequest[];
  jobs(): JobView[];
  assets(): AssetView[];
  /** Remaining credits. */
  credits(): number;
  /** Lets the renders `timing.holdRenders` held run: each finishes `renderMs` from now. Returns how many were held. */
  release(): number;
  /** Clears `requests` (jobs, assets, credits and faults stay). */
  reset(): void;
  /** Webhook endpoints, the event history and every delivery made (src/emulator/webhooks.ts). */
  readonly webhooks: WebhookLog;
}

/** A registered endpoint as the emulator keeps it (the secret is never listed again). */
export interface EmulatedEndpoint {
  endpoint_id: string;
  url: string;
  events: string[] | null;
  secret: string;
  status: 'enabled' | 'disabled';
  created_at: string;
}

/** One event as `GET /v3/webhooks/events` lists it. */
export interface EmulatedEvent {
  event_id: string;
  event_type: string;
  event_data: Record<string, unknown>;
  created_at: string;
}

/** One POST the emulator made to a receiver, for tests to assert on. */
export interface WebhookDelivery {
  url: string;
  eventId: string;
  eventType: string;
  callbackId?: string;
  /** HTTP status the receiver answered; 0 when it could not be reached. */
  status: number;
  forged: boolean;
  at: number;
}

/** The emulator's webhook state as tests read it; the hub (src/emulator/webhooks.ts) keeps it and delivers. */
export interface WebhookLog {
  readonly endpoints: Map<string, EmulatedEndpoint>;
  readonly events: EmulatedEvent[];
  readonly deliveries: WebhookDelivery[];
  /** Signs `callback_url` deliveries when no endpoint is registered. */
  readonly defaultSecret: string;
}
