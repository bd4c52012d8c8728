/** Errors a user can hit: each has a code, a message and, where one exists, a hint. */

/**
 * Every code a user can meet, with what to do about it: the README's error table is this object
 * (test/contracts/error-codes.test.ts fails when they differ, or when src/ uses a code missing here).
 * `E_` codes are errors; `W_` codes are warnings. Codes are never renamed or reused.
 */
export const ERROR_CODES = {
  // Manifests (validate, plan, build)
  E_YAML_SYNTAX: 'fix the YAML at the place shown (indentation, a missing colon, an unclosed quote)',
  E_MERGE_CONFLICT: 'resolve the git merge conflict in the manifest: keep the right lines and delete the markers git left',
  E_EMPTY: 'write a manifest (at least `scenes:`), or delete the empty file',
  E_ENCODING: 'save the manifest as UTF-8',
  E_READ: 'make the manifest readable (permissions, or a folder where a file was expected)',
  E_MANIFEST_TOO_LARGE: 'the manifest is over 2 MB: write one video per file (at most 50 scenes); if a script generated it, check the script',
  E_SCHEMA: 'fix the value at the place shown so it matches the schema (schema/video.schema.json)',
  E_UNKNOWN_KEY: 'fix the key\'s spelling (the message suggests the closest one) or remove it',
  E_MISSING_KEY: 'add the key the message names',
  E_DIMENSION: 'use 720p/1080p/4k, an aspect such as 16:9, or an even {width, height} between 128 and 4096',
  E_SCRIPT_TOO_LONG: 'split the script (at most 5,000 characters) into several scenes',
  E_UNKNOWN_ALIAS: 'fix the alias name (the message suggests one), add it to avatars/voices in the config, or write {id: ...} for a HeyGen id',
  E_UNKNOWN_STYLE: 'fix the style name (the message suggests the nearest one in textStyles), add it to textStyles in the config, or write the style inline',
  E_OVERLAY_WORD: 'write `at: {word}` with a word the scene\'s script says (a video\'s overlay: any scene\'s script), or time the overlay with `start`',
  E_OVERLAY_TIMING: 'make the overlay end (`end`, or `start` without `end`) within its scene or video, or move it to the video\'s `text:` to span scenes',
  E_NO_VOICE: 'set `voice:` on the video or scene, defaults.voice in the config, or a `voice` on the avatar alias',
  E_DUPLICATE_ID: 'give one of the two manifests its own `id:` (or rename the file)',
  E_DUPLICATE_OUTPUT: 'give one of the two videos its own `output:`',
  E_OUTPUT: 'point `output:` at an .mp4 of its own, e.g. out/name.mp4, that is not a manifest, asset, lockfile or config',
  E_PATH_ESCAPE: 'use a path relative to the manifest that stays inside the project (no .., absolute path or outside symlink), or an http(s) URL',
  E_ASSET_MISSING: 'fix the asset path (relative to the manifest file) or add the file',
  E_INVALID_MANIFESTS: 'run `heygen-build validate` and fix the errors it lists',
  E_ROWS_DATA: 'fix the rows data file at the line shown (CSV with a header line, JSONL, or a YAML/JSON list of maps, saved as UTF-8)',
  E_ROWS_TEMPLATE: 'fix the placeholder or when: at the place shown: {{ column }}, filters slug, upper, lower and default(\'x\'); the id needs a placeholder',
  E_ROWS_COLUMN: 'use a column the data file has (the message suggests one), or add the column to the data file',
  E_ROWS_VALUE: 'fill the empty cell in the data file, or give the placeholder a default(\'x\') filter',
  E_ROWS_NO_SCENES: 'give the manifest a scene without when:, or change the row so some scene\'s when: matches it',
  E_NO_MANIFESTS: 'check the paths given, or the `manifests` globs in the config (manifests are .yaml/.yml; quote globs so the shell does not expand them)',
  // Configuration and command line
  E_CONFIG: 'fix heygen.config.ts as the message says (see "Configuration" in the README); a HEYGEN_* variable: change it where the message says it came from (the environment, or the .env file it names)',
  E_CONFIG_LOAD: 'fix the error in the config file; it must `export default defineConfig({...})`',
  E_CONFIG_MISSING: 'check the --config path, or leave it out to use heygen.config.ts in the current folder',
  E_CONFIG_API_KEY: 'HEYGEN_API_KEY holds whitespace or a control character, or a quote at one end that nothing closes: copy the key again without quotes or a line break (or quote it on both sides in `.env`)',
  E_PATH_NOT_FOUND: 'check the path (or --cwd) given on the command line (or, for `.heygen`, remove or rename the file: heygen-build keeps its folder there)',
  E_PATH_OUTSIDE: 'give manifest paths inside the project (the folder of its heygen.config.ts), or run in the other project (-C <dir>)',
  E_REPLACE_UNKNOWN: 'name a video id as `plan` lists it, or <id>@<language> for a translation',
  E_WEBHOOK_URL: 'give `webhooks register --url` an https URL without a user:password@ part: HeyGen posts only to https, so put the receiver behind TLS (a reverse proxy, or a tunnel such as cloudflared or ngrok); plain http is taken only for localhost, 127.0.0.0/8 and [::1], which real HeyGen cannot reach',
  E_WEBHOOK_SECRET: 'set HEYGEN_WEBHOOK_SECRET (environment or .env) to the secret `heygen-build webhooks register` printed; lost it? within 24 h of registering, `webhooks register` with the same --url and --events prints it again; later, register anew (then `webhooks delete` the old endpoint)',
  E_PORT_IN_USE: 'pick another port (watch --serve 4322, emulator --port 4011), or 0 for any free one',
  E_NO_API_KEY: 'export HEYGEN_API_KEY (or put it in .env; find your key at app.heygen.com > Settings > API), or build drafts with --provider local',
  E_CI_NO_API_KEY: 'set the HEYGEN_API_KEY secret in CI, or pass --provider local to build drafts on purpose',
  // Checks before anything is paid for
  E_BUDGET: 'raise --max-credits (or budget.maxCredits), or build fewer videos by naming their manifests',
  E_UNSUPPORTED: 'HeyGen cannot render this as written: change what the message names (a HeyGen build refuses only that video; drafts are unaffected)',
  E_TEMPLATE: "check the template id (GET /v3/templates lists them) and that templates render on heygen.api 'v3'",
  E_TEMPLATE_VARIABLE: "match the template's variables and scene ids as HeyGen names them (the message suggests the closest; GET /v3/templates/{id} lists them)",
  E_LANGUAGE: 'use a language code (es, fr-FR) or a name from HeyGen\'s language list (the message suggests one)',
  // Checks against the account's catalog of avatar looks and voices (before anything is paid for)
  E_UNKNOWN_AVATAR: 'use a look id from `heygen-build avatars` (the message suggests the closest one)',
  E_AVATAR_NOT_READY: 'wait until the look has finished training (`heygen-build avatars --refresh-catalog` shows its status), or use another look',
  E_AVATAR_ENGINE: 'use a look whose engines include this one (`heygen-build avatars` lists them)',
  E_AVATAR_EXPRESSIVENESS: 'remove `expressiveness`, or use a photo avatar look (`heygen-build avatars --type photo`) on the avatar_iv engine',
  E_AVATAR_MOTION: 'remove `motion`, or use it where HeyGen takes it: a photo (avatar_iv), a photo avatar look (avatar_iv or avatar_v), or any look on `engine: avatar_v`',
  E_TRANSPARENT: 'give the video an `avatar:` and no `background:` (the scenes none either), or remove `transparent: true`',
  E_UNKNOWN_VOICE: 'use a voice id from `heygen-build voices` (the message suggests the closest one)',
  E_UNKNOWN_AGENT_STYLE: 'use a style id from `heygen-build styles` (the message suggests the closest one), or remove style: to let Video Agent choose',
  E_VOICE_NO_PAUSE: 'remove the <break> tags, or pick a voice that supports pauses (`heygen-build voices`)',
  E_VOICE_NO_LOCALE: 'remove `locale`, or pick a voice with locale variants (`heygen-build voices`)',
  E_VOICE_NOT_STARFISH: 'give the scene an avatar, or use a Starfish voice (`heygen-build voices --tts`)',
  E_PLAN_STALE: 'the plan changed since the file given to `build --plan` was saved (the message lists how; nothing was sent): review the plan as it is now, save it again with `heygen-build plan --out <file>` and build with that, or build without --plan',
  E_PLAN_FILE: 'give `build --plan` the file `heygen-build plan --out <file>` (or `plan --json > <file>`) wrote, unchanged; give `plan --out` a file of its own, not the lockfile, the config or a manifest',
  E_CATALOG_UNAVAILABLE: 'set HEYGEN_API_KEY so the catalog can be fetched, or run once with a key to cache it (.heygen/catalog.json)',
  // Lockfile and project state
  E_LOCKFILE_CORRUPT: 'restore heygen.lock.yaml from git (git checkout -- heygen.lock.yaml); it is never overwritten while corrupt',
  E_LOCKFILE_TRUNCATED: 'the lockfile was cut short: restore it from git (git checkout -- heygen.lock.yaml)',
  E_LOCKFILE_CONFLICT: 'resolve the merge conflict in heygen.lock.yaml keeping the video entries of both sides, then run `heygen-build plan`',
  E_LOCKFILE_NEWER: 'upgrade heygen-build (npm install -D heygen-build@latest): a newer version wrote the lockfile',
  E_LOCKFILE_UNREADABLE: 'make the lockfile readable (permissions; or it is a folder: move it or set `lockfile:`)',
  E_SHARD: 'give --shard as <index>/<count>, numbered from 0 (a 4-job matrix: 0/4 1/4 2/4 3/4)',
  E_LOCK_OUT: 'give --lock-out a new file in an existing folder, not the project lockfile, the config or a manifest (the default, heygen.lock.shard-<i>-of-<n>.yaml, is one)',
  E_LOCK_MERGE_INPUT: 'name existing partial lockfiles (heygen.lock.shard-<i>-of-<n>.yaml) written by `build --shard`',
  E_LOCK_MERGE_SHARDS:
    'merge the partial lockfiles of one run of the matrix, each shard once: every job built the same commit with `--shard <i>/<n>` for one n. Run a missing shard again (it pays for nothing already rendered: the remote store, claims and Idempotency-Keys see to it) and merge again; `lock merge --force` merges these anyway (README "lock merge")',
  E_BUILD_LOCKED: 'wait for the other build to finish; if none is running, delete .heygen/build.lock',
  E_DISK_FULL: 'free disk space and run again: nothing half-written was kept',
  E_READ_ONLY: 'the file system is read-only: build in a writable checkout',
  E_PERMISSION: 'give the user running heygen-build write access to the file named',
  // HeyGen
  E_HEYGEN_AUTH: 'check HEYGEN_API_KEY: missing, mistyped or revoked (app.heygen.com > Settings > API)',
  E_HEYGEN_CREDITS: 'add credits to the HeyGen account or change plan; `plan` shows the estimated cost first',
  E_HEYGEN_FORBIDDEN: 'use a key or plan with access to the feature (video translation needs Scale or Enterprise)',
  E_HEYGEN_REJECTED: 'HeyGen rejected the request: fix the field it names',
  E_HEYGEN_RATE_LIMITED: 'lower heygen.concurrency, or try again later',
  E_HEYGEN_UNAVAILABLE: 'try again later: a build resumes where it stopped. With no connection at all, the hint names the address and what to check (the network, a proxy, HEYGEN_API_BASE_URL); `status` and `webhooks`, which resume nothing, say when to ask again',
  E_HEYGEN_UNCERTAIN: 'check app.heygen.com for the video before building again, or use heygen.api: \'v3\' (its requests retry safely)',
  E_HEYGEN_HTTP: 'HeyGen answered an unexpected HTTP error: try again; report it if it persists',
  E_HEYGEN_BAD_RESPONSE: 'HeyGen\'s answer was not understood: report it with the command you ran',
  E_HEYGEN_NO_URL: 'HeyGen gave no download URL: run build again later, or --replace the video',
  E_RENDER_FAILED: 'read HeyGen\'s reason in the message, fix the manifest, and build again (a new attempt)',
  E_TRANSLATION_FAILED: 'read HeyGen\'s reason in the message and build again (a new attempt)',
  E_PROOFREAD_FAILED: 'read HeyGen\'s reason at the translation entry (a source without audible speech, an unreadable video), fix it and build again (a new proofread)',
  E_POLL_TIMEOUT: 'run build again later: it resumes polling without submitting again',
  E_DOWNLOAD_EXPIRED: 'the render may be deleted on HeyGen: `heygen-build build --replace <id>` renders it again',
  E_DOWNLOAD_FAILED: 'run build again: finished renders are downloaded, never rendered again',
  E_HEYGEN_NOT_FOUND: 'the lockfile names a render HeyGen does not have: build with the API key of the account that made it, or `heygen-build build --replace <id>` renders it again',
  E_ASSET_CHANGED: 'a file the build uploads or composes changed after the plan read it: wait until it is saved, then build again; the next plan reads its new bytes (nothing was recorded for the old ones, and clips already rendered are reused, not paid again)',
  E_ASSET_NOT_UPLOADED: 'a bug in heygen-build (assets upload first): please report it',
  E_LOCK_NO_REMOTE: 'the lockfile lacks the HeyGen id: `heygen-build build --replace <id>` renders it again',
  // Offline drafts
  E_FFMPEG_MISSING: 'install ffmpeg (apt-get install ffmpeg / brew install ffmpeg), or run npm install to get @ffmpeg-installer/ffmpeg',
  E_FFMPEG: 'ffmpeg failed on a draft or composition: an input file it cannot decode is the likely cause (`ffprobe FILE` on the manifest\'s assets finds it); report it if they all read',
  E_DRAFT_ASSET: 'check the asset path and that the file is audio, video or an image ffmpeg can read (the message names the manifest, scene and file; a picture that fails: re-export it as PNG or JPEG; `ffprobe FILE` says why a file is not readable)',
  E_DRAFT_DIMENSION: 'use even dimensions such as 1280x720',
  E_DRAFT_EMPTY: 'add at least one scene to the manifest',
  E_DRAFT_SPEECH: 'fix espeak-ng, or take it off PATH to render silent drafts',
  E_DRAFT_CACHE_MISS: 'render the draft again (it will be cached)',
  E_DRAFT_CACHE_KEY: 'a bug in heygen-build (cache keys are hashes): please report it',
  // Composing scene clips into a video
  E_COMPOSE: 'composing the scene clips failed: run build again (finished clips are kept); report it if it persists',
  E_COMPOSE_CLIP: 'a scene clip is damaged or incomplete: delete it under .heygen/clips so that it is fetched again',
  E_COMPOSE_CLIPS: 'a bug in heygen-build (clips do not match the scenes): please report it',
  E_OVERLAY_FONT: 'no bundled font has glyphs for the characters named: install @expo-google-fonts/noto-sans-sc (Chinese, Japanese kana) or @expo-google-fonts/noto-sans-kr (Korean) next to heygen-build',
  E_COMPOSE_ASSET: 'check the asset path in the manifest (relative to the manifest file), that the file exists, and that it is an image, video or audio file ffmpeg can read (the message names the manifest, scene and file; re-export a broken picture as PNG or JPEG); a file a scene clip uploads to HeyGen (a photo, an image background HeyGen composites, the audio an avatar speaks) must also be a PNG or JPEG picture or MP3 or WAV audio, and so must a template video\'s `image` or `audio` variable\'s file, and a `video` variable\'s file or a dub\'s local `source:` an MP4 or WebM (a phone\'s QuickTime `.mov` is neither): re-export or re-encode it as one (`plan` warns of such a file with the same message and hint before a build); a URL asset that answered 404/410/403: point the manifest at its new URL or a local file',
  // Exports (Remotion asset pack, OpenTimelineIO)
  E_EXPORT_EMPTY: 'run heygen-build build first (with HeyGen, or drafts with --provider local): an export reads what the build made',
  // Remote store (remote: in the config)
  E_REMOTE_CONFIG: "write remote: { url: 's3://bucket/prefix' } (with endpoint and forcePathStyle for R2 or MinIO) or { url: 'file:///shared/folder' } in heygen.config.ts",
  E_REMOTE_AUTH: "refresh the AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE or the CI job's role): heygen-build reads them only from the standard AWS chain",
  E_REMOTE_UNREACHABLE: 'check remote.url and remote.endpoint and the network: a build carries on without the store, and `heygen-build push` sends what is pending later',
  E_REMOTE_DIGEST: "the store's blob does not match its digest: a build fetches the file another way (from HeyGen, by the id its lockfile entry or its record names) and then uploads its good copy over the damaged blob; where no build can (`pull`, or HeyGen no longer has the render), delete the blob from the store and push from a machine that has the file",
  E_REMOTE: 'check that the bucket exists and that the credentials may read and write under its prefix',
  E_CLAIM_HELD: 'another machine holds this key\'s claim without a HeyGen id: build again once it records one (its job is then adopted); if it died, `build --take-over-stale` or `heygen-build claims release <key>` (see `heygen-build claims`)',
  E_CLAIM_NOT_FOUND: 'run `heygen-build claims --all` to list the claims in the store, and name one by its content key (or a unique prefix of it, 8 characters or more) or its HeyGen id',
  // Warnings
  W_LEGACY_API: "HeyGen ended its v1/v2 API on 2026-10-31: remove heygen.api (v3 is the default), or set heygen: { api: 'v3' }",
  W_TEMPLATE_UNKNOWN: 'plan once with HEYGEN_API_KEY set (a free request) so the template definition is fetched and cached in .heygen/templates/',
  W_ALIAS_ID: 'a map `{id: ...}` is always a raw HeyGen id: write `{alias: name}` to use an alias with overrides, or keep the id if it is one',
  W_LANGUAGE_UNLISTED: "the list of translation languages shipped with heygen-build lacks this one: `plan` with HEYGEN_API_KEY set checks HeyGen's current list",
  W_TEXT_OVERFLOW: 'the overlay\'s text is wider or taller than the frame at its size: shorten it, break it into lines (\\n), or lower the style\'s size',
  W_DEFAULT_VOICE: 'a scene with an avatar and no voice is spoken by the look\'s default voice (the plan says which): set `voice:` to choose another',
  W_NO_MANIFESTS: 'no manifest matched the paths given or the config\'s `manifests` globs, so the plan is empty: check them (quote globs so the shell does not expand them); `validate` and `build` refuse this (E_NO_MANIFESTS)',
  W_CATALOG_SKIPPED: 'avatar and voice ids were not checked (no API key, no cached catalog): set HEYGEN_API_KEY, or run `heygen-build avatars` once with a key',
  W_V3_EMOTION: 'HeyGen v3 cannot render a voice emotion: remove `emotion` (from the manifest, or from the config\'s voice alias the message names) to render this video with HeyGen (drafts ignore it)',
  W_CLAIM_STALE: 'a key this plan pays for is claimed by a machine that recorded no HeyGen id and has shown no sign of life for 10 minutes: `heygen-build claims` shows it; `build --take-over-stale` or `heygen-build claims release <key>` frees it',
  W_REMOTE_OFFLINE: 'the remote store could not be read while planning: check remote.url, remote.endpoint, the network and the AWS credentials; a build still restores what it finds there',
  W_STATUS_STALE: 'the message says why HeyGen could not be asked, and the hint what to do: nothing answered at the address (connection refused, unknown host: check the network, a proxy and HEYGEN_API_BASE_URL; an emulator not started), no answer in time (on a slow link, `--timeout 1m` waits longer for each answer), or 5xx answers or repeated 429s (run `heygen-build status` again later: a `build` polls these jobs itself and waits out an outage)',
  W_REMOTE_RECORD:
    "a build cannot restore from this record, so it renders the key and pays (then writes a good record over it). To pay nothing: delete the record from the store and run `heygen-build push` where a lockfile has that render; one written by a newer heygen-build: upgrade",
  // Not the user's doing
  E_INTERRUPTED: 'run the same command again: it resumes what was in flight',
  E_INTERNAL: 'a bug in heygen-build: please report it with the command you ran',
} as const;

