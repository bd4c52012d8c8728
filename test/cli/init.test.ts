/**
 * `heygen-build init`: what a new project gets, that it works as written (the sample validates with the
 * package installed, the editor finds the schema), that nothing existing is overwritten, and that the
 * workflow is a valid GitHub Actions workflow doing what it says.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { cli } from './run.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function emptyDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hb-init-'));
  dirs.push(d);
  return d;
}

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

describe('init', () => {
  it('writes a config, a sample manifest, editor settings, a .gitignore entry and a workflow, and says so', async () => {
    const dir = emptyDir();
    const r = await cli(['init', '-C', dir]);
    expect(r.code).toBe(0);
    for (const f of ['heygen.config.ts', 'videos/welcome.yaml', '.vscode/settings.json', '.gitignore', '.github/workflows/heygen-build.yml']) {
      expect(r.stdout).toMatch(new RegExp(`^created\\s+${f.replace(/\./g, '\\.')}$`, 'm'));
    }
    // The starter config's videos (out/) stay out of git too, as the starter workflow keeps them (artifacts).
    expect(read(dir, '.gitignore')).toBe('.heygen/\n# rendered videos: the lockfile records them, and a build downloads a missing one again\nout/\n');
    const settings = JSON.parse(read(dir, '.vscode/settings.json')) as { 'yaml.schemas': Record<string, string[]> };
    expect(settings['yaml.schemas']).toEqual({ './node_modules/heygen-build/schema/video.schema.json': ['videos/**/*.yaml', 'videos/**/*.yml'] });
  });

  it('the sample validates once heygen-build is installed, and its modeline finds the schema from its folder', async () => {
    const dir = emptyDir();
    await cli(['init', '-C', dir]);
    // As `npm install --save-dev heygen-build` leaves it (this checkout standing in for the package).
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(REPO, join(dir, 'node_modules', 'heygen-build'), 'dir');
    const first = read(dir, 'videos/welcome.yaml').split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
    expect(m?.[1]).toBe('../node_modules/heygen-build/schema/video.schema.json');
    expect(existsSync(resolve(dir, 'videos', m![1]!))).toBe(true);
    // The settings' path is relative to the workspace (the project root): the same file.
    expect(resolve(dir, 'videos', m![1]!)).toBe(resolve(dir, Object.keys((JSON.parse(read(dir, '.vscode/settings.json')) as { 'yaml.schemas': object })['yaml.schemas'])[0]!));
    // The built CLI, as the user runs it (in-process, loading the .ts config would transpile all of src/).
    const v = await runCli(['validate'], { cwd: dir });
    expect(v.stderr).toBe('');
    expect(v.stdout).toBe('1 manifest valid.\n');
    expect(v.code).toBe(0);
    // A second manifest written .yml is a manifest too (as the editor settings and the default glob say), not silently skipped.
    writeFileSync(join(dir, 'videos', 'intro.yml'), 'avatar: presenter\nscenes:\n  - script: Hello again.\n');
    expect((await runCli(['validate'], { cwd: dir })).stdout).toBe('2 manifests valid.\n');
  });

  it('adds out/ to a .gitignore that ignores only .heygen/ when it writes the starter config, and only once', async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n/.heygen\n');
    const r = await cli(['init', '-C', dir]);
    expect(r.stdout).toMatch(/^updated \.gitignore \(added out\/\)$/m);
    expect(read(dir, '.gitignore')).toBe('node_modules/\n/.heygen\n# rendered videos: the lockfile records them, and a build downloads a missing one again\nout/\n');
    const again = await cli(['init', '-C', dir]);
    expect(again.stdout).toMatch(/^skipped \.gitignore \(already ignores \.heygen\/\)$/m);
    expect(read(dir, '.gitignore')).toBe('node_modules/\n/.heygen\n# rendered videos: the lockfile records them, and a build downloads a missing one again\nout/\n');
  });

  it('never overwrites: a second run and an existing project keep every file, and it says what it skipped', async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'heygen.config.mjs'), 'export default { manifests: ["v/*.yaml"] };\n');
    mkdirSync(join(dir, '.vscode'));
    writeFileSync(join(dir, '.vscode', 'settings.json'), '{ "editor.tabSize": 2 }\n');
    writeFileSync(join(dir, '.gitignore'), 'node_modules');
    const r = await cli(['init', '-C', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^skipped heygen\.config\.mjs \(exists\)$/m);
    expect(r.stdout).toMatch(/^skipped \.vscode\/settings\.json \(exists; to get the schema in manifests, add: "yaml\.schemas"/m);
    expect(r.stdout).toMatch(/^updated \.gitignore \(added \.heygen\/\)$/m);
    expect(existsSync(join(dir, 'heygen.config.ts'))).toBe(false); // one config is enough
    expect(read(dir, 'heygen.config.mjs')).toBe('export default { manifests: ["v/*.yaml"] };\n');
    expect(read(dir, '.vscode/settings.json')).toBe('{ "editor.tabSize": 2 }\n');
    expect(read(dir, '.gitignore')).toBe('node_modules\n.heygen/\n');

    writeFileSync(join(dir, 'videos', 'welcome.yaml'), 'title: mine\n');
    const again = await cli(['init', '-C', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/^(created|updated)/m);
    expect(again.stdout).toMatch(/^skipped videos\/welcome\.yaml \(exists\)$/m);
    expect(again.stdout).toMatch(/^skipped \.gitignore \(already ignores \.heygen\/\)$/m);
    expect(again.stdout).toMatch(/^skipped \.github\/workflows\/heygen-build\.yml \(exists\)$/m);
    // Settings init wrote itself map the schema already: nothing to add by hand.
    const fresh = emptyDir();
    expect((await cli(['init', '-C', fresh])).stdout).toMatch(/^created \.vscode\/settings\.json$/m);
    expect((await cli(['init', '-C', fresh])).stdout).toMatch(/^skipped \.vscode\/settings\.json \(exists\)$/m);
    expect(read(dir, 'videos/welcome.yaml')).toBe('title: mine\n');
    expect(read(dir, '.gitignore')).toBe('node_modules\n.heygen/\n');
  });
});

