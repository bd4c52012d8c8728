/**
 * Video Agent styles for the plan: a prompt video's `style:` must be one of `GET /v3/video-agents/styles`
 * (free), or the session is refused. The list is cached a day in `.heygen/video-agent-styles.json`;
 * without a key (a pull-request job) the copy is used, of any age, or the check is skipped: the paid POST
 * would be refused before anything is spent anyway, so a missing list never costs credits.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES } from '../../errors.js';
import { writeFileAtomic } from '../../fsx/atomic.js';
import type { VideoAgentStyle } from '../../model/catalog.js';
import type { ResolvedConfig } from '../../model/config.js';
import { PAID_ACTIONS, type Plan } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { HeygenClient } from '../../providers/heygen/index.js';
import { DAY_MS } from '../../providers/heygen/languages.js';
import type { Problem } from '../provider.js';
import { namesOf, suggest } from './catalog-checks.js';

interface StylesFile {
  fetchedAt: number;
  styles: VideoAgentStyle[];
}

/** Where the list is cached. */
export function stylesCachePath(root: string): string {
  return join(root, '.heygen', 'video-agent-styles.json');
}

/** Prompt videos the plan would pay for that name a style. */
function styled(plan: Plan, specs: readonly VideoSpec[]): VideoSpec[] {
  const paid = new Set(plan.items.filter((i) => i.kind === 'video' && PAID_ACTIONS.has(i.action)).map((i) => i.videoId));
  return specs.filter((s) => s.prompt?.style !== undefined && paid.has(s.id));
}

/** Whether the plan pays for a prompt video with a `style:`, i.e. whether the style list is needed. */
export function wantsStyles(plan: Plan, specs: readonly VideoSpec[]): boolean {
  return styled(plan, specs).length > 0;
}

async function readCache(root: string): Promise<StylesFile | undefined> {
  try {
    const f = JSON.parse(await readFile(stylesCachePath(root), 'utf8')) as Partial<StylesFile>;
    return typeof f.fetchedAt === 'number' && Array.isArray(f.styles) ? { fetchedAt: f.fetchedAt, styles: f.styles } : undefined;
  } catch {
    return undefined; // no copy, or a damaged one: fetched again (or unknown offline)
  }
}

async function remember(root: string, styles: VideoAgentStyle[]): Promise<void> {
  try {
    await mkdir(join(root, '.heygen'), { recursive: true });
    await writeFileAtomic(stylesCachePath(root), `${JSON.stringify({ fetchedAt: Date.now(), styles } satisfies StylesFile)}\n`);
  } catch {
    // A read-only checkout or a full disk: no copy for the next run without a key, nothing else lost.
  }
}

/**
 * The style list: a fresh copy as is; else fetched with a key (and kept); else, or when HeyGen cannot be
 * asked, the copy of any age, or undefined (the check is skipped).
 */
export async function styleList(
  config: ResolvedConfig,
  client: HeygenClient | undefined,
  opts: { refresh?: boolean; signal?: AbortSignal } = {},
): Promise<readonly VideoAgentStyle[] | undefined> {
  const { signal } = opts;
  const copy = await readCache(config.root);
  const age = copy ? Date.now() - copy.fetchedAt : Infinity;
  if (copy && age >= 0 && age < DAY_MS && !opts.refresh) return copy.styles;
  const list = client?.listVideoAgentStyles?.bind(client);
  if (list) {
    try {
      const styles = await list(signal);
      await remember(config.root, styles);
      return styles;
    } catch {
      // Offline or refused: the copy, if any; HeyGen refuses an unknown style before charging anyway.
    }
  }
  return copy?.styles;
}

/** Prompt videos whose style is not one of Video Agent's, placed at their `style:` with a did-you-mean. */
export function styleProblems(plan: Plan, specs: readonly VideoSpec[], styles: readonly VideoAgentStyle[] | undefined): Problem[] {
  if (!styles) return [];
  const bad = styled(plan, specs).filter((s) => !styles.some((style) => style.id === s.prompt!.style));
  if (bad.length === 0) return [];
  const byKey = namesOf(styles);
  const details = bad.map((spec) => {
    const asked = spec.prompt!.style!;
    const near = suggest(asked, byKey);
    return `${spec.source}: style: "${asked}" is not a Video Agent style${near}`;
  });
  return [
    {
      code: 'E_UNKNOWN_AGENT_STYLE',
      message: `unknown Video Agent style:\n  - ${details.join('\n  - ')}`,
      hint: ERROR_CODES.E_UNKNOWN_AGENT_STYLE,
      effect: 'error',
      details,
      places: bad.map((spec) => ({ file: spec.source, path: ['style'] })),
    },
  ];
}
