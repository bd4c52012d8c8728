/**
 * The commands of the model-based build test: edits to the project, faults on the emulator, and
 * builds that finish, are interrupted (Ctrl-C) or "crash". Each checks the invariants after it runs.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Faults } from '../../src/emulator/index.js';
import {
  deleteManifest,
  FAIL_MESSAGE,
  lockPath,
  plantDeadBuildLock,
  readLockText,
  LANGUAGES,
  runBuild,
  type Moment,
  SCRIPTS,
  writeManifest,
  type ManifestModel,
  type Model,
  type Real,
} from './harness.js';
import { checkConverged, checkInvariants } from './invariants.js';

type Cmd = fc.AsyncCommand<Model, Real>;
const SLOTS = 6;

const pickId = (m: Readonly<Model>, pick: number): string => [...m.manifests.keys()].sort()[pick % m.manifests.size]!;

export const manifestArb: fc.Arbitrary<ManifestModel> = fc.record({
  script: fc.integer({ min: 0, max: SCRIPTS.length - 1 }),
  caption: fc.boolean(),
  translations: fc.subarray(LANGUAGES.map((_, i) => i)),
});

const describe = (c: ManifestModel): string =>
  `script ${c.script}${c.caption ? ' +caption' : ''}${c.translations.length ? ` [${c.translations.map((i) => LANGUAGES[i]).join(',')}]` : ''}`;

class Edit implements Cmd {
  constructor(
    readonly pick: number,
    readonly to: ManifestModel,
  ) {}
  check = (m: Readonly<Model>): boolean => m.manifests.size > 0;
  async run(m: Model, r: Real): Promise<void> {
    const id = pickId(m, this.pick);
    m.manifests.set(id, structuredClone(this.to));
    writeManifest(r, id, this.to);
    checkInvariants(r);
  }
  toString = (): string => `Edit(#${this.pick} -> ${describe(this.to)})`;
}

class Add implements Cmd {
  constructor(
    readonly slot: number,
    readonly content: ManifestModel,
  ) {}
  check = (m: Readonly<Model>): boolean => !m.manifests.has(`v${this.slot}`);
  async run(m: Model, r: Real): Promise<void> {
    m.manifests.set(`v${this.slot}`, structuredClone(this.content));
    writeManifest(r, `v${this.slot}`, this.content);
    checkInvariants(r);
  }
  toString = (): string => `Add(v${this.slot}: ${describe(this.content)})`;
}

class Delete implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>): boolean => m.manifests.size > 0;
  async run(m: Model, r: Real): Promise<void> {
    const id = pickId(m, this.pick);
    m.manifests.delete(id);
    deleteManifest(r, id);
    checkInvariants(r);
  }
  toString = (): string => `Delete(#${this.pick})`;
}

class SetFault implements Cmd {
  constructor(readonly fault: Faults) {}
  check = (): boolean => true;
  async run(_m: Model, r: Real): Promise<void> {
    // The emulator counts faults down in place: give it a copy so a replayed command starts afresh.
    for (const [name, value] of Object.entries(this.fault) as [keyof Faults, Faults[keyof Faults]][]) {
      (r.emu.faults as Record<string, unknown>)[name] = typeof value === 'object' ? { ...value } : value;
    }
  }
  toString = (): string => `SetFault(${fc.stringify(this.fault)})`;
}

/** A build left to finish. Unless a render was failed on purpose it ends ok, with everything on disk. */
class Build implements Cmd {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const empty = nothingToBuild(m, r);
    const run = await runBuild(r);
    if (empty) {
      // No manifest and nothing recorded to prune: a wrong path or glob, said as such.
      expect(run.error).toMatchObject({ code: 'E_NO_MANIFESTS' });
      checkInvariants(r);
      return;
    }
    expect(run.error).toBeUndefined();
    expect(run.result!.interrupted).toBe(false);
    checkInvariants(r);
    if (run.result!.ok) checkConverged(m, r);
    else expect(run.events.some((e) => e.type === 'failed' && e.message.includes(FAIL_MESSAGE))).toBe(true);
  }
  toString = (): string => 'Build';
}

/** No manifest is left and the lockfile records no video: a build has nothing to do or prune. */
export function nothingToBuild(m: Readonly<Model>, r: Real): boolean {
  if (m.manifests.size > 0) return false;
  const file = join(r.dir, 'heygen.lock.yaml');
  return !existsSync(file) || Object.keys(parseLockfile(readFileSync(file, 'utf8'), 'heygen.lock.yaml').videos).length === 0;
}

