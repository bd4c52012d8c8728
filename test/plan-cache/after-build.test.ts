/**
 * The build keeps the next plan's snapshot (src/plan-cache/after-build.ts): after a build, the first
 * `plan` prints from the snapshot exactly what a full plan prints, and whatever changes after (or
 * during) the build is seen. In process: the build is what it leaves (a lockfile, outputs) followed
 * by its last step, as `heygen-build build` runs it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { planWithSnapshot } from '../../src/plan-cache/index.js';
import { keepPlanAfterBuild } from '../../src/plan-cache/after-build.js';
import { SNAPSHOT_FILE } from '../../src/plan-cache/snapshot.js';
import { runPlanFull } from '../../src/cli/plan-full.js';
import type { PlanFlags } from '../../src/cli/plan.js';
import { planProject } from '../../src/api/plan.js';
import { videoKey } from '../../src/hash/index.js';
import { emptyLockfile, type Lockfile } from '../../src/model/lock.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { REPO, tempProject } from '../helpers/cli.js';
import { usePlainPlanEnv } from './plain-env.js';

const CONFIG = `export default { manifests: ['videos/**/*.yaml'], avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: 'abc123def456' } };\n`;
const PNG = readFileSync(join(REPO, 'examples', 'assets', 'tour-bg.png'));
const IDS = ['a', 'b', 'c'] as const;

function manifest(script: string, image: boolean): string {
  const bg = image ? `    background:\n      image: ../assets/bg.png\n` : '';
  return `avatar: presenter\nscenes:\n  - script: ${script}\n${bg}`;
}

function project(): string {
  return tempProject({
    'heygen.config.mjs': CONFIG,
    ...Object.fromEntries(IDS.map((id, i) => [`videos/${id}.yaml`, manifest(`Hello from video ${id}.`, i === 1)])),
    'assets/bg.png': PNG,
  });
}

let moments = 0;

/**
 * Writes in place (the same inode, its folder untouched: only the file's own stamp can show the
 * change) and gives it an mtime of its own, so a stamp tells it from the old one even within the
 * clock's granularity (the tests move the clock on to keep snapshots of files written a moment ago,
 * which turns off the racy rule that covers that).
 */
function put(file: string, content: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  const t = new Date(Date.UTC(2020, 0, 1) + ++moments * 1000);
  utimesSync(file, t, t);
}

const later = (): number => Date.now() + 60_000;

interface Run {
  code: number;
  out: string;
  err: string;
  hit: boolean;
}

