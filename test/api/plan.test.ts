/**
 * `planProject()`: which provider a plan is for, what it reads, and how the build's checks show up
 * in a plan (warnings, or an error when the input itself is wrong).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemError } from '../../src/api/pipeline.js';
import { planProject } from '../../src/api/plan.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { emptyLockfile } from '../../src/model/lock.js';
import { projectFactory } from '../helpers/cli.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
};
`;
const INTRO = 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello and welcome to the product.\n';
const tour = (langs: string): string => `avatar: presenter\nbackground: "#223344"\nscenes:\n  - script: The dashboard shows it all.\ntranslations: [${langs}]\n`;
/** Fine for drafts; v3 has no avatar style. */
const CIRCLE = 'avatar: { alias: presenter, style: circle }\nbackground: "#334455"\nscenes:\n  - script: A round avatar.\n';
/** Voice emotion: the one thing v3 cannot express even scene by scene (a build refuses this video alone). */
const MOODY = 'avatar: presenter\nbackground: "#334455"\nvoice: { alias: narrator, emotion: Excited }\nscenes:\n  - script: So excited.\n';

const project = projectFactory(CONFIG);

describe('planProject', () => {
  it('plans free drafts without a key, and says so', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO, 'videos/circle.yaml': CIRCLE });
    const r = await planProject({ cwd: dir, env: {} });
    expect(r.provider).toBe('local');
    expect(r.notice).toMatch(/No HEYGEN_API_KEY: planning offline drafts/);
    expect(r.plan?.items.map((i) => i.output).sort()).toEqual(['out/circle.draft.mp4', 'out/intro.draft.mp4']);
    expect(r.plan?.totals.credits).toBe(0);
    // Drafts express every manifest: nothing to warn about.
    expect(r.warnings).toEqual([]);
    expect(r.lock.videos).toEqual({});
  });

  it('plans HeyGen renders against the lockfile with --provider heygen and no key', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO, 'videos/tour.yaml': tour('es') });
    const fresh = await planProject({ cwd: dir, env: {}, provider: 'heygen' });
    expect(fresh.provider).toBe('heygen');
    expect(fresh.notice).toBeUndefined();
    expect(fresh.plan?.items.map((i) => [i.id, i.action, i.output])).toEqual([
      ['intro', 'create', 'out/intro.mp4'],
      ['tour', 'create', 'out/tour.mp4'],
      ['tour@es', 'create', 'out/tour.es.mp4'],
    ]);
    expect(fresh.plan!.totals.credits).toBeGreaterThan(0);

    // What the lockfile records is what the plan starts from: a finished render whose file is gone.
    const intro = fresh.plan!.items[0]!;
    const lock = emptyLockfile();
    lock.videos.intro = { key: intro.key!, parts: {}, status: 'completed', attempt: 1, remoteId: 'v-1', api: 'v3', translations: {} };
    writeFileSync(join(dir, 'heygen.lock.yaml'), serializeLockfile(lock));
    const again = await planProject({ cwd: dir, env: {}, provider: 'heygen' });
    expect(again.lock.videos.intro?.remoteId).toBe('v-1');
    expect(again.plan?.items[0]).toMatchObject({ id: 'intro', action: 'download', estimate: { credits: 0 } });
  });

  it('plans against the lockfile in CI without a key, with a notice that a build needs the key', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO });
    const r = await planProject({ cwd: dir, env: { CI: 'true' } });
    expect(r.provider).toBe('heygen');
    expect(r.notice).toMatch(/CI=true and no HEYGEN_API_KEY/);
    expect(r.plan?.items[0]?.output).toBe('out/intro.mp4');
  });

  it('warns about what the API cannot express and about the budget, and still gives the plan', async () => {
    // A circle avatar renders scene by scene (laid out locally); voice emotion has no v3 field at all.
    const dir = project({ 'videos/intro.yaml': INTRO, 'videos/circle.yaml': CIRCLE, 'videos/moody.yaml': MOODY });
    const r = await planProject({ cwd: dir, env: {}, provider: 'heygen', overrides: { maxCredits: 0.1 } });
    expect(r.plan?.items).toHaveLength(3);
    // Not errors: the plan is given. Over budget a build refuses everything; the moody video alone
    // is refused at build time (a warning), and the rest of the build goes on.
    expect(r.problems.map((p) => [p.code, p.effect])).toEqual([
      ['E_BUDGET', 'refusal'],
      ['E_UNSUPPORTED', 'warning'],
      ['W_CATALOG_SKIPPED', 'warning'],
    ]);
    expect(r.warnings).toEqual([
      expect.stringMatching(/over the budget of 0.1: a build would refuse it/),
      expect.stringMatching(/^HeyGen API v3 cannot express moody: .*voice\.emotion/),
      'avatar and voice ids were not checked: no HEYGEN_API_KEY and no cached catalog (.heygen/catalog.json)',
    ]);
  });

  it('checks translation languages offline, at file:line:col, against the shipped list or the cached one', async () => {
    const dir = project({ 'videos/tour.yaml': tour('es, Frnch (France), klingon') });
    // No key, no list fetched yet: the list shipped with the package still catches both.
    const offline = await planProject({ cwd: dir, env: {}, provider: 'heygen' });
    expect(offline.plan).toBeUndefined();
    const langs = offline.diagnostics.filter((d) => d.code === 'E_LANGUAGE');
    const line5 = tour('es, Frnch (France), klingon').split('\n')[4]!;
    expect(langs.map((d) => [d.location?.file, d.location?.line, d.location?.column])).toEqual([
      ['videos/tour.yaml', 5, line5.indexOf('Frnch') + 1],
      ['videos/tour.yaml', 5, line5.indexOf('klingon') + 1],
    ]);
    expect(langs[0]?.message).toMatch(/translations\[1\]: "Frnch \(France\)" is not a translation language HeyGen lists; did you mean "French \(France\)"/);
    expect(langs[0]?.frame).toContain('^^^^^^^^^^^^^^');

    // A list fetched from HeyGen (kept in .heygen/) is the one checked once there is one.
    mkdirSync(join(dir, '.heygen'), { recursive: true });
    const languages = ['English', 'Spanish (Spain)', 'Frnch (France)', 'Klingon'];
    writeFileSync(join(dir, '.heygen', 'languages-v3.json'), JSON.stringify({ fetchedAt: Date.now(), languages }));
    const cached = await planProject({ cwd: dir, env: {}, provider: 'heygen' });
    expect(cached.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(cached.plan).toBeDefined();
  });

  it('places the E_LANGUAGE of a live-list check in the manifest', () => {
    const dir = project({ 'videos/tour.yaml': tour('es, { language: Frnch (France), mode: precision }') });
    const problem = { code: 'E_LANGUAGE', message: 'unknown translation language', effect: 'error', details: [], translation: { source: 'videos/tour.yaml', language: 'Frnch (France)' } } as const;
    const err = problemError({ ...problem, details: [] }, [], dir);
    const column = tour('es, { language: Frnch (France), mode: precision }').split('\n')[4]!.indexOf('Frnch') + 1;
    expect(err.location).toEqual({ file: 'videos/tour.yaml', line: 5, column, endLine: 5, endColumn: column + 'Frnch (France)'.length });
  });

  it('gives diagnostics and no plan for invalid manifests', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO, 'videos/bad.yaml': 'avatar: presenter\nscenes: nope\n' });
    const r = await planProject({ cwd: dir, env: {}, provider: 'heygen' });
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.location?.file.includes('bad.yaml'))).toBe(true);
    expect(r.warnings).toEqual([]);
  });
});