const moment = (at: Moment): string => ('ms' in at ? `${at.ms} ms` : `save #${at.save}`);

/** Ctrl-C during a build: it stops submitting, records what is in flight, and returns. */
class CtrlC implements Cmd {
  constructor(readonly at: Moment) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const empty = nothingToBuild(m, r);
    const run = await runBuild(r, { abortAt: this.at });
    if (run.error !== undefined && !empty) expect(inspect(run.error), 'only an interruption may end a Ctrl-C build with an error').toMatch(/interrupt|abort/i);
    checkInvariants(r);
  }
  toString = (): string => `CtrlC(${moment(this.at)})`;
}

/**
 * A process killed during a build: the lockfile as it was at that moment (Ctrl-C at the same
 * instant, so nothing is sent after it), and the dead process's build lock left behind.
 */
class Crash implements Cmd {
  constructor(readonly at: Moment) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const empty = nothingToBuild(m, r);
    let snapshot: string | undefined;
    let taken = false;
    const run = await runBuild(r, {
      abortAt: this.at,
      onAbort: () => {
        snapshot = readLockText(r);
        taken = true;
      },
    });
    if (empty && run.error !== undefined && !/interrupt|abort/i.test(inspect(run.error))) {
      // Nothing to build or prune: refused before anything could be killed.
      expect(run.error).toMatchObject({ code: 'E_NO_MANIFESTS' });
      return checkInvariants(r);
    }
    if (run.error !== undefined) expect(inspect(run.error)).toMatch(/interrupt|abort/i);
    expect(taken).toBe(true);
    // The writes after the moment of death never happened.
    if (snapshot === undefined) rmSync(lockPath(r), { force: true });
    else writeFileSync(lockPath(r), snapshot);
    plantDeadBuildLock(r);
    checkInvariants(r);
  }
  toString = (): string => `Crash(${moment(this.at)})`;
}

const count = fc.integer({ min: 1, max: 2 });
const POST_VIDEOS = /^\/v3\/videos$/;
const POST_TRANSLATIONS = /^\/v3\/video-translations$/;

export const faultArb: fc.Arbitrary<Faults> = fc.oneof(
  fc.record({ count, retryAfter: fc.constantFrom(0, 1) }).map((rateLimit) => ({ rateLimit })),
  fc.record({ count, status: fc.constantFrom(500 as const, 502 as const, 503 as const) }).map((serverError) => ({ serverError })),
  fc
    .record({ count, paths: fc.constantFrom(POST_VIDEOS, POST_TRANSLATIONS) })
    .map(({ count: n, paths }) => ({ dropConnection: { count: n, afterProcessing: true, paths } })),
  count.map((n) => ({ failRender: { count: n, code: 'model_fault', message: FAIL_MESSAGE } })),
  count.map((n) => ({ failTranslation: { count: n, message: FAIL_MESSAGE } })),
  fc.oneof(fc.constant<true>(true), count).map((expireUrls) => ({ expireUrls })),
  count.map((n) => ({ truncate: { count: n } })),
  fc
    .record({ count, ms: fc.integer({ min: 50, max: 400 }), paths: fc.constantFrom(undefined, POST_VIDEOS, POST_TRANSLATIONS) })
    .map(({ count: n, ms, paths }) => ({ slow: paths ? { count: n, ms, paths } : { count: n, ms } })),
);

const momentArb: fc.Arbitrary<Moment> = fc.oneof(
  fc.integer({ min: 0, max: 300 }).map((ms) => ({ ms })),
  fc.integer({ min: 1, max: 16 }).map((save) => ({ save })),
);

export const commandsArb = fc
  .commands<Model, Real, false>(
    [
      fc.tuple(fc.nat(), manifestArb).map(([pick, to]) => new Edit(pick, to)),
      fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), manifestArb).map(([slot, c]) => new Add(slot, c)),
      fc.nat().map((pick) => new Delete(pick)),
      faultArb.map((f) => new SetFault(f)),
      fc.constant(null).map(() => new Build()),
      momentArb.map((at) => new CtrlC(at)),
      momentArb.map((at) => new Crash(at)),
    ],
    { maxCommands: 8 },
  )
  .filter((cmds) => [...cmds].length >= 3);
