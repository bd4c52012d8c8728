/**
 * HeyGen templates (v3): `GET /v3/templates`, `GET /v3/templates/{id}` and `POST /v3/templates/{id}`
 * (TemplateGenerate). Definitions live in `settings.templates`, so a test edits one the way a user
 * edits a template in HeyGen's web app: the next GET serves the new definition.
 */
import { type Ctx, type Route, jsonBody, optString, unixSeconds } from './context.js';
import { ApiError, okBody } from './envelopes.js';
import type { Reply } from './http-util.js';
import { speechSeconds } from './estimate.js';
import type { EmulatedTemplate, RenderInfo, TemplateVariableType } from './types.js';
import { assertValid } from './validate.js';

type Json = Record<string, unknown>;

/** Avatar IV's rate: a template's avatar scenes are billed like any other render. */
const TEMPLATE_RATE = 0.1;

const ok = (data: unknown): Reply => ({ status: 200, body: okBody('v3', data) });

/** The templates every emulator starts with (a test may add, edit or remove them). */
export function defaultTemplates(): Record<string, EmulatedTemplate> {
  return {
    tpl_welcome: {
      name: 'Welcome',
      aspectRatio: '16:9',
      updatedAt: 1_767_225_600,
      variables: { first_name: 'text', company: 'text', logo: 'image' },
      scenes: [
        { id: 'scene_hello', script: 'Hi {{first_name}}, welcome to {{company}}!', variables: ['first_name', 'company', 'logo'] },
        { id: 'scene_next', script: 'Here is what happens next at {{company}}. Your account is ready.', variables: ['company'] },
      ],
    },
    tpl_promo: {
      name: 'Promo (portrait)',
      aspectRatio: '9:16',
      updatedAt: 1_767_225_600,
      variables: { product: 'text', price: 'text', presenter: 'character' },
      scenes: [{ id: 'scene_offer', script: '{{product}} is now only {{price}}. Get it today.', variables: ['product', 'price', 'presenter'] }],
    },
  };
}

