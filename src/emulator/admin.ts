/**
 * Control plane for a separate process (e.g. `npm run emulator` driven by a shell test):
 * `POST /__emulator/faults` merges a JSON fault set (`paths` as a RegExp source string, `null`
 * removes a fault), `GET /__emulator/state` dumps faults, jobs, assets, credits and requests,
 * `POST /__emulator/reset` clears the request log, `POST /__emulator/settings` replaces settings
 * (`{"noMattingAvatars": [...]}`, `{"templates": {id: definition | null}}`). Not recorded, not delayed, no API key.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, readBody, sendReply } from './http-util.js';
import { ApiError, errorBody } from './envelopes.js';
import type { EmulatedTemplate, Emulator, Faults, Settings } from './types.js';
import { templateShapeProblem } from './template-shape.js';

/** JSON view of faults: RegExps as their source. */
export function serializeFaults(faults: Faults): unknown {
  return JSON.parse(JSON.stringify(faults, (_k, v: unknown) => (v instanceof RegExp ? v.source : v)));
}

/** Applies a JSON fault patch to the live fault object. */
export function applyFaultPatch(faults: Faults, patch: Record<string, unknown>): void {
  // Every fault of the Faults type, checked by the compiler, so none is refused over HTTP by omission.
  const knownFaults: Record<keyof Faults, true> = {
    rateLimit: true,
    serverError: true,
    dropConnection: true,
    slow: true,
    failRender: true,
    failTranslation: true,
    failProofread: true,
    expireProofread: true,
    expireUrls: true,
    truncate: true,
    httpStatus: true,
    webhookDuplicate: true,
    webhookLate: true,
    webhookForge: true,
  };
  const known = Object.keys(knownFaults);
  for (const [name, value] of Object.entries(patch)) {
    if (!known.includes(name)) throw new ApiError(400, 'validation_error', `unknown fault "${name}"`, name);
    if (value === null || value === false) {
      delete faults[name as keyof Faults];
      continue;
    }
    if (typeof value === 'object' && value !== null && typeof (value as { paths?: unknown }).paths === 'string') {
      const v = value as { paths: string };
      (faults as Record<string, unknown>)[name] = { ...v, paths: new RegExp(v.paths) };
    } else {
      (faults as Record<string, unknown>)[name] = value;
    }
  }
}

/** Applies a JSON settings patch to the live settings object. */
export function applySettingsPatch(settings: Settings, patch: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(patch)) {
    if (name === 'templates') {
      applyTemplatesPatch(settings, value);
      continue;
    }
    if (name !== 'noMattingAvatars') throw new ApiError(400, 'validation_error', `unknown setting "${name}"`, name);
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw new ApiError(400, 'validation_error', 'noMattingAvatars must be an array of avatar ids', name);
    }
    settings.noMattingAvatars = [...(value)];
  }
}

/** `{"templates": {"tpl_x": {...definition} | null}}`: adds, replaces (an edit in HeyGen's app) or removes templates. */
function applyTemplatesPatch(settings: Settings, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(400, 'validation_error', 'templates must be an object of template id -> definition (or null to remove)', 'templates');
  }
  for (const [id, def] of Object.entries(value as Record<string, unknown>)) {
    if (def === null) {
      delete settings.templates[id];
      continue;
    }
    const problem = templateShapeProblem(def);
    if (problem) throw new ApiError(400, 'validation_error', `templates.${id}: ${problem}`, `templates.${id}`);
    settings.templates[id] = def as EmulatedTemplate;
  }
}

/**
 * Serves the `/__emulator/*` endpoints tests use to read state, inject faults and change settings; never part of
 * HeyGen's API.
 */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, emulator: Emulator): Promise<void> {
  try {
    if (req.method === 'GET' && url.pathname === '/__emulator/state') {
      return sendReply(res, {
        status: 200,
        body: {
          url: emulator.url,
          credits: emulator.credits(),
          faults: serializeFaults(emulator.faults),
          settings: emulator.settings,
          jobs: emulator.jobs(),
          assets: emulator.assets(),
          requests: emulator.requests,
          webhooks: { deliveries: emulator.webhooks.deliveries, events: emulator.webhooks.events },
        },
      });
    }
    if (req.method === 'POST' && url.pathname === '/__emulator/faults') {
      applyFaultPatch(emulator.faults, parseJsonObject(await readBody(req, 1024 * 1024)));
      return sendReply(res, { status: 200, body: { faults: serializeFaults(emulator.faults) } });
    }
    if (req.method === 'POST' && url.pathname === '/__emulator/settings') {
      applySettingsPatch(emulator.settings, parseJsonObject(await readBody(req, 1024 * 1024)));
      return sendReply(res, { status: 200, body: { settings: emulator.settings } });
    }
    if (req.method === 'POST' && url.pathname === '/__emulator/reset') {
      emulator.reset();
      return sendReply(res, { status: 200, body: { ok: true } });
    }
    throw new ApiError(404, 'not_found', `No admin route ${req.method} ${url.pathname}`);
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError(500, 'internal_error', String(err));
    sendReply(res, { status: e.status, body: errorBody('v3', e) });
  }
}
