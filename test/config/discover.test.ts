import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { discoverManifests, manifestPatterns, requireManifests, resolveConfig } from '../../src/config/index.js';
import { isHeygenBuildError } from '../../src/errors.js';
import { runCli, tempProject } from '../helpers/cli.js';

const CONFIG = `export default { manifests: ['videos/**/*.yaml'], avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: 'v1' } };\n`;

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('nothing to read', () => {
  it('requireManifests names every glob tried, and passes when a manifest was found', () => {
    const e = thrown(() => requireManifests([], ['videos/**/*.yaml', 'more/*.yml']));
    expect(isHeygenBuildError(e) && e.code).toBe('E_NO_MANIFESTS');
    expect((e as Error).message).toContain('videos/**/*.yaml, more/*.yml');
    expect(() => requireManifests(['/p/videos/a.yaml'], ['videos/**/*.yaml'])).not.toThrow();
  });

  it('-C naming a file is E_PATH_NOT_FOUND "not a folder", not an internal error', async () => {
    const dir = tempProject({ 'notes.txt': 'a file\n' });
    const r = await runCli(['-C', 'notes.txt', 'validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [E_PATH_NOT_FOUND] not a folder: notes.txt');
    expect(r.stderr).not.toContain('internal error');
  });

  it('in a folder with no config and no manifests, the hint points at `heygen-build init`', async () => {
    const dir = tempProject({});
    for (const cmd of ['validate', 'build']) {
      const r = await runCli([cmd], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('hint: no heygen.config.ts here either: `heygen-build init` starts a project');
    }
    // A config elsewhere (--config) is the project root: the globs are its folder's, and the message says so.
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf', 'alt.config.mjs'), CONFIG);
    mkdirSync(join(dir, 'videos'));
    writeFileSync(join(dir, 'videos', 'a.yaml'), 'avatar: presenter\nscenes:\n  - script: Hello.\n');
    const elsewhere = await runCli(['-c', 'conf/alt.config.mjs', 'validate'], { cwd: dir });
    expect(elsewhere.stderr).toContain("no manifests matched videos/**/*.yaml (relative to conf/, the config's folder)");
    expect((await runCli(['-C', dir, 'validate'], { cwd: tmpdir() })).stderr).not.toContain('relative to');
    // With a config the hint is about the globs alone.
    writeFileSync(join(dir, 'heygen.config.mjs'), CONFIG);
    expect((await runCli(['validate'], { cwd: dir })).stderr).not.toContain('heygen-build init');
  });

  it('a folder given on the command line is tried as <folder>/**/*.{yaml,yml}', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'docs/readme.md': '# not a manifest\n' });
    const config = resolveConfig({ manifests: ['videos/**/*.yaml'] }, { root: dir, env: {} });
    expect(manifestPatterns(config, ['docs'], dir)).toEqual(['docs/**/*.{yaml,yml}']);
    expect(await discoverManifests(config, ['docs'], dir)).toEqual([]);
  });

  it('validate and build fail with E_NO_MANIFESTS in every format; plan plans nothing, and warns', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG });
    mkdirSync(join(dir, 'docs'));
    const human = await runCli(['validate'], { cwd: dir });
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/E_NO_MANIFESTS.*no manifests matched videos\/\*\*\/\*\.yaml/);
    expect(human.stderr).toContain('hint:');
    expect(human.stdout).not.toContain('valid');

    const folder = await runCli(['validate', 'docs'], { cwd: dir });
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain('no manifests matched docs/**/*.{yaml,yml}');

    const glob = await runCli(['validate', 'vids/*.yaml', '--format', 'json'], { cwd: dir });
    expect(glob.code).toBe(1);
    const doc = JSON.parse(glob.stdout) as { diagnostics: { code: string; message: string }[] };
    expect(doc.diagnostics).toEqual([expect.objectContaining({ code: 'E_NO_MANIFESTS', message: 'no manifests matched vids/*.yaml' })]);

    // A typo in CI must not read as "No changes": the plan says what matched nothing, and why.
    const plan = await runCli(['plan'], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain('warning: no manifests matched videos/**/*.yaml\nhint: ');
    const planJson = await runCli(['plan', 'vids/*.yaml', '--json'], { cwd: dir });
    expect(planJson.code).toBe(0);
    expect((JSON.parse(planJson.stdout) as { warnings: string[] }).warnings).toEqual(['no manifests matched vids/*.yaml']);
    // A build fails, and shows no empty plan before the error that says why.
    const build = await runCli(['build', '--provider', 'local'], { cwd: dir });
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('E_NO_MANIFESTS');
    expect(build.stdout).not.toContain('Plan:');

    writeFileSync(join(dir, 'docs', 'a.yaml'), 'avatar: presenter\nscenes:\n  - script: Hello.\n');
    const ok = await runCli(['validate', 'docs'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('1 manifest valid');
  });
});
