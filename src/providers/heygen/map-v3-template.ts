/**
 * A template video as `POST /v3/templates/{id}` (TemplateGenerate) wants it. Variables go in the shape
 * `GET /v3/templates/{id}` gives their defaults in: `{name, type, properties}`, the properties chosen by
 * the variable's type in the template's definition.
 */
import type { VideoSpec } from '../../model/spec.js';
import type { TemplateDefinition } from '../../model/template.js';

type Json = Record<string, unknown>;

const URL_RE = /^https?:\/\//i;

/** A media variable's source: an http(s) URL, else a HeyGen asset id. */
function source(value: string): Json {
  return URL_RE.test(value) ? { url: value } : { asset_id: value };
}

/**
 * One variable in TemplateGenerate's shape, by its type in the definition (text when unknown). `assetId`:
 * the upload of a local file the manifest gave as the value.
 */
export function templateVariable(name: string, value: string, type: string | undefined, assetId?: string): Json {
  switch (type) {
    case 'image':
    case 'video':
    case 'audio':
      return { name, type, properties: assetId !== undefined ? { asset_id: assetId } : source(value) };
    case 'character':
      return { name, type, properties: { type: 'avatar', character_id: value } };
    case 'voice':
      return { name, type, properties: { voice_id: value } };
    default:
      return { name, type: 'text', properties: { content: value } };
  }
}

/**
 * The request body (`assetIds`: variable name -> uploaded asset, for values that are local files). `caption: true` when the manifest asks for captions (HeyGen then gives the SRT as
 * `subtitle_url`); `dimension` only when the manifest sets one (it must match the template's aspect).
 */
export function toV3TemplateRequest(spec: VideoSpec, def: TemplateDefinition, callbackId: string, assetIds: Readonly<Record<string, string>> = {}): Json {
  const t = spec.template;
  if (!t) throw new Error(`bug: ${spec.id} is not a template video`);
  const variables = Object.fromEntries(Object.entries(t.variables).map(([name, value]) => [name, templateVariable(name, value, def.variables[name], assetIds[name])]));
  return {
    variables,
    ...(t.sceneIds ? { scene_ids: [...t.sceneIds] } : {}),
    caption: spec.caption !== 'none',
    ...(t.dimension ? { dimension: { width: t.dimension.width, height: t.dimension.height } } : {}),
    ...(t.fps !== undefined ? { fps: t.fps } : {}),
    title: spec.title ?? spec.id,
    callback_id: callbackId,
  };
}
