/**
 * The pipeline under plan, build and watch, driven through a fake Provider that counts its calls:
 * state read once, the pure checks before any I/O they might need, facts handed to the second check.
 */
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { planWith, replaceSet } from '../../src/api/pipeline.js';
import type { Project } from '../../src/api/project.js';
import { resolveConfig } from '../../src/config/load.js';
import type { Facts, Problem, Provider, ProviderState, StateMode } from '../../src/execute/provider.js';
import { contentKey, videoParts } from '../../src/hash/index.js';
import { emptyLockfile, type Lockfile } from '../../src/model/lock.js';
import type { Plan } from '../../src/model/plan.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { PLAN_ENGINE } from '../../src/plan/plan.js';
import { makeSpec } from '../helpers/specs.js';

const specs = [makeSpec('intro'), makeSpec('tour', { translations: [{ language: 'es', mode: 'speed', captions: false, audioOnly: false }] })];

function project(over: Partial<Project> = {}): Project {
  const config = resolveConfig({}, { root: tmpdir(), env: {} });
  const timings = { discover: 0 } as Project['timings'];
  return { config, files: [], specs, diagnostics: [], timings, cacheHits: 0, partial: false, ...over };
}

/** `intro` rendered and on disk: the planner must see this state to call it unchanged. */
function recordedIntro(): { lock: Lockfile; outputs: Map<string, number> } {
  const spec = specs[0]!;
  const lock = emptyLockfile();
  lock.videos.intro = {
    key: contentKey(spec),
    parts: videoParts(spec),
    status: 'completed',
    attempt: 1,
    remoteId: 'r1',
    output: { path: spec.output, size: 10, sha256: 'x' },
    translations: {},
  };
  return { lock, outputs: new Map([[spec.output, 10]]) };
}

const problem = (code: Problem['code'], stopsPlan = false): Problem => ({ code, message: code, effect: stopsPlan ? 'error' : 'refusal', details: [code] });

