/**
 * undici, loaded on the first request: it is the largest module the CLI would otherwise load at
 * start, and `plan` without a key, `validate` and drafts never send a request.
 *
 * A build needs only an Agent (with its `request`) and the redirect interceptor. undici's index
 * loads everything else too (fetch, WebSocket, cookies, caches, mocks, proxies): ~85 ms of CPU
 * against ~27 ms for the parts used, paid by every build process (4 shards on 2 cores: 4 times)
 * before its first submit. `undiciCore` loads those parts alone, as undici's own index does
 * (which modules, and the request API put on Dispatcher.prototype), and falls back to the whole
 * module if that layout ever changes.
 */
import { createRequire } from 'node:module';

type Undici = typeof import('undici');

/** The parts of undici the HeyGen client and downloads use. */
export interface UndiciCore {
  Agent: Undici['Agent'];
  interceptors: Pick<Undici['interceptors'], 'redirect'>;
}

let loading: Promise<Undici> | undefined;
let loadingCore: Promise<UndiciCore> | undefined;

/** The undici module, imported once. */
export function undici(): Promise<Undici> {
  loading ??= import('undici');
  return loading;
}

/** An Agent and the redirect interceptor, without the rest of undici (see above); imported once. */
export function undiciCore(): Promise<UndiciCore> {
  loadingCore ??= Promise.resolve()
    .then(requireCore)
    .catch(() => undici());
  return loadingCore;
}

function requireCore(): UndiciCore {
  const require = createRequire(import.meta.url);
  // CommonJS modules: what each exports is undici's own class or function (typed by undici's index).
  const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: Record<string, unknown> };
  const api = require('undici/lib/api/index.js') as Record<string, unknown>;
  const Agent = require('undici/lib/dispatcher/agent.js') as Undici['Agent'];
  const redirect = require('undici/lib/interceptor/redirect.js') as Undici['interceptors']['redirect'];
  if (typeof api.request !== 'function' || typeof Agent !== 'function' || typeof redirect !== 'function') throw new Error('unexpected undici layout');
  // What undici's index does on load (idempotent: the same functions if the whole module loads later).
  if (Dispatcher.prototype.request !== api.request) Object.assign(Dispatcher.prototype, api);
  return { Agent, interceptors: { redirect } };
}
