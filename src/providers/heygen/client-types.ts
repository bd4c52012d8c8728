/**
 * The HeyGen client's interface and the shapes it answers with, the same whether v3 or v2 serves them:
 * executors depend only on these. The adapters (v3.ts, v2.ts, video-agent.ts) implement them and
 * client.ts picks one, so the types live apart from all three.
 */
import type { Catalog, VideoAgentStyle } from '../../model/catalog.js';
import type { AssetRef, TranslationMode, TranslationOptionsSpec, VideoSpec } from '../../model/spec.js';
import type { HttpClient } from './http.js';
import type { V3VideoAgentRequest } from './map-v3-prompt.js';
import type { ProofreadMethods } from './proofreads.js';
import type { RemoteStatus } from './status.js';
import type { V3ClipRequest, V3SpeechRequest } from './v3-types.js';

/** An error HeyGen reported for a job, in HeyGen's own words. */
export interface RemoteError {
  code?: string;
  message: string;
}

/** A video job as HeyGen reports it, with the status normalized across API versions. */
export interface RemoteVideo {
  id: string;
  status: RemoteStatus;
  videoUrl?: string;
  captionUrl?: string;
  captionedVideoUrl?: string;
  duration?: number;
  callbackId?: string;
  error?: RemoteError;
  /** When HeyGen accepted the job (Unix ms; v3's `created_at`, given in whole seconds): a replayed Idempotency-Key's job is older than the POST. */
  createdAt?: number;
}

/** A translation job as HeyGen reports it, with the status normalized across API versions. */
export interface RemoteTranslation {
  id: string;
  status: RemoteStatus;
  videoUrl?: string;
  captionUrl?: string;
  language?: string;
  error?: RemoteError;
}

/**
 * What a video creation request carries: its Idempotency-Key (v3), a callback id to recognise the job later, and
 * uploaded asset ids.
 */
export interface CreateVideoOptions {
  /** Sent as Idempotency-Key on v3 (ignored by v2, which has no idempotency). */
  idempotencyKey: string;
  callbackId: string;
  assetId: (ref: AssetRef) => string | undefined;
  title?: string;
  signal?: AbortSignal;
}

/**
 * What a translation request carries: idempotency, a callback id to recognise the job later, and the translation
 * options.
 */
export interface CreateTranslationsOptions {
  idempotencyKey: string;
  callbackId: string;
  mode: TranslationMode;
  captions: boolean;
  audioOnly: boolean;
  /** HeyGen's further options (speaker_num, ...), sent as they are named. */
  options?: TranslationOptionsSpec;
  title?: string;
  signal?: AbortSignal;
  /**
   * Called with each id as soon as HeyGen gives it: on v2 (one POST per language) a failure on a
   * later language must not lose the ids already paid for, so journal them here.
   */
  onCreated?: (language: string, id: string) => void | Promise<void>;
  /**
   * v2 (one paid POST per language): asked right before each POST. Once true, the languages left are not
   * sent, and the ids returned are those of the languages sent (the first ones of `languages`). v3 sends
   * every language in one POST and never asks.
   */
  stopped?: () => boolean;
}

/** What `POST /v3/voices/speech` answers: the audio (a URL that expires), its length and word timings. */
export interface RemoteSpeech {
  audioUrl: string;
  duration: number;
  words: { word: string; start: number; end: number }[];
}

/** What a clip or speech request carries: its Idempotency-Key and an abort signal. */
export interface ClipRequestOptions {
  idempotencyKey: string;
  signal?: AbortSignal;
}

/** How a status read is sent: a poller's take fewer attempts (`HttpRequest.attempts`), as it asks again itself. */
export interface ReadOptions {
  attempts?: number;
}

/** A translation's source: the URL of a HeyGen render, or an uploaded asset (a locally composed video). */
export type TranslationSource = { url: string } | { assetId: string };

/**
 * Every HeyGen operation the build uses, the same whether v3 or v2 serves it; executors depend only on this.
 * The proofread calls (reviewed translations) are v3 only: absent on v2.
 */
