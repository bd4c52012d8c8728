/** The HeyGen provider: client, request mapping, envelopes, statuses, downloads. */
export { createHeygenClient } from './client.js';
export { heygenClientFromConfig, type ClientTuning } from './from-config.js';
export type {
  CreateTranslationsOptions,
  CreateVideoOptions,
  HeygenClient,
  RemoteError,
  RemoteSpeech,
  ClipRequestOptions,
  TranslationSource,
  RemoteTranslation,
  RemoteVideo,
  RemoteSession,
  SessionStatus,
} from './client-types.js';
export type { HeygenClientOptions } from './client.js';
export { proofreadFromV3, type ProofreadMethods, type ProofreadSrt, type RemoteProofread } from './proofreads.js';
export { downloadToFile, fetchToFile, type DownloadOptions, type Downloaded, type Fetched, type Validators } from './download.js';
export { parseEnvelope, type Envelope } from './envelope.js';
export { HeygenApiError } from './errors.js';
export { HttpClient, type HttpClientOptions, type HttpRequest, type RequestInfo } from './http.js';
export { DAY_MS, cachedLanguages, resolveLanguage, type LanguageCacheOptions, type LanguageResolution, type LanguageSource } from './languages.js';
export { formatProblem, type MapContext, type MapProblem } from './map-common.js';
export { toV2GenerateRequest, toV2TranslationRequest, v2Issues, v2Problems, v2TranslationProblems } from './map-v2.js';
export { toV3TranslationRequest, toV3VideoRequest, v3Dimension, v3Issues, v3Problems, v3SceneIssues, type TranslationOptions } from './map-v3.js';
export { sessionFromV3 } from './video-agent.js';
export { realSleep, type Sleep } from './backoff.js';
export { redact, safeUrl } from './redact.js';
export { extractFailure, normalizeTranslationStatus, normalizeVideoStatus, type RemoteStatus } from './status.js';
