/** `plan --json`, `build --json` and the remote store commands fail in the shared JSON shape (README "JSON errors"). */
import { describe, expect, it } from 'vitest';
import type { JsonErrorDocument, JsonErrorEvent } from '../../src/reporters/error-json.js';
import { runCli, tempProject } from '../helpers/cli.js';

const CONFIG = `export default { manifests: ['videos/*.yaml'], voices: { narrator: 'v1' }, defaults: { voice: 'narrator', avatar: 'Daisy-inskirt-20220818' } };\n`;
const BAD = { 'heygen.config.mjs': CONFIG, 'videos/a.yaml': 'scenes:\n  - scirpt: hi\n' };

describe('plan --json on failure', () => {
  it('invalid manifests: the error document, diagnostics at file:line:col, exit 1', async () => {
    const r = await runCli(['plan', '--json'], { cwd: tempProject(BAD) });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonErrorDocument;
    expect(doc).toMatchObject({ format_version: 1, error: { code: 'E_INVALID_MANIFESTS' }, summary: { errors: 1 } });
    expect(doc.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'E_UNKNOWN_KEY', file: 'videos/a.yaml', line: 2, column: 5 })]);
  });

  it('a refused plan (unknown --replace id): the same document with that error as its one diagnostic', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/a.yaml': 'scenes:\n  - script: hi\n' });
    const r = await runCli(['plan', '--json', '--replace', 'nope'], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonErrorDocument;
    expect(doc.error).toMatchObject({ code: 'E_REPLACE_UNKNOWN', hint: expect.any(String) });
    expect(doc.diagnostics).toEqual([{ severity: 'error', ...doc.error }]);
    expect(r.stderr).toContain('[E_REPLACE_UNKNOWN]');
  });
});

describe('build --json on failure', () => {
  it('ends with one error event: the error object\'s fields and the diagnostics', async () => {
    const r = await runCli(['build', '--json', '--provider', 'local'], { cwd: tempProject(BAD) });
    expect(r.code).toBe(1);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    const last = events.at(-1) as JsonErrorEvent;
    expect(last).toMatchObject({ type: 'error', code: 'E_INVALID_MANIFESTS', message: expect.any(String), hint: expect.any(String) });
    expect(Number.isNaN(Date.parse(last.at))).toBe(false);
    expect(last.diagnostics).toEqual([expect.objectContaining({ code: 'E_UNKNOWN_KEY', file: 'videos/a.yaml', line: 2 })]);
  });
});

describe('the remote store commands with --json on failure', () => {
  it('push, pull, status --remote, claims and claims release print the error document on stdout, exit 1', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/a.yaml': 'scenes:\n  - script: hi\n' });
    for (const args of [['push'], ['pull'], ['status', '--remote'], ['claims'], ['claims', 'release', 'abc']]) {
      const r = await runCli([...args, '--json'], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonErrorDocument;
      expect(doc, args.join(' ')).toMatchObject({ format_version: 1, error: { code: 'E_REMOTE_CONFIG', hint: expect.any(String) }, summary: { errors: 1 } });
      expect(r.stderr).toContain('[E_REMOTE_CONFIG]');
    }
  });
});

describe('status and webhooks with --json on failure', () => {
  it('status --json over a corrupt lockfile, webhooks list and register --json without an API key: the error document on stdout, exit 1', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/a.yaml': 'scenes:\n  - script: hi\n', 'heygen.lock.yaml': 'version: 1\nvideos: [oops\n' });
    const cases: [string[], Record<string, string>][] = [
      [['status', '--json'], { HEYGEN_API_KEY: 'k' }],
      [['webhooks', 'list', '--json'], {}],
      [['webhooks', 'register', '--url', 'https://example.com/hook', '--json'], {}],
    ];
    for (const [args, env] of cases) {
      const r = await runCli(args, { cwd: dir, env });
      expect(r.code, args.join(' ')).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonErrorDocument;
      expect(doc, args.join(' ')).toMatchObject({ format_version: 1, error: { code: expect.stringMatching(/^E_/), hint: expect.any(String) }, summary: { errors: 1 } });
      expect(r.stderr).toContain(`[${doc.error!.code}]`);
    }
  });
});