/** A variable's default value, in the shape TemplateGenerate accepts (as TemplateGet promises). */
function defaultValue(name: string, type: TemplateVariableType): Json {
  const properties: Record<TemplateVariableType, Json> = {
    text: { content: name },
    image: { url: 'https://example.com/placeholder.png', fit: 'contain' },
    video: { url: 'https://example.com/placeholder.mp4', play_style: 'fit_to_scene', fit: 'cover' },
    audio: { url: 'https://example.com/placeholder.mp3' },
    character: { type: 'avatar', character_id: 'Daisy-inskirt-20220818' },
    voice: { voice_id: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  };
  return { name, type, properties: properties[type] };
}

function template(ctx: Ctx): [string, EmulatedTemplate] {
  const id = decodeURIComponent(ctx.params[0] ?? '');
  const t = ctx.deps.settings.templates[id];
  if (!t) throw new ApiError(404, 'not_found', `Template ${id} was not found`, 'template_id');
  return [id, t];
}

function summary(id: string, t: EmulatedTemplate): Json {
  return { id, name: t.name, aspect_ratio: t.aspectRatio, thumbnail_url: null, created_at: 1_767_225_600, updated_at: t.updatedAt };
}

function listTemplates(ctx: Ctx): Reply {
  // "Only templates with variables defined are listed."
  const data = Object.entries(ctx.deps.settings.templates)
    .filter(([, t]) => Object.keys(t.variables).length > 0)
    .map(([id, t]) => summary(id, t));
  return { status: 200, body: { data, has_more: false, next_token: null } };
}

function getTemplate(ctx: Ctx): Reply {
  const [id, t] = template(ctx);
  return ok({
    ...summary(id, t),
    scene_ids: t.scenes.map((s) => s.id),
    scenes: t.scenes.map((s) => ({
      scene_id: s.id,
      script: s.script,
      variables: s.variables.map((name) => ({ name, variable_type: t.variables[name] ?? 'text' })),
    })),
    variables: Object.fromEntries(Object.entries(t.variables).map(([name, type]) => [name, defaultValue(name, type)])),
  });
}

/** The text a text variable's value carries, or undefined for a value of another shape. */
function textOf(value: unknown): string | undefined {
  const props = typeof value === 'object' && value !== null ? (value as Json).properties : undefined;
  return typeof props === 'object' && props !== null ? optString((props as Json).content) : undefined;
}

/** Checks the variables and scene ids against the definition, the way HeyGen states its rules. */
function assertFits(t: EmulatedTemplate, body: Json): void {
  const variables = body.variables as Json;
  for (const [name, value] of Object.entries(variables)) {
    const type = t.variables[name];
    if (!type) throw new ApiError(400, 'validation_error', `variables.${name} is not a variable of this template`, `variables.${name}`);
    const v = typeof value === 'object' && value !== null ? (value as Json) : {};
    if (v.type !== type || typeof v.properties !== 'object' || v.properties === null) {
      throw new ApiError(400, 'validation_error', `variables.${name} must be {name, type: "${type}", properties}`, `variables.${name}`);
    }
  }
  const known = new Set(t.scenes.map((s) => s.id));
  const ids = Array.isArray(body.scene_ids) ? body.scene_ids : [];
  ids.forEach((id, i) => {
    // "Scenes must already exist in the template; the API ... cannot create new ones."
    if (typeof id !== 'string' || !known.has(id)) throw new ApiError(400, 'validation_error', `scene_ids[${i}] is not a scene of this template`, `scene_ids[${i}]`);
  });
  if (body.fps !== undefined && ![25, 30, 60].includes(body.fps as number)) {
    throw new ApiError(400, 'validation_error', 'fps must be one of 25, 30 or 60', 'fps');
  }
  const d = body.dimension as Json | null | undefined;
  if (d) {
    const { width, height } = d as { width: number; height: number };
    if ([width, height].some((n) => n < 128 || n > 4096 || n % 2 !== 0)) {
      throw new ApiError(400, 'validation_error', 'dimension width and height must be even, 128-4096', 'dimension');
    }
    const [w, h] = t.aspectRatio.split(':').map(Number) as [number, number];
    // "Must match the template's aspect ratio" (to within a pixel of rounding).
    if (Math.abs(width * h - height * w) > Math.max(w, h)) {
      throw new ApiError(400, 'validation_error', `dimension ${width}x${height} does not match the template's aspect ratio ${t.aspectRatio}`, 'dimension');
    }
  }
}

/** The frame a template render comes at: the requested dimension, else 720p at the template's aspect. */
function frame(t: EmulatedTemplate, body: Json): RenderInfo {
  const d = body.dimension as { width: number; height: number } | null | undefined;
  const [w, h] = t.aspectRatio.split(':').map(Number) as [number, number];
  const size = d ?? (w >= h ? { width: Math.round((720 * w) / h / 2) * 2, height: 720 } : { width: 720, height: Math.round((720 * h) / w / 2) * 2 });
  return { outputFormat: 'mp4', width: size.width, height: size.height, alpha: false, removeBackground: false };
}

async function generate(ctx: Ctx): Promise<Reply> {
  const [id, t] = template(ctx);
  const body = await jsonBody(ctx);
  assertValid('TemplateGenerate', body);
  assertFits(t, body);
  const variables = body.variables as Json;
  const ids = Array.isArray(body.scene_ids) && body.scene_ids.length > 0 ? (body.scene_ids as string[]) : t.scenes.map((s) => s.id);
  const script = ids
    .map((sid) => t.scenes.find((s) => s.id === sid)?.script ?? '')
    .map((s) => s.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => textOf(variables[name]) ?? name))
    .join(' ');
  const seconds = speechSeconds(script);
  const [job] = ctx.deps.store.create([
    {
      kind: 'video',
      api: 'v3',
      body: { ...body, template_id: id },
      idempotencyKey: ctx.idempotencyKey,
      callbackId: optString(body.callback_id),
      title: optString(body.title),
      duration: seconds,
      text: script,
      captions: body.caption === true ? 'sidecar' : 'none',
      outputFormat: 'mp4',
      render: frame(t, body),
      rate: TEMPLATE_RATE,
    },
  ]);
  const now = unixSeconds(Date.now());
  // TemplateGenerate answers the video object (`id`, not /v3/videos' `video_id`).
  return ok({ id: job?.id, status: 'pending', title: optString(body.title) ?? null, created_at: now });
}

/** The template endpoints the emulator serves. */
export const templateRoutes: Route[] = [
  { method: 'GET', pattern: /^\/v3\/templates$/, style: 'v3', handle: listTemplates },
  { method: 'GET', pattern: /^\/v3\/templates\/([^/]+)$/, style: 'v3', handle: getTemplate },
  { method: 'POST', pattern: /^\/v3\/templates\/([^/]+)$/, style: 'v3', idempotent: true, handle: generate },
];