/** A provider whose checks are `rule`; every call is logged in order. */
class FakeProvider implements Provider {
  readonly name = 'heygen';
  readonly journals = false;
  readonly planOptions = { engine: PLAN_ENGINE };
  readonly log: string[] = [];
  readonly checked: Facts[] = [];
  constructor(
    private readonly rule: (plan: Plan, facts: Facts) => Problem[],
    private readonly found: Facts = { remainingCredits: 3 },
  ) {}
  readState(_specs: readonly VideoSpec[], mode: StateMode): Promise<ProviderState> {
    this.log.push(`readState:${mode}`);
    return Promise.resolve(recordedIntro());
  }
  facts(_plan: Plan, mode: StateMode): Promise<Facts> {
    this.log.push(`facts:${mode}`);
    return Promise.resolve(this.found);
  }
  check(plan: Plan, _specs: readonly VideoSpec[], facts: Facts): Problem[] {
    this.log.push('check');
    this.checked.push(facts);
    return this.rule(plan, facts);
  }
  execute(): never {
    throw new Error('planWith must not execute');
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('planWith', () => {
  it('reads state once and plans against it, reporting the plan before the checks that cost I/O', async () => {
    const p = new FakeProvider(() => []);
    const seen: string[] = [];
    const planned = await planWith(p, project(), { mode: 'build', onPlan: () => seen.push(`onPlan after ${p.log.join(',')}`) });
    expect(p.log).toEqual(['readState:build', 'check', 'facts:build', 'check']);
    expect(seen).toEqual(['onPlan after readState:build']);
    const actions = Object.fromEntries(planned.plan.items.map((i) => [i.id, i.action]));
    expect(actions).toEqual({ intro: 'unchanged', tour: 'create', 'tour@es': 'create' });
    expect(planned.problems).toEqual([]);
    expect(planned.state.lock.videos.intro?.remoteId).toBe('r1');
  });

  it('in a build, skips the facts when a pure check already refuses (an over-budget build costs no request)', async () => {
    const p = new FakeProvider((_plan, facts) => [problem('E_BUDGET'), ...(facts.remainingCredits !== undefined ? [problem('E_HEYGEN_CREDITS')] : [])]);
    const planned = await planWith(p, project(), { mode: 'build' });
    expect(p.log).toEqual(['readState:build', 'check']);
    expect(planned.problems.map((x) => x.code)).toEqual(['E_BUDGET']);
    expect(planned.facts).toEqual({});
  });

  it('in a plan, still gathers facts after a failed pure check, so every warning shows at once', async () => {
    const p = new FakeProvider((_plan, facts) => [problem('E_BUDGET'), ...(facts.remainingCredits !== undefined ? [problem('E_HEYGEN_CREDITS')] : [])]);
    const planned = await planWith(p, project(), { mode: 'plan' });
    expect(p.log).toEqual(['readState:plan', 'check', 'facts:plan', 'check']);
    expect(planned.problems.map((x) => x.code)).toEqual(['E_BUDGET', 'E_HEYGEN_CREDITS']);
  });

  it('hands the facts to the second check and returns them for execution', async () => {
    const p = new FakeProvider((plan, facts) => (facts.remainingCredits !== undefined && facts.remainingCredits < plan.totals.credits ? [problem('E_HEYGEN_CREDITS')] : []), {
      remainingCredits: 0,
      languages: ['Spanish (Spain)'],
    });
    const planned = await planWith(p, project(), { mode: 'build' });
    expect(p.checked).toEqual([{}, { remainingCredits: 0, languages: ['Spanish (Spain)'] }]);
    expect(planned.problems.map((x) => x.code)).toEqual(['E_HEYGEN_CREDITS']);
    expect(planned.facts.languages).toEqual(['Spanish (Spain)']);
  });

  it('plans an unchanged video again with --replace, and checks the ids before reading any state', async () => {
    const p = new FakeProvider(() => []);
    const planned = await planWith(p, project(), { mode: 'plan', replace: ['intro'] });
    expect(planned.plan.items.find((i) => i.id === 'intro')?.action).toBe('update');
    const q = new FakeProvider(() => []);
    await expect(planWith(q, project(), { mode: 'plan', replace: ['intr'] })).rejects.toMatchObject({ code: 'E_REPLACE_UNKNOWN' });
    expect(q.log).toEqual([]);
  });

  it('leaves lockfile entries of unread manifests alone when only some manifests were read', async () => {
    const p = new FakeProvider(() => []);
    const only = project({ specs: [specs[1]!], partial: true });
    expect((await planWith(p, only, { mode: 'plan' })).plan.items.some((i) => i.action === 'orphan')).toBe(false);
    const all = project({ specs: [specs[1]!], partial: false });
    expect((await planWith(p, all, { mode: 'plan' })).plan.items.find((i) => i.id === 'intro')?.action).toBe('orphan');
  });
});

describe('replaceSet', () => {
  it('accepts video ids and <id>@<language> for translations', () => {
    expect(replaceSet(['intro', 'tour@es'], specs)).toEqual(new Set(['intro', 'tour@es']));
    expect(replaceSet(undefined, specs).size).toBe(0);
  });

  it('rejects an id no manifest declares, naming it and the closest one', () => {
    const err = (() => {
      try {
        replaceSet(['intro', 'tuor@es'], specs);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toMatchObject({ code: 'E_REPLACE_UNKNOWN', hint: expect.stringContaining('<id>@<language>') });
    expect((err as Error).message).toMatch(/tuor@es.*did you mean "tour@es"/);
  });

  it('a path after --replace (which takes every word after it) gets a hint to put the paths first', () => {
    expect(() => replaceSet(['intro', 'videos/intro.yaml'], specs)).toThrow(
      expect.objectContaining({ code: 'E_REPLACE_UNKNOWN', hint: expect.stringContaining('--replace takes every word after it, so videos/intro.yaml was read as a video id: put the paths first') as string }) as Error,
    );
  });

  it('rejects a translation the video does not have', () => {
    expect(() => replaceSet(['intro@es'], specs)).toThrow(/intro@es/);
  });
});
