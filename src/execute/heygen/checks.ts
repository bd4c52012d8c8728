/**
 * The HeyGen checks, pure: the same for `plan` and `build`. A build refuses on any of them before the
 * first paid request; `plan` fails on unknown languages and shows the rest as warnings.
 */
import type { ResolvedConfig } from '../../model/config.js';
import type { Plan } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { Facts, Problem, RefusedUpload } from '../provider.js';
import { apiProblems, UNSUPPORTED_HINT } from './expressible.js';
import { checkLanguages } from './languages.js';

/** The problem when the plan's estimated credits exceed `--max-credits`, so nothing is submitted over budget. */
export function budgetProblem(plan: Plan, max: number | undefined): Problem | undefined {
  if (max === undefined || plan.totals.credits <= max) return undefined;
  const message = `the plan is estimated at ${plan.totals.credits} credits, over the budget of ${max}: nothing was submitted`;
  return {
    code: 'E_BUDGET',
    message,
    hint: 'raise --max-credits (or budget.maxCredits in heygen.config.ts), or build fewer videos by naming their manifests',
    effect: 'refusal',
    details: [`the plan is estimated at ${plan.totals.credits} credits, over the budget of ${max}: a build would refuse it`],
  };
}

/**
 * The problem when some planned videos cannot be expressed in the configured HeyGen API version, found before paying
 * for any.
 */
export function expressibleProblem(plan: Plan, specs: readonly VideoSpec[], config: ResolvedConfig): Problem | undefined {
  const api = config.heygen.api;
  const problems = apiProblems(plan, specs, api);
  if (problems.length === 0) return undefined;
  return {
    code: 'E_UNSUPPORTED',
    message: `HeyGen API ${api} cannot express:\n  - ${problems.join('\n  - ')}`,
    hint: UNSUPPORTED_HINT[api],
    // v3 renders scene by scene and refuses only the videos affected; the legacy v2 adapter, the build.
    effect: api === 'v3' ? 'warning' : 'refusal',
    details: problems.map((p) => `HeyGen API ${api} cannot express ${p}`),
  };
}

/** The problem when a planned translation names a language HeyGen does not offer; none when the list is unknown. */
export function languageProblem(plan: Plan, available: readonly string[] | undefined): Problem | undefined {
  if (!available) return undefined;
  const { problems, first } = checkLanguages(plan, available);
  if (problems.length === 0) return undefined;
  return {
    code: 'E_LANGUAGE',
    message: `unknown translation language:\n  - ${problems.join('\n  - ')}`,
    hint: "use a short code (es, fr-FR) or a name from HeyGen's language list",
    effect: 'error',
    details: problems,
    ...(first ? { translation: first } : {}),
  };
}

/** The problem when the account's remaining credits are known to be below the plan's estimate. */
export function creditsProblem(plan: Plan, remaining: number | undefined): Problem | undefined {
  if (remaining === undefined || plan.totals.credits <= 0 || remaining >= plan.totals.credits) return undefined;
  return {
    code: 'E_HEYGEN_CREDITS',
    message: `the plan needs about ${plan.totals.credits} credits and the account has ${remaining}: nothing was submitted`,
    hint: 'add credits to the HeyGen account, or build fewer videos',
    effect: 'refusal',
    details: [`the plan needs about ${plan.totals.credits} credits and the account has ${remaining}`],
  };
}

/** HeyGen ended v1/v2 on 2026-10-31: said once per plan or build, never a reason to stop. */
export function legacyApiProblem(config: ResolvedConfig): Problem | undefined {
  if (config.heygen.api !== 'v2') return undefined;
  const message = "heygen.api is 'v2': HeyGen ended support for its v1/v2 API on 2026-10-31, and v3 is the live API";
  return { code: 'W_LEGACY_API', message, hint: "remove heygen.api (v3 is the default), or set heygen: { api: 'v3' }", effect: 'warning', details: [message] };
}

/**
 * One warning per file a scene clip, template render or dub would upload that HeyGen would not take: a
 * build fails each video that uploads it (E_COMPOSE_ASSET, before anything of it is sent) and builds the others.
 */
export function uploadProblems(uploads: readonly RefusedUpload[] = []): Problem[] {
  return uploads.map((u) => ({ code: 'E_COMPOSE_ASSET', message: u.details.join('\n'), hint: u.hint, effect: 'warning', details: u.details }));
}

/** In the order a build reports them: the cheapest to know first. */
export function heygenProblems(plan: Plan, specs: readonly VideoSpec[], facts: Facts, config: ResolvedConfig): Problem[] {
  return [
    legacyApiProblem(config),
    budgetProblem(plan, config.budget.maxCredits),
    expressibleProblem(plan, specs, config),
    ...uploadProblems(facts.uploads),
    languageProblem(plan, facts.languages),
    creditsProblem(plan, facts.remainingCredits),
  ].filter((p): p is Problem => p !== undefined);
}
