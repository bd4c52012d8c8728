/**
 * The package as another project sees it: `require` and `import` of the built dist, the schema and
 * package.json subpaths, nothing else reachable, and every exported file in the published tarball.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, cleanEnv, tempProject } from '../helpers/cli.js';

/** A project with heygen-build installed (a link to this checkout, as npm does for `file:` deps). */
function consumer(files: Record<string, string> = {}): string {
  const dir = tempProject({ 'package.json': '{"name":"consumer","private":true}\n', ...files });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'heygen-build'), 'dir');
  return dir;
}

function node(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PUBLIC = ['build', 'defineConfig', 'formatDiagnostics', 'planProject', 'validate', 'watch', 'HeygenBuildError', 'ERROR_CODES'];

describe('package exports', () => {
  it("require('heygen-build') works from CommonJS, without flags or warnings", () => {
    const dir = consumer();
    const r = node(dir, ['-e', `const m = require('heygen-build'); console.log(JSON.stringify(Object.keys(m)))`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining(PUBLIC));
  });

  it("import('heygen-build') gives the same API", () => {
    const dir = consumer();
    const r = node(dir, ['--input-type=module', '-e', `const m = await import('heygen-build'); console.log(JSON.stringify(Object.keys(m)))`]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining(PUBLIC));
  });

  it('a CommonJS program can validate a project and print its diagnostics', () => {
    const dir = consumer({
      'heygen.config.mjs': `export default { manifests: ['videos/*.yaml'], voices: { n: 'v1' }, defaults: { voice: 'n', avatar: 'Daisy-inskirt-20220818' } };\n`,
      'videos/a.yaml': 'scenes:\n  - scirpt: hi\n',
      'check.cjs': `const { validate, formatDiagnostics } = require('heygen-build');
validate({ cwd: __dirname }).then((r) => { process.stdout.write(formatDiagnostics(r.diagnostics, 'github')); process.exitCode = r.ok ? 0 : 3; });
`,
    });
    const r = node(dir, ['check.cjs']);
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/^::error file=videos\/a\.yaml,line=2,col=5,endLine=2,endColumn=\d+,title=E_UNKNOWN_KEY::/);
  });

  it('heygen-build/package.json and heygen-build/schema/* resolve; internals do not', () => {
    const dir = consumer();
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    const r = node(dir, [
      '-e',
      `console.log(require('heygen-build/package.json').version, require('heygen-build/schema/video.schema.json').$schema !== undefined)`,
    ]);
    expect(r.stdout.trim()).toBe(`${version} true`);
    const esm = node(dir, ['--input-type=module', '-e', `import s from 'heygen-build/schema/video.schema.json' with { type: 'json' }; console.log(typeof s.properties)`]);
    expect(esm.stdout.trim()).toBe('object');
    const deep = node(dir, ['-e', `require('heygen-build/dist/cli/main.js')`]);
    expect(deep.status).not.toBe(0);
    expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('every file the exports map points to is in the published package', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', env: cleanEnv() });
    const files = new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'package.json', 'schema/video.schema.json', 'bin/heygen-build.js']) {
      expect(files, f).toContain(f);
    }
  });
});
