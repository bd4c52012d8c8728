/**
 * Catalog findings as the Problems `plan` and `build` report: one Problem per code and effect, one
 * detail line per place, each carrying its place so the API can point at file:line:col.
 */
import { ERROR_CODES } from '../../errors.js';
import type { Catalog } from '../../model/catalog.js';
import type { ResolvedConfig } from '../../model/config.js';
import type { Plan } from '../../model/plan.js';
import { PAID_ACTIONS } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { Problem, ProblemPlace } from '../provider.js';
import { catalogFindings } from './catalog-checks.js';
import type { CatalogCode, Finding, Place } from './catalog-finding.js';

const TITLES: Record<CatalogCode, string> = {
  E_UNKNOWN_AVATAR: 'unknown avatar look',
  E_AVATAR_NOT_READY: 'avatar look not trained yet',
  E_AVATAR_ENGINE: 'engine not supported by the avatar look',
  E_AVATAR_EXPRESSIVENESS: 'expressiveness the avatar look cannot take',
  E_AVATAR_MOTION: 'motion the avatar look cannot take',
  E_UNKNOWN_VOICE: 'unknown voice',
  E_VOICE_NO_PAUSE: 'pauses the voice cannot do',
  E_VOICE_NO_LOCALE: 'locale the voice cannot do',
  E_VOICE_NOT_STARFISH: 'voice that cannot speak without an avatar',
  E_NO_VOICE: 'no voice to speak the script',
  W_DEFAULT_VOICE: "the avatar's default voice speaks",
};


/** The config file as the project names it, for alias places. */
function configName(config: ResolvedConfig): string {
  if (!config.configFile) return 'heygen.config.ts';
  const rel = config.configFile.startsWith(config.root) ? config.configFile.slice(config.root.length).replace(/^[\\/]+/, '') : config.configFile;
  return rel.replace(/\\/g, '/');
}

function toPlace(p: Place, config: ResolvedConfig): ProblemPlace {
  if (p.kind === 'manifest') return { file: p.file, path: p.path };
  return { file: configName(config), search: [p.table, p.name] };
}

function where(p: Place, config: ResolvedConfig): string {
  if (p.kind === 'alias') return `${configName(config)}: ${p.table}.${p.name}`;
  const path = p.path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  return `${p.file}: ${path}`;
}

/** Whether any scene a build would pay for could need the catalog. */
export function wantsCatalog(plan: Plan, specs: readonly VideoSpec[]): boolean {
  // Only videos made of scenes, and prompt videos that name a look or voice, name avatars and voices (a
  // template's come from HeyGen, a dub has none).
  const named = (s: VideoSpec): boolean => (s.prompt ? s.avatar !== undefined || s.voice !== undefined : !s.template && !s.dub && s.scenes.length > 0);
  const scened = new Set(specs.filter(named).map((s) => s.id));
  return plan.items.some((i) => i.kind === 'video' && PAID_ACTIONS.has(i.action) && scened.has(i.videoId));
}

/** The catalog's problems for this plan; with no catalog, the one-line note saying the checks were skipped. */
export function catalogProblems(
  plan: Plan,
  specs: readonly VideoSpec[],
  config: ResolvedConfig,
  catalog: Catalog | undefined,
  skipped: string | undefined,
): Problem[] {
  if (!catalog) {
    if (!skipped || !wantsCatalog(plan, specs)) return [];
    // With a key the fetch failed: the key is not what to fix.
    const hint = config.heygen.apiKey
      ? 'HeyGen could not be asked for the catalog: check the network, a proxy (HTTPS_PROXY) or HEYGEN_API_BASE_URL; the next plan or build that reaches HeyGen checks the ids'
      : 'set HEYGEN_API_KEY (the catalog is a free request), or run `heygen-build avatars` once with a key to cache it in .heygen/catalog.json';
    return [{ code: 'W_CATALOG_SKIPPED', message: skipped, hint, effect: 'warning', details: [skipped] }];
  }
  const groups = new Map<string, Finding[]>();
  for (const f of catalogFindings(plan, specs, catalog, config)) {
    const k = `${f.code}|${f.effect}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  return [...groups.values()].map((fs) => {
    const { code, effect } = fs[0] as Finding;
    const details = fs.map((f) => `${where(f.place, config)}: ${f.message}`);
    return {
      code,
      message: `${TITLES[code]}:\n  - ${details.join('\n  - ')}`,
      ...(effect === 'note' ? {} : { hint: ERROR_CODES[code] }),
      effect,
      details,
      places: fs.map((f) => toPlace(f.place, config)),
    };
  });
}