/** `heygen-build plan` in this process, through the snapshot or (`snapshot: false`) in full. */
async function plan(dir: string, flags: Partial<PlanFlags> = {}): Promise<Run> {
  let out = '';
  let err = '';
  let hit = true;
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  const opts: PlanFlags = { provider: 'heygen', snapshot: true, ...flags, cwd: dir };
  try {
    const code =
      opts.snapshot === false
        ? (await runPlanFull([], opts)).code
        : await planWithSnapshot({
            cwd: dir,
            request: { paths: [], opts },
            run: () => runPlanFull([], opts),
            now: later,
            onMiss: (w) => {
              if (!w.startsWith('not kept')) hit = false;
            },
          });
    return { code, out, err, hit };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** What a build's last step does; `during` runs inside its plan (a file changed while it runs). */
async function buildEnd(dir: string, during?: () => void): Promise<{ why: string | undefined; printed: string }> {
  let printed = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((printed += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((printed += String(c)), true));
  try {
    const why = await keepPlanAfterBuild({
      cwd: dir,
      run: async (paths, flags) => {
        const r = await runPlanFull(paths, flags);
        during?.();
        return r;
      },
      now: during ? Date.now : later,
      settle: () => Promise.resolve(),
    });
    return { why, printed };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** What a HeyGen build of `ids` leaves: their lockfile entries completed and their outputs on disk. */
async function built(dir: string, ids: readonly string[], lock: Lockfile = emptyLockfile()): Promise<Lockfile> {
  const { specs } = await planProject({ cwd: dir, env: {}, provider: 'heygen' });
  for (const spec of specs.filter((s) => ids.includes(s.id))) {
    const { key, parts } = videoKey(spec);
    lock.videos[spec.id] = { key, parts, status: 'completed', api: 'v3', attempt: 1, remoteId: `r-${spec.id}`, translations: {}, output: { path: spec.output, sha256: '0'.repeat(64), size: 0 } };
    put(join(dir, spec.output), '');
  }
  put(join(dir, 'heygen.lock.yaml'), serializeLockfile(lock));
  return lock;
}

/** The next plan is a hit, and prints what a full plan prints. */
async function expectHitAsFull(dir: string, flags: Partial<PlanFlags> = {}): Promise<Run> {
  const r = await plan(dir, flags);
  expect(r.hit).toBe(true);
  const full = await plan(dir, { ...flags, snapshot: false });
  expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: full.code, out: full.out, err: full.err });
  return r;
}

usePlainPlanEnv();

describe('the plan after a build', () => {
  it('is a hit printing what a full plan prints, for the flags the last plan was run with', async () => {
    for (const flags of [{}, { json: true, detailedExitcode: true }]) {
      const dir = project();
      await plan(dir, flags);
      expect((await plan(dir, flags)).hit).toBe(true);
      await built(dir, IDS);
      // The build, with the key it needed (the last plan saw it empty): the step prints nothing.
      vi.stubEnv('HEYGEN_API_KEY', 'hg_build_key_1');
      expect(await buildEnd(dir)).toEqual({ why: undefined, printed: '' });
      expect(process.env.HEYGEN_API_KEY).toBe('hg_build_key_1');
      vi.stubEnv('HEYGEN_API_KEY', '');
      expect(readFileSync(join(dir, SNAPSHOT_FILE), 'utf8')).not.toContain('hg_build_key_1');
      const r = await expectHitAsFull(dir, flags);
      expect(r.out).toMatch(/3 unchanged|"action": "unchanged"/);
    }
  });

  it('is not a hit for a plan asked otherwise (other flags, or with the key the build had)', async () => {
    const dir = project();
    await plan(dir);
    await built(dir, IDS);
    vi.stubEnv('HEYGEN_API_KEY', 'hg_build_key_2');
    await buildEnd(dir);
    expect((await plan(dir, { provider: 'local' })).hit).toBe(false);
    // With a key a plan is never kept: it plans in full every time.
    expect((await plan(dir)).hit).toBe(false);
  });

  it('keeps nothing where nobody plans, from another folder, or when the environment differs from the last plan', async () => {
    const dir = project();
    await built(dir, ['a']);
    expect((await buildEnd(dir)).why).toMatch(/no snapshot/);
    vi.stubEnv('FORCE_COLOR', '0');
    await plan(dir);
    await plan(dir);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await buildEnd(dir)).why).toMatch(/another folder/);
    } finally {
      process.chdir(cwd);
    }
    // The last plan saw FORCE_COLOR with a value: another one cannot be undone for it.
    vi.stubEnv('FORCE_COLOR', '1');
    expect((await buildEnd(dir)).why).toMatch(/FORCE_COLOR is not what the last plan saw/);
  });

  it('leaves the snapshot as it was after a build that changed nothing, or one that prints elsewhere than the plan did', async () => {
    const dir = project();
    await plan(dir);
    expect((await plan(dir)).hit).toBe(true);
    const file = join(dir, SNAPSHOT_FILE);
    // Every snapshot written has a salt of its own: the same text is the same file, not rewritten.
    const before = readFileSync(file, 'utf8');
    expect(await buildEnd(dir)).toEqual({ why: undefined, printed: '' });
    expect(readFileSync(file, 'utf8')).toBe(before);
    await built(dir, IDS);
    const columns = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
    Object.defineProperty(process.stdout, 'columns', { value: 123, configurable: true });
    try {
      expect((await buildEnd(dir)).why).toMatch(/does not print where the last plan printed/);
    } finally {
      if (columns) Object.defineProperty(process.stdout, 'columns', columns);
      else delete (process.stdout as { columns?: number }).columns;
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await plan(dir)).hit).toBe(false);
  });

  it('sees what changed during the build, and keeps nothing changed during its own plan', async () => {
    const dir = project();
    await plan(dir);
    await built(dir, IDS);
    // Edited while HeyGen rendered: the plan the build keeps has it as changed.
    put(join(dir, 'videos', 'b.yaml'), manifest('Hello again from video b.', true));
    await buildEnd(dir);
    expect((await expectHitAsFull(dir)).out).toMatch(/update\s+b/);
    await built(dir, IDS);
    const { why } = await buildEnd(dir, () => put(join(dir, 'videos', 'c.yaml'), manifest('Edited during the plan.', false)));
    expect(why).toMatch(/not kept: .*(during the plan|just before)/);
    const r = await plan(dir);
    expect(r.hit).toBe(false);
    expect(r.out).toMatch(/update\s+c/);
  });

  it('is the full plan after any sequence of edits, builds and flags (property)', async () => {
    type Cmd =
      | { t: 'edit'; id: number; n: number }
      | { t: 'asset' }
      | { t: 'config'; voice: number }
      | { t: 'build'; ids: boolean[]; key: boolean }
      | { t: 'entry'; id: number; how: 'key' | 'failed' | 'gone' }
      | { t: 'output'; id: number; how: 'rm' | 'write' }
      | { t: 'env' }
      | { t: 'plan'; flags: number };
    const FLAGS: Partial<PlanFlags>[] = [{}, { json: true, detailedExitcode: true }, { all: true }];
    const cmd: fc.Arbitrary<Cmd> = fc.oneof(
      fc.record({ t: fc.constant('edit' as const), id: fc.nat(2), n: fc.nat(9) }),
      fc.record({ t: fc.constant('asset' as const) }),
      fc.record({ t: fc.constant('config' as const), voice: fc.nat(2) }),
      fc.record({ t: fc.constant('build' as const), ids: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), key: fc.boolean() }),
      fc.record({ t: fc.constant('entry' as const), id: fc.nat(2), how: fc.constantFrom('key' as const, 'failed' as const, 'gone' as const) }),
      fc.record({ t: fc.constant('output' as const), id: fc.nat(2), how: fc.constantFrom('rm' as const, 'write' as const) }),
      fc.record({ t: fc.constant('env' as const) }),
      fc.record({ t: fc.constant('plan' as const), flags: fc.nat(2) }),
    );
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 2, maxLength: 6 }), fc.nat(2), async (cmds, first) => {
        const dir = project();
        let flags = FLAGS[first]!;
        let lock = emptyLockfile();
        let grown = 0;
        try {
          await plan(dir, flags);
          for (const c of cmds) {
            let changed = true;
            let kept = false;
            if (c.t === 'edit') put(join(dir, 'videos', `${IDS[c.id]}.yaml`), manifest(`Edit ${c.n} of ${IDS[c.id]}.`, c.id === 1));
            else if (c.t === 'asset') put(join(dir, 'assets', 'bg.png'), Buffer.concat([PNG, Buffer.alloc(++grown)]));
            else if (c.t === 'config') {
              // Another voice (new keys) and another budget (a warning when over it).
              put(join(dir, 'heygen.config.mjs'), CONFIG.replace('abc123def456', `abc123def45${c.voice}`).replace('voices:', `budget: { maxCredits: ${c.voice / 10} }, voices:`));
            }
            else if (c.t === 'build') {
              lock = await built(dir, IDS.filter((_, i) => c.ids[i]), lock);
              if (c.key) vi.stubEnv('HEYGEN_API_KEY', 'hg_property_key');
              kept = (await buildEnd(dir)).why === undefined;
              vi.stubEnv('HEYGEN_API_KEY', '');
            } else if (c.t === 'entry') {
              const id = IDS[c.id]!;
              const entry = lock.videos[id];
              if (c.how === 'gone' || !entry) delete lock.videos[id];
              else if (c.how === 'key') lock.videos[id] = { ...entry, key: `${entry.key.slice(0, -4)}beef` };
              else lock.videos[id] = { ...entry, status: 'failed', error: { code: 'render_failed', message: 'no' } };
              put(join(dir, 'heygen.lock.yaml'), serializeLockfile(lock));
            } else if (c.t === 'output') {
              const out = join(dir, 'out', `${IDS[c.id]}.mp4`);
              if (c.how === 'rm') {
                changed = existsSync(out);
                rmSync(out, { force: true });
              }
              else put(out, 'x'.repeat(++grown));
            } else if (c.t === 'env') {
              // Read only where it picks the format (not with --json): seen by the output, not always a miss.
              vi.stubEnv('GITHUB_ACTIONS', process.env.GITHUB_ACTIONS === 'true' ? '' : 'true');
              changed = false;
            }
            else {
              changed = FLAGS[c.flags] !== flags;
              flags = FLAGS[c.flags]!;
            }
            const r = await plan(dir, flags);
            if (r.hit) hits++;
            // A change is seen (under vitest a config is not imported again: its edit shows only as this miss).
            if (c.t === 'build' && kept) expect(r.hit, 'the build kept the snapshot').toBe(true);
            else if (c.t !== 'build' && changed) expect(r.hit, `a miss after ${c.t}`).toBe(false);
            const full = await plan(dir, { ...flags, snapshot: false });
            expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: full.code, out: full.out, err: full.err });
          }
        } finally {
          vi.stubEnv('GITHUB_ACTIONS', '');
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 15 },
    );
    // The property checked hits, not only plans in full.
    expect(hits).toBeGreaterThan(0);
  }, 120_000);
});
