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
  /** sha256 of everything above that can change how manifests resolve (defaults, aliases, outDir). */
  fingerprint: string;
}
