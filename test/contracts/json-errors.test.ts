/**
 * One JSON shape for failures: the error object, the document (validate, plan --json) and the build
 * NDJSON event all carry the same fields, and `validate --format json` prints the document.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, HeygenBuildError, type Diagnostic } from '../../src/errors.js';
import { invalidManifestsError } from '../../src/api/validate.js';
import { errorDocument, errorEvent, errorJson, type JsonErrorDocument } from '../../src/reporters/error-json.js';
import { runCli, tempProject } from '../helpers/cli.js';

const typo: Diagnostic = {
  severity: 'error',
  code: 'E_UNKNOWN_KEY',
  message: 'unknown key "scirpt"',
  hint: 'known keys here: script',
  location: { file: 'videos/a.yaml', line: 4, column: 5 },
  frame: '> 4 | scirpt: hi',
};

describe('errorJson / errorDocument / errorEvent', () => {
  it('a coded error: code, message, hint and a flat location; the document lists it as its one diagnostic', () => {
    const e = new HeygenBuildError('E_CONFIG', 'heygen.config.ts: bad', { hint: 'fix it', location: { file: 'heygen.config.ts', line: 3, column: 7 } });
    const err = { code: 'E_CONFIG', message: 'heygen.config.ts: bad', hint: 'fix it', file: 'heygen.config.ts', line: 3, column: 7 };
    expect(errorJson(e)).toEqual(err);
    expect(errorDocument(e)).toEqual({
      format_version: 1,
      error: err,
      summary: { errors: 1, warnings: 0, files: 1 },
      diagnostics: [{ severity: 'error', ...err }],
    });
    const ev = errorEvent(e, new Date('2026-01-02T03:04:05Z'));
    expect(ev).toEqual({ type: 'error', at: '2026-01-02T03:04:05.000Z', ...err, diagnostics: [{ severity: 'error', ...err }] });
  });

  it('invalid manifests: the error summarises, the diagnostics are the manifests\' problems (no frames)', () => {
    const doc = errorDocument(invalidManifestsError([typo], 'nothing was built'));
    expect(doc.error).toMatchObject({ code: 'E_INVALID_MANIFESTS', message: '1 error in the manifests: nothing was built' });
    expect(doc.diagnostics).toEqual([
      { severity: 'error', code: 'E_UNKNOWN_KEY', message: 'unknown key "scirpt"', hint: 'known keys here: script', file: 'videos/a.yaml', line: 4, column: 5 },
    ]);
    expect(errorEvent(invalidManifestsError([typo])).diagnostics).toEqual(doc.diagnostics);
  });

  it('success is error: null; a bug is E_INTERNAL without its stack; an abort is E_INTERRUPTED', () => {
    expect(errorDocument(null, [])).toEqual({ format_version: 1, error: null, summary: { errors: 0, warnings: 0, files: 0 }, diagnostics: [] });
    const bug = errorJson(new TypeError('x is undefined'));
    expect(bug).toMatchObject({ code: 'E_INTERNAL', message: 'x is undefined' });
    expect(JSON.stringify(bug)).not.toMatch(/\bat .*:\d+/);
    expect(errorJson(Object.assign(new Error('stop'), { name: 'AbortError' })).code).toBe('E_INTERRUPTED');
  });

  it('an error without a hint of its own carries its code\'s advice, as the human output prints it (never null)', () => {
    expect(errorJson(new HeygenBuildError('E_LOCK_NO_REMOTE', 'no id'))).toEqual({ code: 'E_LOCK_NO_REMOTE', message: 'no id', hint: ERROR_CODES.E_LOCK_NO_REMOTE });
  });
});

const CONFIG = `export default { manifests: ['videos/*.yaml'], voices: { narrator: 'v1' }, defaults: { voice: 'narrator', avatar: 'Daisy-inskirt-20220818' } };\n`;

describe('validate --format json (built CLI)', () => {
  it('invalid manifests: exit 1, error E_INVALID_MANIFESTS, every problem in diagnostics', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/a.yaml': 'scenes:\n  - scirpt: hi\n' });
    const r = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonErrorDocument;
    expect(doc).toMatchObject({ format_version: 1, version: 1, error: { code: 'E_INVALID_MANIFESTS' }, summary: { errors: 1 } });
    expect(doc.diagnostics[0]).toMatchObject({ severity: 'error', code: 'E_UNKNOWN_KEY', file: 'videos/a.yaml', line: 2 });
  });

  it('a broken config: exit 1, the same document with the config error, and the human message on stderr', async () => {
    const dir = tempProject({ 'heygen.config.mjs': `export default { manifest: ['videos/*.yaml'] };\n` });
    const r = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonErrorDocument;
    expect(doc.error?.code).toBe('E_CONFIG');
    expect(doc.diagnostics).toEqual([{ severity: 'error', ...doc.error }]);
    expect(r.stderr).toContain('[E_CONFIG]');
  });

  it('valid: exit 0 and error null', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/a.yaml': 'scenes:\n  - script: hi\n' });
    const r = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format_version: 1, error: null, summary: { errors: 0 }, diagnostics: [] });
  });
});
