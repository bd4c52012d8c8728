/** `heygen-build validate`, in-process: exit codes and the three output formats. */
import { describe, expect, it } from 'vitest';
import { projectFactory } from '../helpers/cli.js';
import { cli } from './run.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
};
`;
const GOOD = 'avatar: presenter\nscenes:\n  - script: Hello.\n';
const BAD = 'avatar: presenter\nscenes:\n  - script: Hello.\n    colour: red\n';

const project = projectFactory(CONFIG);

describe('validate', () => {
  it('exits 0 and counts the valid manifests', async () => {
    const dir = project({ 'videos/a.yaml': GOOD, 'videos/b.yaml': GOOD });
    const r = await cli(['validate', '-C', dir]);
    expect(r).toMatchObject({ code: 0, stdout: '2 manifests valid.\n', stderr: '' });
  });

  it('exits 1 and points at file:line:col in every format', async () => {
    const dir = project({ 'videos/a.yaml': GOOD, 'videos/bad.yaml': BAD });
    const human = await cli(['validate', '-C', dir]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/videos\/bad\.yaml:4:\d+ .*E_\w+/);
    expect(human.stdout).not.toContain('valid.');

    const json = await cli(['validate', '-C', dir, '--format', 'json']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { version: number; diagnostics: { file: string; line: number; code: string; severity: string }[] };
    expect(doc.version).toBe(1);
    expect(doc.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'videos/bad.yaml', line: 4, code: expect.stringMatching(/^E_/) })]);

    const gh = await cli(['validate', '-C', dir, '--format', 'github']);
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=videos\/bad\.yaml,line=4,col=\d+,endLine=4,endColumn=\d+,title=E_\w+::/);
  });

  it('checks translation languages offline, without a key: an unknown one at file:line:col with a suggestion', async () => {
    const dir = project({ 'videos/a.yaml': `${GOOD}translations: [es, klingon, Germn (Germany)]\n` });
    const r = await cli(['validate', '-C', dir], { HEYGEN_API_KEY: undefined });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/videos\/a\.yaml:4:20 .*E_LANGUAGE.*"klingon" is not a translation language HeyGen lists/);
    expect(r.stdout).toMatch(/videos\/a\.yaml:4:29 .*E_LANGUAGE.*did you mean "German \(Germany\)"/);
  });

  it('reports a broken config as a finding to machine formats too, and exits 1', async () => {
    const dir = project({ 'videos/a.yaml': GOOD, 'heygen.config.mjs': 'export default { manifests: 42 };\n' });
    const r = await cli(['validate', '-C', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string }[] };
    expect(doc.diagnostics).toHaveLength(1);
    expect(r.stderr).toContain(`[${doc.diagnostics[0]!.code}]`);
  });

  it('fails with E_NO_MANIFESTS, naming the globs tried, when no manifest matched', async () => {
    const dir = project({});
    const r = await cli(['validate', '-C', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/E_NO_MANIFESTS.*no manifests matched videos\/\*\*\/\*\.yaml/);
  });

  it('plan refuses --json with --format (one would be ignored), naming both', async () => {
    const r = await cli(['plan', '--json', '--format', 'human']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("option '--json' cannot be used with option '--format <format>'");
  });

  it('exits 1 on an unknown option, 0 for --version', async () => {
    expect((await cli(['validate', '--nope'])).code).toBe(1);
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
