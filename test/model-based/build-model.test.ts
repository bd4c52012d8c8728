/**
 * Model-based test of the HeyGen build state machine against the emulator (RELIABILITY.md item 13):
 * random edits, faults (429, 5xx, lost answers, failed renders and translations, expired URLs,
 * truncated downloads, latency), builds, Ctrl-Cs and crashes. After every step each (content key,
 * attempt) exists at most once on the server and the lockfile names no id the server does not know;
 * after a final fault-free build every video is rendered, on disk and recorded, and one more build
 * pays for nothing.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandsArb, manifestArb, nothingToBuild } from './commands.js';
import { runBuild, setup, teardown } from './harness.js';
import { checkConverged, checkInvariants } from './invariants.js';
import { spyOnJournal } from './journal.js';

beforeAll(() => spyOnJournal());

describe('build state machine (model-based, emulator)', () => {
  it('never creates a key twice, never records an unknown id, and always converges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          renderMs: fc.integer({ min: 60, max: 150 }),
          concurrency: fc.constantFrom(1, 2, 4),
          initial: fc.array(manifestArb, { minLength: 1, maxLength: 3 }),
        }),
        commandsArb,
        async (start, cmds) => {
          const { model, real } = await setup(start);
          try {
            await fc.asyncModelRun(() => ({ model, real }), cmds);

            for (const name of Object.keys(real.emu.faults)) delete (real.emu.faults as Record<string, unknown>)[name];
            // A render failed on purpose before the faults were cleared may still be in flight: the
            // first build sees it fail, the next retries it as a new attempt.
            let ok = false;
            for (let i = 0; i < 3 && !ok; i++) {
              if (nothingToBuild(model, real)) {
                // Every manifest deleted and every entry pruned: nothing to converge, and `build` says so.
                expect((await runBuild(real)).error).toMatchObject({ code: 'E_NO_MANIFESTS' });
                ok = true;
                break;
              }
              const run = await runBuild(real);
              expect(run.error).toBeUndefined();
              checkInvariants(real);
              ok = run.result!.ok;
            }
            expect(ok, 'fault-free builds converge').toBe(true);
            checkConverged(model, real);

            real.emu.reset();
            if (nothingToBuild(model, real)) return;
            const again = await runBuild(real);
            expect(again.result?.ok).toBe(true);
            expect(again.result?.counts.done).toBe(0);
            expect(real.emu.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
          } finally {
            await teardown(real);
          }
        },
      ),
      // MODEL_RUNS=200 for a deeper local search; MODEL_SEED (and MODEL_PATH) replay a reported failure.
      {
        numRuns: Number(process.env.MODEL_RUNS ?? 12),
        ...(process.env.MODEL_SEED ? { seed: Number(process.env.MODEL_SEED), path: process.env.MODEL_PATH } : {}),
      },
    );
  }, 120_000);
});
