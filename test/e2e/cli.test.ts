/**
 * The built CLI on fixture projects, as a user runs it: validate in three formats, plan and its exit
 * codes, the main job (offline drafts of examples/), provider choice in CI, and errors without stack traces.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { loadConfig } from '../../src/config/index.js';
import { openProject } from '../../src/api/project.js';
import { videoKey } from '../../src/hash/index.js';
import { planTemplate } from '../../src/plan/template.js';
import { emptyLockfile } from '../../src/model/lock.js';
import { REPO, runCli, tempProject } from '../helpers/cli.js';

/** A copy of the repository's own video project (config, examples, schema) in a temp folder. */
function examplesProject(): string {
  const dir = tempProject({});
  for (const p of ['examples', 'schema', 'heygen.config.ts']) {
    cpSync(join(REPO, p), join(dir, p), { recursive: true });
  }
  // The config imports 'heygen-build'; resolve it to this checkout.
  writeFileSync(join(dir, 'heygen.config.ts'), readFileSync(join(dir, 'heygen.config.ts'), 'utf8').replace("from 'heygen-build'", `from '${join(REPO, 'dist', 'index.js')}'`));
  return dir;
}

const ERRORS = join(REPO, 'test', 'fixtures', 'manifests', 'errors');
const errorsConfig = `export default { manifests: ['videos/**/*.yaml'], avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: 'v1' } };\n`;

function errorsProject(): string {
  const dir = tempProject({ 'heygen.config.mjs': errorsConfig });
  cpSync(ERRORS, join(dir, 'videos'), { recursive: true });
  return dir;
}

describe('validate', () => {
  it('exits 0 on the examples', async () => {
    const r = await runCli(['validate'], { cwd: REPO });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('9 manifests valid');
  });

  it('reports every error of every file at file:line:col, in human, json and github formats, without a stack', async () => {
    const dir = errorsProject();
    const human = await runCli(['validate'], { cwd: dir });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/videos\/alias\.yaml:2:9 .*E_UNKNOWN_ALIAS/);
    expect(human.stdout).toMatch(/did you mean "presenter"/);
    expect(human.stdout).toMatch(/videos\/conflict\.yaml:\d+:\d+ .*E_MERGE_CONFLICT/);
    expect(human.stdout).toMatch(/videos\/dimension\.yaml:\d+:\d+ .*E_DIMENSION/);
    expect(human.stdout).toMatch(/E_DUPLICATE_ID/);
    expect(human.stdout).toMatch(/\n\s*\d+ \|/); // a code frame
    expect(human.stdout + human.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);

    const json = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { diagnostics: { code: string; file: string; line: number; column: number }[] };
    const files = new Set(doc.diagnostics.map((d) => d.file));
    expect(files.size).toBeGreaterThanOrEqual(10);
    expect(doc.diagnostics.find((d) => d.code === 'E_UNKNOWN_ALIAS')).toMatchObject({ file: 'videos/alias.yaml', line: 2, column: 9 });

    const gh = await runCli(['validate', '--format', 'github'], { cwd: dir });
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=videos\/alias\.yaml,line=2,col=9,endLine=2,endColumn=\d+,title=E_UNKNOWN_ALIAS::/m);
  });
});