/**
 * SchemaStore's github-workflow.json (Apache-2.0). It is kept with the team's shared reference data, not
 * in this repository; GITHUB_WORKFLOW_SCHEMA points elsewhere, test/fixtures/github-workflow.json wins.
 */
const SCHEMA = [
  process.env.GITHUB_WORKFLOW_SCHEMA,
  join(REPO, 'test', 'fixtures', 'github-workflow.json'),
  resolve(REPO, '..', 'shared', 'reference', 'schemastore', 'github-workflow.json'),
  resolve(REPO, '..', '..', 'shared', 'reference', 'schemastore', 'github-workflow.json'),
].find((p): p is string => p !== undefined && existsSync(p));

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: { pull_request: unknown; push: { branches: string[] } };
  jobs: Record<string, { if: string; steps: Step[]; permissions?: Record<string, string> }>;
}

describe('the workflow init writes', () => {
  it.skipIf(!SCHEMA)('is valid against the GitHub Actions workflow schema', async () => {
    const dir = emptyDir();
    await cli(['init', '-C', dir]);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA!, 'utf8')) as object);
    const ok = validate(parse(read(dir, '.github/workflows/heygen-build.yml')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The check is real: a misspelt key fails it.
    expect(validate(parse(read(dir, '.github/workflows/heygen-build.yml').replace('runs-on:', 'run-on:')))).toBe(false);
  });

  it('validates and plans pull requests, builds main with the secret key and commits the lockfile back', async () => {
    const dir = emptyDir();
    await cli(['init', '-C', dir]);
    const wf = parse(read(dir, '.github/workflows/heygen-build.yml')) as Workflow;
    expect(wf.on.pull_request).toBeDefined();
    expect(wf.on.push.branches).toEqual(['main']);
    const check = Object.values(wf.jobs).find((j) => j.if.includes("== 'pull_request'"))!;
    // No --format: inside Actions validate prints annotations by itself.
    expect(check.steps.map((s) => s.run)).toEqual(expect.arrayContaining(['npx heygen-build validate', 'npx heygen-build plan --provider heygen']));
    expect(JSON.stringify(check)).not.toContain('secrets.');
    const build = Object.values(wf.jobs).find((j) => j.if.includes("!= 'pull_request'"))!;
    const buildStep = build.steps.find((s) => s.run?.startsWith('npx heygen-build build'))!;
    expect(buildStep.env).toEqual({ HEYGEN_API_KEY: '${{ secrets.HEYGEN_API_KEY }}' });
    const commit = build.steps.find((s) => s.run?.includes('git push'))!;
    expect(commit.if).toBe('always()');
    expect(commit.run).toMatch(/git add heygen\.lock\.yaml/);
    expect(commit.run).toMatch(/\[skip ci\]/);
    expect(build.permissions).toEqual({ contents: 'write' });
    // A first build refused before any render (a wrong key, over budget) leaves no lockfile: the step
    // ends quietly instead of failing on `git add` of a missing file (Actions runs `bash -e`).
    const repo = emptyDir();
    expect(spawnSync('git', ['init', '-q'], { cwd: repo }).status).toBe(0);
    const step = spawnSync('bash', ['-e', '-c', commit.run!], { cwd: repo, encoding: 'utf8' });
    expect(step.stderr).not.toContain('pathspec');
    expect(step.status).toBe(0);
  });
});
