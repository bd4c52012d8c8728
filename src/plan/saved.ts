/**
 * Saved plans (terraform's `plan -out` and `apply <plan>`): `plan --out plan.json` writes the `plan --json`
 * document, someone reviews what it will pay for, and `build --plan plan.json` builds only if it would do
 * nothing that document did not show. Concretely, every item the build acts on (anything but `unchanged`
 * and `orphan`) must be in the saved plan under the same id with the same content key; an item the build
 * would pay for (`create`, `update`) must have been a paid item there too (not a free resume, download or
 * restore that has since become a render); and a scene-by-scene video may render only clips the saved
 * plan rendered (by clip key). Less than the saved plan is fine (a video built since is `unchanged`); more,
 * or other content, is stale. The build also takes the saved plan's total as its budget, so an item priced
 * free that must be paid after all (a remote restore that fails) is refused like one over `--max-credits`.
 */
import { readFile } from 'node:fs/promises';
import { HeygenBuildError } from '../errors.js';
import { PAID_ACTIONS, type Action } from '../model/plan.js';

/** One item of a `plan --json` document, as far as a saved plan is compared. */
export interface SavedItem {
  id: string;
  action: string;
  key: string | null;
  scenes?: { index: number; key: string | null; action: string }[];
}

/** What a build checks its plan against: the `plan --json` document's items, provider and total price. */
export interface SavedPlan {
  /** As the user named the file (for messages). */
  display: string;
  provider: string;
  credits: number;
  items: SavedItem[];
}

const HINT = 'review the plan as it is now and save it again (`heygen-build plan --out <file>`), then build with it; or build without --plan';

function notAPlan(display: string, why: string): HeygenBuildError {
  return new HeygenBuildError('E_PLAN_FILE', `${display}: not a saved plan: ${why}`, {
    hint: 'write the file with `heygen-build plan --out <file>` (or `heygen-build plan --json > <file>`) and pass it to build --plan unchanged',
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function savedItem(v: unknown, display: string, at: number): SavedItem {
  if (!isObject(v) || typeof v.id !== 'string' || typeof v.action !== 'string' || !(typeof v.key === 'string' || v.key === null)) {
    throw notAPlan(display, `items[${at}] lacks its id, action or key`);
  }
  const scenes = Array.isArray(v.scenes)
    ? v.scenes.filter(isObject).map((s) => ({ index: Number(s.index), key: typeof s.key === 'string' ? s.key : null, action: String(s.action) }))
    : undefined;
  return { id: v.id, action: v.action, key: v.key, ...(scenes ? { scenes } : {}) };
}

/** Reads a saved plan (`path` absolute, `display` as the user gave it); E_PLAN_FILE when it cannot be one. */
export async function readSavedPlan(path: string, display: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw notAPlan(display, code === 'ENOENT' ? 'there is no such file' : `it cannot be read (${code})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw notAPlan(display, 'it is not JSON (a plan printed for people? save it with --out, or with --json)');
  }
  if (isObject(doc) && isObject(doc.error)) throw notAPlan(display, 'it is the error document of a plan that failed');
  if (!isObject(doc) || doc.format_version !== 1 || !Array.isArray(doc.items) || !isObject(doc.totals) || typeof doc.provider !== 'string') {
    throw notAPlan(display, 'it is not a `plan --json` document of format_version 1');
  }
  const credits = doc.totals.credits;
  if (typeof credits !== 'number' || !Number.isFinite(credits) || credits < 0) throw notAPlan(display, 'its totals.credits is not a price');
  return { display, provider: doc.provider, credits, items: doc.items.map((it, i) => savedItem(it, display, i)) };
}

const isPaid = (action: string): boolean => PAID_ACTIONS.has(action as Action);
const ACTS_NOT = new Set(['unchanged', 'orphan']);

/** Why `item` (of the plan as it is now) is not in `saved` as the build would act on it; none when it is. */
function itemDifferences(item: SavedItem, saved: SavedItem | undefined): string[] {
  if (ACTS_NOT.has(item.action)) return [];
  if (!saved) return [`${item.id}: ${item.action}, not in the saved plan`];
  if (saved.key !== item.key) return [`${item.id}: ${item.action} of other content than the saved plan's (key ${short(saved.key)} then, ${short(item.key)} now: its manifest or an input changed)`];
  if (isPaid(item.action) && !isPaid(saved.action)) return [`${item.id}: would be paid for now (${item.action}), the saved plan had it free (${saved.action})`];
  const rendered = new Set((saved.scenes ?? []).filter((s) => s.action === 'create').map((s) => s.key));
  return (item.scenes ?? [])
    .filter((s) => s.action === 'create' && !rendered.has(s.key))
    .map((s) => `${item.id}: scene ${s.index + 1} would be rendered (a new clip), the saved plan rendered no such clip`);
}

const short = (key: string | null): string => (key === null ? 'none' : key.slice(0, 12));

/**
 * Throws E_PLAN_STALE, listing every difference, when the plan as it is now (`now`: its `plan --json`
 * items, for `provider`) would do anything `saved` did not show, as described above.
 */
export function checkSavedPlan(saved: SavedPlan, provider: string, now: readonly SavedItem[]): void {
  const byId = new Map(saved.items.map((i) => [i.id, i]));
  const differences = provider === saved.provider ? now.flatMap((i) => itemDifferences(i, byId.get(i.id))) : [`the saved plan is for ${saved.provider}, this build for ${provider}`];
  if (differences.length === 0) return;
  const shown = differences.slice(0, 20);
  const more = differences.length - shown.length;
  throw new HeygenBuildError(
    'E_PLAN_STALE',
    `the plan changed since ${saved.display} was saved: nothing was built or sent\n  ${shown.join('\n  ')}${more > 0 ? `\n  … and ${more} more` : ''}`,
    { hint: HINT },
  );
}