export interface HeygenClient extends Partial<ProofreadMethods> {
  readonly api: 'v3' | 'v2';
  /** One scene clip (v3): `POST /v3/videos` with a body from map-v3-clip. */
  createClip(body: V3ClipRequest, opts: ClipRequestOptions): Promise<{ id: string }>;
  /** Narration for a scene without an avatar (v3): `POST /v3/voices/speech`, answered at once. */
  createSpeech(body: V3SpeechRequest, opts: ClipRequestOptions): Promise<RemoteSpeech>;
  createVideo(spec: VideoSpec, opts: CreateVideoOptions): Promise<{ id: string }>;
  getVideo(id: string, signal?: AbortSignal, read?: ReadOptions): Promise<RemoteVideo>;
  /** In the order of `ids`. v3: bulk statuses (without URLs: getVideo a completed one for them); one id alone, getVideo's answer. */
  getVideos(ids: string[], signal?: AbortSignal, read?: ReadOptions): Promise<RemoteVideo[]>;
  uploadAsset(absPath: string, mime: string, signal?: AbortSignal): Promise<{ id: string; url?: string }>;
  /** Ids in the order of `languages` (HeyGen names). */
  createTranslations(source: string | TranslationSource, languages: string[], opts: CreateTranslationsOptions): Promise<string[]>;
  getTranslation(id: string, signal?: AbortSignal, read?: ReadOptions): Promise<RemoteTranslation>;
  listLanguages(signal?: AbortSignal): Promise<string[]>;
  /**
   * v3 only (absent on v2): a template's definition, `GET /v3/templates/{id}` (free), as HeyGen sends it;
   * undefined when HeyGen has no such template (404).
   */
  getTemplate?(templateId: string, signal?: AbortSignal): Promise<unknown>;
  /** v3 only: `POST /v3/templates/{id}` (TemplateGenerate) with its Idempotency-Key; a video to poll. */
  createFromTemplate?(templateId: string, body: Record<string, unknown>, opts: ClipRequestOptions): Promise<{ id: string }>;
  /** v3 only: `POST /v3/video-agents` (VideoAgentCreate) with its Idempotency-Key; a session to follow. */
  createVideoAgent?(body: V3VideoAgentRequest, opts: ClipRequestOptions): Promise<RemoteSession>;
  /** v3 only: `GET /v3/video-agents/{session_id}`: the session's status and, once generating, its video. */
  getVideoAgent?(sessionId: string, signal?: AbortSignal, read?: ReadOptions): Promise<RemoteSession>;
  /** v3 only: every Video Agent style (`GET /v3/video-agents/styles`, free), every page followed. */
  listVideoAgentStyles?(signal?: AbortSignal): Promise<VideoAgentStyle[]>;
  /** The account's avatar looks and voices (v3 lists, whichever API renders: they are free GETs). */
  listCatalog(signal?: AbortSignal): Promise<Catalog>;
  /**
   * A few looks and voices by id, one free GET each, all at once (catalog.ts `fetchCatalogItems`): a
   * catalog of just those, and the ids HeyGen does not know.
   */
  lookupCatalog(ids: { looks: readonly string[]; voices: readonly string[] }, signal?: AbortSignal): Promise<{ catalog: Catalog; missing: string[] }>;
  /** Credits left, or undefined when the account's balance is not in credits. */
  remainingCredits(signal?: AbortSignal): Promise<number | undefined>;
  /** HTTP requests sent so far, every attempt counted. */
  requestCount(): number;
  /** Closes kept-alive connections. */
  close(): Promise<void>;
}

/** What an API-version adapter needs to build its client: the shared HTTP client and base URLs. */
export interface AdapterContext {
  http: HttpClient;
  /** Without a trailing slash. */
  baseUrl: string;
  uploadBaseUrl: string;
  /** v3: files larger than this go through a direct upload (default 32 MB, `POST /v3/assets`'s limit). */
  directUploadAbove?: number;
}

/**
 * A session's state, in HeyGen's words. `waiting_for_input` and `reviewing` happen in chat mode only;
 * a generate session goes thinking -> generating -> completed (or failed).
 */
export type SessionStatus = 'thinking' | 'waiting_for_input' | 'reviewing' | 'generating' | 'completed' | 'failed';

/** A Video Agent session as the build follows it. */
export interface RemoteSession {
  sessionId: string;
  status: SessionStatus;
  /** The video the agent renders, once it has started generating. */
  videoId?: string;
  /** 0-100. */
  progress?: number;
  /** Why it failed: the newest error message of the session, when it names one. */
  error?: RemoteError;
}
