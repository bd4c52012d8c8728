/** Configuration as written in `heygen.config.ts` (every field optional) and as resolved. */

export type ProviderName = 'auto' | 'heygen' | 'local';
/** Which HeyGen API generation renders videos: v3 is the default, v2 the legacy endpoints some accounts still need. */
export type ApiVersion = 'v3' | 'v2';

/** An avatar alias: an id, or an id with default placement and a default voice (alias or id). */
export type AvatarAlias =
  | string
  | {
      id: string;
      style?: 'normal' | 'closeUp' | 'circle';
      scale?: number;
      offset?: { x: number; y: number };
      engine?: 'avatar_iii' | 'avatar_iv' | 'avatar_v';
      expressiveness?: 'low' | 'medium' | 'high';
      /** HeyGen's `motion_prompt`. */
      motion?: string;
      voice?: string;
    };

/** A voice alias: a bare voice id, or an id with default delivery settings that scenes using the alias inherit. */
export type VoiceAlias =
  | string
  | {
      id: string;
      speed?: number;
      pitch?: number;
      emotion?: 'Excited' | 'Friendly' | 'Serious' | 'Soothing' | 'Broadcaster';
      locale?: string;
      /** 0 to 1. */
      volume?: number;
      elevenlabs?: {
        model?: 'eleven_multilingual_v2' | 'eleven_turbo_v2_5' | 'eleven_flash_v2_5' | 'eleven_v3';
        stability?: number;
        similarity_boost?: number;
        style?: number;
      };
    };

/** A text overlay style as written: every field optional (see TextStyle in overlay.ts for the filled-in form). */
export interface TextStyleInput {
  /** One of the bundled fonts: sans, sans-bold, serif, serif-bold, mono, mono-bold, condensed, condensed-bold. */
  font?: string;
  /** Pixels. */
  size?: number;
  /** `#RRGGBB` or `#RRGGBBAA`. */
  color?: string;
  background?: string;
  align?: 'left' | 'center' | 'right';
  padding?: number;
}

/**
 * The `heygen` block of the config: which API version and endpoints to talk to (the emulator in tests, HeyGen
 * otherwise).
 */
export interface HeygenSettings {
  api?: ApiVersion;
  baseUrl?: string;
  uploadBaseUrl?: string;
  concurrency?: number;
  /** Status polling: first interval, longest interval, and how long one job may take before it is reported. */
  poll?: { minMs?: number; maxMs?: number; timeoutMs?: number };
}

/** What a user writes in heygen.config.ts; every field is optional and filled from defaults by the loader. */
export interface HeygenBuildConfig {
  /** Globs of manifest files, relative to the project root. */
  manifests?: string | string[];
  outDir?: string;
  lockfile?: string;
  provider?: ProviderName;
  heygen?: HeygenSettings;
  /** Applied under every manifest (a manifest's own values win). Same keys as a manifest. */
  defaults?: Record<string, unknown>;
  avatars?: Record<string, AvatarAlias>;
  voices?: Record<string, VoiceAlias>;
  /** Named text overlay styles (a brand's lower third, title, call to action), used as `style: name`. */
  textStyles?: Record<string, TextStyleInput>;
  budget?: { maxCredits?: number };
  /**
   * HeyGen calls this URL when a render or translation ends (`callback_url` on every paid request); the
   * `HEYGEN_WEBHOOK_URL` environment variable wins. Run `heygen-build webhooks listen` behind it.
   */
  webhook?: { url?: string };
  /** Exports written after each build: a Remotion asset pack and/or OpenTimelineIO files, into these folders. */
  exports?: ExportSettings;
  /** Reviewed translations: where each language's SRT lives (`{id}` and `{language}` are filled in). */
  review?: { srt?: string };
  /** A shared store of renders (S3-compatible or a folder): see README "Teams and CI". */
  remote?: RemoteSettings;
}

/** Where `build` writes its exports afterwards (folders relative to the project root); see `heygen-build export`. */
export interface ExportSettings {
  remotion?: string;
  otio?: string;
}

/** The `remote` block: where renders are shared. Credentials come only from the standard AWS chain. */
export interface RemoteSettings {
  /** `s3://bucket/prefix` or `file:///absolute/path`. */
  url: string;
  region?: string;
  /** An S3-compatible endpoint (R2, MinIO, GCS interop). */
  endpoint?: string;
  /** Path-style addressing, which MinIO and most local servers need. */
  forcePathStyle?: boolean;
}

/** The config after loading and defaulting, with absolute paths: what every command actually runs with. */
export interface ResolvedConfig {
  /** Absolute path of the project root (the config file's folder, else the working directory). */
  root: string;
  /** Absolute path of the config file, when there is one. */
  configFile?: string;
  manifests: string[];
  outDir: string;
  lockfile: string;
  provider: ProviderName;
  heygen: {
    api: ApiVersion;
    baseUrl: string;
    uploadBaseUrl: string;
    concurrency: number;
    poll: { minMs: number; maxMs: number; timeoutMs: number };
    /** From HEYGEN_API_KEY or .env only; never written anywhere. */
    apiKey?: string;
  };
  defaults: Record<string, unknown>;
  avatars: Record<string, AvatarAlias>;
  voices: Record<string, VoiceAlias>;
  /** Named overlay styles (empty when the config has none). */
  textStyles?: Record<string, TextStyleInput>;
  budget: { maxCredits?: number };
  /** Where HeyGen posts when a job ends; never part of any key (adding it changes no plan). */
  webhook?: { url: string };
  /** Export folders as written (relative to `root`); absent or empty: no export after a build. */
  exports?: ExportSettings;
  /** The SRT path pattern of reviewed translations (absent: `translations/{id}.{language}.srt`). */
  review?: { srt: string };
  /** The shared store of renders, when configured. */
  remote?: RemoteSettings;
  /** sha256 of everything above that can change how manifests resolve (defaults, aliases, outDir). */
  fingerprint: string;
}
