/**
 * What a newcomer meets first, through the built CLI: the flag they guess (`validate --json`), a video id
 * given where a manifest path goes, a config that does not parse, and a config error that must not offer
 * HeyGen's legacy v2 API as the fix; `version` as terraform spells it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectFactory, runCli } from '../helpers/cli.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
};
`;
const GOOD = 'avatar: presenter\nscenes:\n  - script: Hello.\n';
const BAD = 'avatar: presenter\nscenes:\n  - scirpt: Hello.\n';

const project = projectFactory(CONFIG);

describe('validate --json', () => {
  it('prints the JSON document on stdout alone, as --format json does', async () => {
    const dir = project({ 'videos/a.yaml': GOOD, 'videos/bad.yaml': BAD });
    const r = await runCli(['validate', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { format_version: number; error: { code: string }; diagnostics: { code: string; file: string; line: number }[] };
    expect(doc.format_version).toBe(1);
    expect(doc.error.code).toBe('E_INVALID_MANIFESTS');
    expect(doc.diagnostics).toEqual([expect.objectContaining({ code: 'E_UNKNOWN_KEY', file: 'videos/bad.yaml', line: 3 })]);
    expect(r.stdout).toBe((await runCli(['validate', '--format', 'json'], { cwd: dir })).stdout);

    const ok = await runCli(['validate', '--json', 'videos/a.yaml'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ error: null, diagnostics: [] });
  });

  it('is refused together with --format, before anything runs', async () => {
    const dir = project({ 'videos/a.yaml': GOOD });
    const r = await runCli(['validate', '--json', '--format', 'human'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("option '--json' cannot be used with option '--format <format>'");
  });
});

describe('a video id where a manifest path goes', () => {
  it('names the manifest of that id, from the project root and from the manifests folder', async () => {
    const dir = project({ 'videos/welcome.yaml': GOOD });
    for (const cmd of ['plan', 'build']) {
      const r = await runCli([cmd, 'welcome'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error [E_PATH_NOT_FOUND] no such file or folder: welcome; did you mean "videos/welcome.yaml"?');
      expect(r.stderr).toContain('not video ids: the manifest of video "welcome" is videos/welcome.yaml');
    }
    const inside = await runCli(['validate', 'welcome'], { cwd: `${dir}/videos` });
    expect(inside.code).toBe(1);
    expect(inside.stderr).toContain('did you mean "welcome.yaml"?');
  });
});

describe('config errors', () => {
  it('places a syntax error in the config as fields of --json, with a hint at the place, not "above"', async () => {
    // A comma missing at the end of line 2: the parser stops at the start of line 3.
    const dir = project({ 'videos/a.yaml': GOOD });
    const broken = `export default {\n  manifests: ['videos/**/*.yaml']\n  outDir: 'out',\n};\n`;
    rmSync(`${dir}/heygen.config.mjs`);
    writeFileSync(`${dir}/heygen.config.ts`, broken);
    const r = await runCli(['plan', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: { code: string; file?: string; line?: number; column?: number; hint: string } };
    expect(doc.error).toMatchObject({ code: 'E_CONFIG_LOAD', file: 'heygen.config.ts', line: 3, column: 2 });
    expect(doc.error.hint).toContain('heygen.config.ts:3:2 or just before it');
    expect(r.stderr).toContain('error [E_CONFIG_LOAD] could not load heygen.config.ts:3:2:');
    expect(r.stderr).not.toContain('above');
  });

  it('asks for v3 when heygen.api is wrong, never offering the legacy v2 API', async () => {
    const dir = project({ 'videos/a.yaml': GOOD });
    writeFileSync(`${dir}/heygen.config.mjs`, CONFIG.replace("manifests: ['videos/**/*.yaml'],", "manifests: ['videos/**/*.yaml'],\n  heygen: { api: 'v4' },"));
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`heygen.config.mjs:3:13: heygen.api must be 'v3', the default (got "v4"): leave it out`);
    expect(r.stderr).not.toMatch(/v2/);
  });
});

describe('build --replace without a key', () => {
  it('renders the draft again, as its plan line says, instead of copying it from the draft cache', async () => {
    const dir = project({ 'videos/welcome.yaml': GOOD });
    const first = await runCli(['build'], { cwd: dir });
    expect(first.code).toBe(0);
    const again = await runCli(['build', '--replace', 'welcome'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('replacement requested (--replace): rendered again as a new attempt');
    expect(again.stdout).toContain('rendering welcome draft');
    expect(again.stdout).toMatch(/Build complete: 1 rendered, 0 unchanged, 0 failed/);
    const json = await runCli(['build', '--replace', 'welcome', '--json'], { cwd: dir });
    const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; cached?: boolean });
    expect(events.find((e) => e.type === 'downloaded')).toMatchObject({ cached: false });
  }, 60_000);
});

describe('version', () => {
  it('prints what --version prints, as `terraform version` does', async () => {
    const dir = project({ 'videos/a.yaml': GOOD });
    const r = await runCli(['version'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(r.stdout).toBe((await runCli(['--version'], { cwd: dir })).stdout);
  });
});
