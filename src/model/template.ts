/** A HeyGen template's definition as `GET /v3/templates/{id}` gives it, reduced to what the build uses. */

/** One scene of a template, in template order. */
export interface TemplateSceneDefinition {
  readonly id: string;
  /** The scene's script with `{{name}}` placeholders unreplaced, when it has one. */
  readonly script?: string;
  /** Names of the variables the scene uses. */
  readonly variables: readonly string[];
}

/** What the plan checks a template manifest against, and what its key holds (by `digest`). */
export interface TemplateDefinition {
  readonly id: string;
  readonly name: string;
  /** e.g. `16:9`. */
  readonly aspectRatio?: string;
  /** Variable name -> HeyGen type (`text`, `image`, `video`, `audio`, `character`, `voice`). */
  readonly variables: Readonly<Record<string, string>>;
  readonly scenes: readonly TemplateSceneDefinition[];
  /** sha256 of the definition as HeyGen answered it (without timestamps): part of the video's key. */
  readonly digest: string;
  /** Where it came from: fetched now, or a copy cached in `.heygen/templates/` by an earlier run. */
  readonly origin: 'fetched' | 'cached';
}