/** A code a thrown error may carry: `E_…`. */
export type ErrorCode = Extract<keyof typeof ERROR_CODES, `E_${string}`>;
/** A warning's code: `W_…`. */
export type WarningCode = Extract<keyof typeof ERROR_CODES, `W_${string}`>;
/** A diagnostic may be an error or a warning. */
export type DiagnosticCode = ErrorCode | WarningCode;

/** Narrows a diagnostic code to an error (`E_`) code, as opposed to a warning (`W_`) code. */
export function isErrorCode(code: DiagnosticCode): code is ErrorCode {
  return code.startsWith('E_');
}

/** Where in a user's file a problem is, so messages and code frames can point at it. */
export interface SourceLocation {
  /** Project-relative path (or as given). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** One problem found in a user's input, with enough location and hint to fix it without reading the code. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  message: string;
  hint?: string;
  location?: SourceLocation;
  /** A code frame around the location, ready to print. */
  frame?: string;
}

/**
 * The error every user-facing failure is thrown as: a stable code, a message, a hint and where to look; anything else
 * is a bug.
 */
export class HeygenBuildError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly diagnostics: Diagnostic[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; location?: SourceLocation; diagnostics?: Diagnostic[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HeygenBuildError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.diagnostics = options.diagnostics ?? [];
  }
}

/** Tells a user error apart from a bug, so the CLI prints the former cleanly and the latter with a stack. */
export function isHeygenBuildError(e: unknown): e is HeygenBuildError {
  return e instanceof HeygenBuildError;
}