describe('plan', () => {
  it('shows every example as create on a clean checkout, and one edited script as update with the reason', async () => {
    const dir = examplesProject();
    const r = await runCli(['plan', '--provider', 'heygen', '--detailed-exitcode'], { cwd: dir });
    expect(r.code).toBe(2);
    for (const id of ['launch-prompt', 'welcome', 'welcome-template', 'photo-avatar', 'product-tour', 'onboarding', 'onboarding@es', 'onboarding@fr-FR', 'podcast-intro', 'webinar-dub@es', 'webinar-dub@fr']) {
      expect(r.stdout).toMatch(new RegExp(`\\+ create\\s+${id.replace(/[@-]/g, '\\$&')}\\s`));
    }
    // welcome-rows.yaml: one video per row of customers.csv, grouped.
    expect(r.stdout).toContain('welcome-rows/* (3 rows): 3 create');
    expect(r.stdout).toMatch(/Plan: 14 to create/);

    // Record every example as rendered, as a finished build would.
    const config = await loadConfig({ cwd: dir, env: {} });
    const project = await openProject({ cwd: dir }, config);
    const lock = emptyLockfile();
    for (const spec of project.specs) {
      // A template video is keyed as the planner keys it without a definition (no key, nothing cached).
      const { key, parts } = spec.template ? planTemplate(spec, undefined, undefined) : videoKey(spec);
      lock.videos[spec.id] = { key, parts, status: 'completed', api: 'v3', attempt: 1, remoteId: `r-${spec.id}`, translations: {}, output: { path: spec.output, sha256: 'a'.repeat(64), size: 5 } };
    }
    writeFileSync(join(dir, 'heygen.lock.yaml'), serializeLockfile(lock));
    mkdirSync(join(dir, 'out'), { recursive: true });
    for (const spec of project.specs) {
      mkdirSync(join(dir, spec.output, '..'), { recursive: true });
      writeFileSync(join(dir, spec.output), '12345');
    }

    const welcome = join(dir, 'examples', 'welcome.yaml');
    writeFileSync(welcome, readFileSync(welcome, 'utf8').replace(/script: (>-\n\s+)?(\w+)/, (m, fold: string | undefined, w: string) => `script: ${fold ?? ''}Edited ${w}`));
    const json = await runCli(['plan', '--provider', 'heygen', '--json', '--detailed-exitcode'], { cwd: dir });
    expect(json.code).toBe(2);
    const plan = JSON.parse(json.stdout) as { items: { id: string; action: string; reasons: string[] }[] };
    const videos = plan.items.filter((i) => !i.id.includes('@'));
    expect(videos.map((i) => [i.id, i.action])).toEqual([
      ['launch-prompt', 'unchanged'],
      ['onboarding', 'unchanged'],
      ['photo-avatar', 'unchanged'],
      ['podcast-intro', 'unchanged'],
      ['product-tour', 'unchanged'],
      ['welcome', 'update'],
      ['welcome-rows/ac-101', 'unchanged'],
      ['welcome-rows/ac-102', 'unchanged'],
      ['welcome-rows/ac-103', 'unchanged'],
      ['welcome-template', 'unchanged'],
    ]);
    // What changed, then what it costs: on v3 a video is rendered scene by scene.
    const welcomeItem = videos.find((v) => v.id === 'welcome')!;
    expect(welcomeItem.reasons[0]).toBe('scenes[0].script');
    expect(welcomeItem.reasons[1]).toMatch(/^1 of \d+ scenes? to render/);
  });

  it('exits 0 with --detailed-exitcode when there is nothing to do, 1 on invalid manifests', async () => {
    const empty = tempProject({ 'heygen.config.mjs': `export default { manifests: ['videos/*.yaml'] };` });
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: empty })).code).toBe(0);
    const bad = errorsProject();
    const r = await runCli(['plan', '--detailed-exitcode', '--json'], { cwd: bad });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ format_version: 1, error: { code: 'E_INVALID_MANIFESTS' } });
  });

  it('prints from its snapshot byte for byte what a full plan prints, and plans in full after an edit', async () => {
    const dir = tempProject({
      'heygen.config.mjs': errorsConfig.replace("'v1'", "'abc123def456'"),
      'videos/a.yaml': 'avatar: presenter\nscenes:\n  - script: Hello from a.\n',
      'videos/b.yaml': 'avatar: presenter\nscenes:\n  - script: Hello from b.\n',
    });
    // With HEYGEN_DEBUG_SNAPSHOT a plan says on stderr why it did not use (or keep) the snapshot: silence is a hit.
    const env = { HEYGEN_DEBUG_SNAPSHOT: '1' };
    for (const args of [['plan', '--provider', 'heygen'], ['plan', '--provider', 'heygen', '--json', '--detailed-exitcode']]) {
      // The first plan may read files written a moment ago (not kept: stamp.ts), the second keeps, the third is a hit.
      await runCli(args, { cwd: dir, env });
      await runCli(args, { cwd: dir, env });
      const hit = await runCli(args, { cwd: dir, env });
      expect(hit.stderr).not.toContain('snapshot:');
      const full = await runCli([...args, '--no-snapshot'], { cwd: dir, env });
      expect({ code: hit.code, stdout: hit.stdout, stderr: hit.stderr }).toEqual({ code: full.code, stdout: full.stdout, stderr: full.stderr });
    }
    writeFileSync(join(dir, 'videos', 'b.yaml'), 'avatar: presenter\nscenes:\n  - script: Hello from B.\n');
    const args = ['plan', '--provider', 'heygen', '--json', '--detailed-exitcode'];
    const edited = await runCli(args, { cwd: dir, env });
    expect(edited.stderr).toContain('b.yaml changed');
    expect(JSON.parse(edited.stdout)).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ id: 'b', action: 'create' })]) });
    // That plan kept its own snapshot: the next one is a hit, with its output.
    const again = await runCli(args, { cwd: dir, env });
    expect(again.stderr).not.toContain('snapshot:');
    expect({ code: again.code, stdout: again.stdout }).toEqual({ code: edited.code, stdout: edited.stdout });
  });

  it('does not replay a snapshot another installation of the tool wrote', async () => {
    const dir = tempProject({
      'heygen.config.mjs': errorsConfig.replace("'v1'", "'abc123def456'"),
      'videos/a.yaml': 'avatar: presenter\nscenes:\n  - script: Hello from a.\n',
    });
    // A second installation: the same code at another path (a global install beside the project's own).
    const other = tempProject({});
    for (const p of ['package.json', 'bin', 'dist', 'schema', 'data']) cpSync(join(REPO, p), join(other, p), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(other, 'node_modules'));
    const env = { HEYGEN_DEBUG_SNAPSHOT: '1' };
    const args = ['plan', '--provider', 'heygen'];
    await runCli(args, { cwd: dir, env });
    await runCli(args, { cwd: dir, env });
    expect((await runCli(args, { cwd: dir, env })).stderr).not.toContain('snapshot:');
    // Its stamps are of the first installation's files: the other one plans in full, and so does the first after it.
    expect((await runCli(args, { cwd: dir, env, bin: join(other, 'bin', 'heygen-build.js') })).stderr).toContain('snapshot: the command line changed');
    expect((await runCli(args, { cwd: dir, env })).stderr).toContain('snapshot: the command line changed');
  });
});

