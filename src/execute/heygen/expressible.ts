/**
 * What the chosen HeyGen API version cannot express, for the videos and translations a build would pay
 * for. `plan` shows these as warnings; a HeyGen `build` refuses before the first request.
 */
import type { ApiVersion } from '../../model/config.js';
import { PAID_ACTIONS, type Plan } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
// Not the providers/heygen barrel: that loads the HTTP client, which `plan` never needs.
import { hasOverlays } from '../../model/spec.js';
import { formatProblem } from '../../providers/heygen/map-common.js';
import { v2Problems, v2TranslationProblems } from '../../providers/heygen/map-v2.js';
import { v3SceneIssues } from '../../providers/heygen/map-v3.js';

/** Messages for planned items the configured API version cannot render; empty when all can be submitted. */
export function apiProblems(plan: Plan, specs: readonly VideoSpec[], api: ApiVersion): string[] {
  const byId = new Map(specs.map((s) => [s.id, s]));
  const problems: string[] = [];
  for (const item of plan.items) {
    if (!PAID_ACTIONS.has(item.action)) continue;
    const spec = byId.get(item.videoId);
    if (!spec) continue;
    if (item.kind === 'video' && spec.prompt) {
      if (api === 'v2') problems.push(`${spec.id}: prompt videos are written by Video Agent, which only HeyGen v3 serves (POST /v3/video-agents)`);
    } else if (item.kind === 'video') {
      problems.push(...(api === 'v3' ? v3Messages(spec) : v2Problems(spec)));
      // The legacy API renders whole videos at HeyGen, with nothing laid on top here: never drop overlays silently.
      if (api === 'v2' && hasOverlays(spec)) problems.push(`${spec.id}: text overlays are composed over scene clips, which only HeyGen v3 renders`);
    } else if (api === 'v2') {
      const t = spec.translations.find((x) => x.language === item.language);
      if (t) problems.push(...v2TranslationProblems(t).map((p) => `${item.id}: ${p}`));
    }
  }
  return problems;
}

/*
 * Per spec, computed once: `plan` and `build` run these checks twice (before and after the facts),
 * over every video to render: 10,000 specs cost ~0.1 s a pass.
 */
const v3Memo = new WeakMap<VideoSpec, readonly string[]>();

function v3Messages(spec: VideoSpec): readonly string[] {
  let m = v3Memo.get(spec);
  if (!m) {
    m = v3SceneIssues(spec).map((p) => formatProblem(spec.id, p));
    v3Memo.set(spec, m);
  }
  return m;
}

/** The fix-it hint for unsupported features, per API version. */
export const UNSUPPORTED_HINT = {
  v3: 'remove what each warning names (voice emotion: HeyGen v3 has no such setting); a HeyGen build refuses only those videos and builds the rest, and drafts are unaffected',
  v2: "use heygen: { api: 'v3' } (the default) for these features, or change the manifests",
} as const;
