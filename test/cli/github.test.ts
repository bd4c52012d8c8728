/**
 * GitHub Actions integration, in-process: annotations placed by the path from the repository root
 * (also with -C), with their end; the github format chosen inside Actions; plan warnings as annotations;
 * the plan as a Markdown table in the job summary.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
};
`;
const TYPO = 'title: Typo\navatar: presenter\nscenes:\n  - scirpt: Hello with a typo.\n';
const INTRO = 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello and welcome. This is the intro.\n';
const HEYGEN_ENV = { HEYGEN_API_KEY: 'sk-github-test', HEYGEN_API_BASE_URL: 'http://127.0.0.1:9', HEYGEN_UPLOAD_BASE_URL: 'http://127.0.0.1:9' };

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A git repository whose video project sits in `site/` (as in a monorepo); returns the project folder. */
function repoWithProject(files: Record<string, string>): { repo: string; project: string } {
  const repo = mkdtempSync(join(tmpdir(), 'hb-gh-'));
  dirs.push(repo);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  const project = join(repo, 'site');
  for (const [name, text] of Object.entries({ 'heygen.config.mjs': CONFIG, ...files })) {
    mkdirSync(dirname(join(project, name)), { recursive: true });
    writeFileSync(join(project, name), text);
  }
  return { repo, project };
}

describe('validate --format github', () => {
  it('annotates by the path from the repository root, with -C from elsewhere, and gives the end of the span', async () => {
    const { project } = repoWithProject({ 'videos/typo.yaml': TYPO });
    const r = await cli(['validate', '-C', project, '--format', 'github']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      '::error file=site/videos/typo.yaml,line=4,col=5,endLine=4,endColumn=11,title=E_UNKNOWN_KEY::' +
        'unknown key "scirpt" in scenes[0]; did you mean "script"?%0Ahint: known keys here: script, audio, silence, avatar, engine, voice, background, text, when\n',
    );
  });

  it('is the default inside GitHub Actions, and an explicit --format still wins', async () => {
    const { project } = repoWithProject({ 'videos/typo.yaml': TYPO });
    const auto = await cli(['validate', '-C', project], { GITHUB_ACTIONS: 'true' });
    expect(auto.stdout).toMatch(/^::error file=site\/videos\/typo\.yaml,line=4,/);
    const human = await cli(['validate', '-C', project, '--format', 'human'], { GITHUB_ACTIONS: 'true' });
    expect(human.stdout).toMatch(/^videos\/typo\.yaml:4:5 error E_UNKNOWN_KEY/m);
    expect(human.stdout).not.toContain('::error');
  });

  it('outside a git repository, paths stay relative to the project', async () => {
    const project = mkdtempSync(join(tmpdir(), 'hb-nogit-'));
    dirs.push(project);
    mkdirSync(join(project, 'videos'));
    writeFileSync(join(project, 'heygen.config.mjs'), CONFIG);
    writeFileSync(join(project, 'videos', 'typo.yaml'), TYPO);
    const r = await cli(['validate', '-C', project, '--format', 'github'], { GIT_CEILING_DIRECTORIES: tmpdir() });
    expect(r.stdout).toMatch(/^::error file=videos\/typo\.yaml,line=4,/);
  });
});

describe('plan in GitHub Actions', () => {
  it('turns plan warnings into ::warning annotations on stdout', async () => {
    const { project } = repoWithProject({ 'videos/intro.yaml': INTRO });
    const r = await cli(['plan', '-C', project, '--provider', 'heygen', '--max-credits', '0.01'], { ...HEYGEN_ENV, GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^::warning title=heygen-build plan::.*budget of 0\.01/m);
    expect(r.stderr).not.toMatch(/^warning:/m);
    // Outside Actions the same warning is a plain line on stderr.
    const plain = await cli(['plan', '-C', project, '--provider', 'heygen', '--max-credits', '0.01'], HEYGEN_ENV);
    expect(plain.stdout).not.toContain('::warning');
    expect(plain.stderr).toMatch(/^warning: .*budget of 0\.01/m);
  });

  it('writes a Markdown table of actions, reasons and credits to $GITHUB_STEP_SUMMARY', async () => {
    const { repo, project } = repoWithProject({ 'videos/intro.yaml': INTRO, 'videos/outro.yaml': INTRO.replace('intro', 'outro') });
    const summary = join(repo, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await cli(['plan', '-C', project, '--provider', 'heygen', '--max-credits', '0.01'], { ...HEYGEN_ENV, GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(0);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n')).toBe(true); // appended, never overwritten
    expect(md).toContain('| Video | Action | Reasons | Credits |');
    expect(md).toMatch(/^\| `intro` \| create \| not in the lockfile[^|]* \| \d+\.\d\d cr \|$/m);
    expect(md).toMatch(/^\| `outro` \| create \| /m);
    expect(md).toMatch(/\*\*2\*\* to create/);
    expect(md).toMatch(/Estimated \*\*\d+\.\d\d cr\*\*/);
    expect(md).toMatch(/^- .*budget of 0\.01/m);
  });

});