describe('build without a key (the main job)', () => {
  it('renders every example as a draft offline, then renders nothing the second time', async () => {
    const dir = examplesProject();
    const r = await runCli(['build'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No HEYGEN_API_KEY: building offline drafts');
    const out = readdirSync(join(dir, 'out')).sort();
    expect(out).toEqual([
      'launch-prompt.draft.mp4',
      'launch-prompt.draft.srt',
      'onboarding.draft.mp4',
      'onboarding.draft.srt',
      'onboarding.es.draft.mp4',
      'onboarding.es.draft.srt',
      'onboarding.fr-FR.draft.mp4',
      'onboarding.fr-FR.draft.srt',
      'photo-avatar.draft.mp4',
      'podcast-intro.draft.mp3',
      'podcast-intro.draft.srt',
      'product-tour.draft.mp4',
      'webinar.es.draft.mp4',
      'webinar.fr.draft.mp4',
      'welcome-rows',
      'welcome-template.draft.mp4',
      'welcome-template.draft.srt',
      'welcome.draft.mp4',
    ]);
    expect(readdirSync(join(dir, 'out', 'welcome-rows')).sort()).toEqual(['ac-101.draft.mp4', 'ac-102.draft.mp4', 'ac-103.draft.mp4']);
    // Drafts are never recorded as real renders.
    expect(readdirSync(dir)).not.toContain('heygen.lock.yaml');
    const again = await runCli(['build'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 rendered, 14 unchanged');
    // A deleted sidecar comes back from the draft cache, with no render.
    rmSync(join(dir, 'out', 'onboarding.draft.srt'));
    const restore = await runCli(['build'], { cwd: dir });
    expect(restore.stdout).toMatch(/1 to download/);
    expect(readdirSync(join(dir, 'out'))).toContain('onboarding.draft.srt');
    expect(restore.stdout).toMatch(/Build complete: 0 rendered, 1 restored, 13 unchanged/);

    // Without a key, plan shows what a build would do: drafts, against the draft cache, not the lockfile.
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/Plan: 0 to create, 0 to update, 0 to resume, 0 to download, 14 unchanged/);
    expect(plan.stderr).toContain('No HEYGEN_API_KEY: planning offline drafts');
    const welcome = join(dir, 'examples', 'welcome.yaml');
    writeFileSync(welcome, readFileSync(welcome, 'utf8').replace(/script: (>-\n\s+)?(\w+)/, (m, fold: string | undefined, w: string) => `script: ${fold ?? ''}Edited ${w}`));
    const edited = await runCli(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(edited.code).toBe(2);
    expect(edited.stdout).toMatch(/\+ create\s+welcome\s.*\n\s+no draft of this content yet/);
    expect(edited.stdout).toMatch(/Plan: 1 to create, 0 to update, 0 to resume, 0 to download, 13 unchanged/);
    // Room for the first build's own 120 s (every example drafted with ffmpeg), not the 60 s default.
  }, 180_000);

  it('refuses to ship drafts from CI without a key, unless --provider local is given', async () => {
    const dir = tempProject({
      'heygen.config.mjs': `export default { manifests: ['videos/*.yaml'] };`,
      'videos/a.yaml': 'avatar: Daisy-inskirt-20220818\nvoice: 2d5b0e6cf36f460aa7fc47e3eee4ba54\nscenes:\n  - script: Hello.\n',
    });
    const r = await runCli(['build'], { cwd: dir, env: { CI: 'true' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E_CI_NO_API_KEY');
    expect(r.stderr).toContain('--provider local');
    const ok = await runCli(['build', '--provider', 'local'], { cwd: dir, env: { CI: 'true' } });
    expect(ok.code).toBe(0);
  });

  it('names a bad config setting without a stack trace', async () => {
    const dir = tempProject({ 'heygen.config.mjs': `export default { manifest: ['videos/*.yaml'] };` });
    const r = await runCli(['plan'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error \[E_CONFIG\].*heygen\.config\.mjs/);
    expect(r.stderr).toContain('did you mean "manifests"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
