/**
 * Voices `POST /v3/voices/speech` cannot use, found at plan time: the speech endpoint speaks with
 * Starfish voices only, and HeyGen refuses the others at the POST. A voice in HeyGen's catalog but not
 * among its Starfish voices is refused before anything is paid; an id in neither list (a voice only
 * this account sees) is left to HeyGen.
 */
import type { Plan } from '../../model/plan.js';
import { PAID_ACTIONS } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import { effectiveScene } from '../../model/spec.js';
import { sceneFacts } from '../../plan/derived.js';
import type { CatalogVoice, HeygenClient } from '../../providers/heygen/index.js';
import type { Problem } from '../provider.js';

/** What the catalog says about voices: every listed voice, and those Starfish speaks with. */
export interface SpeechVoices {
  all: readonly CatalogVoice[];
  starfish: readonly CatalogVoice[];
}

/** How many usable voices a refusal lists. */
const LISTED = 8;

/** Each voice a paid speech clip of the plan uses, with the first video that uses it. */
export function speechVoicesUsed(plan: Plan, specs: readonly VideoSpec[]): Map<string, string> {
  const paid = new Set(plan.items.filter((i) => i.kind === 'video' && (PAID_ACTIONS.has(i.action) || i.action === 'resume')).map((i) => i.videoId));
  const used = new Map<string, string>();
  for (const spec of specs) {
    if (!paid.has(spec.id)) continue;
    // From the planner's per-scene facts (cached with the manifest): no clip is hashed again here.
    sceneFacts(spec).forEach((f, i) => {
      const id = f.clip?.kind === 'speech' ? effectiveScene(spec, i).voice?.id : undefined;
      if (id !== undefined && !used.has(id)) used.set(id, spec.id);
    });
  }
  return used;
}

/** The catalog, when the plan pays for speech and the client can list voices; undefined otherwise. */
export async function speechVoices(plan: Plan, specs: readonly VideoSpec[], client: HeygenClient | undefined, signal?: AbortSignal): Promise<SpeechVoices | undefined> {
  if (!client?.listVoices || speechVoicesUsed(plan, specs).size === 0) return undefined;
  try {
    const [all, starfish] = await Promise.all([client.listVoices(undefined, signal), client.listVoices('starfish', signal)]);
    return { all, starfish };
  } catch {
    // The list is a courtesy: without it HeyGen still refuses the voice at the POST.
    return undefined;
  }
}

/** The problem naming every voice speech cannot use, and some it can. */
export function speechVoiceProblem(plan: Plan, specs: readonly VideoSpec[], voices: SpeechVoices | undefined): Problem | undefined {
  if (!voices) return undefined;
  const starfish = new Set(voices.starfish.map((v) => v.id));
  const listed = new Map(voices.all.map((v) => [v.id, v]));
  const bad = [...speechVoicesUsed(plan, specs)].filter(([id]) => listed.has(id) && !starfish.has(id));
  if (bad.length === 0) return undefined;
  const lines = bad.map(([id, video]) => `${video}: voice ${listed.get(id)!.name} (${id}) cannot speak through POST /v3/voices/speech (it is not a Starfish voice)`);
  const usable = voices.starfish.slice(0, LISTED).map((v) => `${v.name} (${v.id}${v.language ? `, ${v.language}` : ''})`);
  const more = voices.starfish.length > LISTED ? `, and ${voices.starfish.length - LISTED} more` : '';
  return {
    code: 'E_SPEECH_VOICE',
    message: `text to speech cannot use ${bad.length === 1 ? 'this voice' : 'these voices'}:\n  - ${lines.join('\n  - ')}`,
    hint: usable.length > 0 ? `use a Starfish voice, for example: ${usable.join('; ')}${more}` : 'use a voice listed by GET /v3/voices?engine=starfish',
    effect: 'error',
    details: lines,
  };
}
