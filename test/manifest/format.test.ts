import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type Diagnostic } from '../../src/errors.js';
import { codeFrame, SourceLines } from '../../src/manifest/frame.js';
import { escapeData, formatDiagnostics, summaryLine, type JsonDiagnostics } from '../../src/reporters/diagnostics.js';

const typo: Diagnostic = {
  severity: 'error',
  code: 'E_UNKNOWN_KEY',
  message: 'unknown key "scirpt" in scenes[0]; did you mean "script"?',
  hint: 'known keys here: script, audio',
  location: { file: 'videos/a.yaml', line: 4, column: 5, endLine: 4, endColumn: 11 },
  frame: '  3 | scenes:\n> 4 |   - scirpt: hi\n    |     ^^^^^^',
};
const range: Diagnostic = {
  severity: 'error',
  code: 'E_SCHEMA',
  message: 'scenes[1].voice.speed must be <= 1.5 (got 1.8)',
  location: { file: 'videos/a.yaml', line: 9, column: 20 },
};
const odd: Diagnostic = {
  severity: 'warning',
  code: 'W_LEGACY_API',
  message: '100% done,\r\nnext: line',
  location: { file: 'dir,with:odd.yaml', line: 1, column: 2 },
};

describe('formatDiagnostics', () => {
  it('human: location, code, message, frame, hint, and a summary line', () => {
    const out = formatDiagnostics([typo, range], 'human');
    expect(out).toContain('videos/a.yaml:4:5 error E_UNKNOWN_KEY unknown key "scirpt"');
    expect(out).toContain('> 4 |   - scirpt: hi');
    expect(out).toContain('hint: known keys here');
    expect(out).toContain('videos/a.yaml:9:20 error E_SCHEMA scenes[1].voice.speed must be <= 1.5');
    expect(out.trimEnd().split('\n').at(-1)).toBe('2 errors in 1 file');
    expect(out).not.toContain('\u001b[');
    expect(formatDiagnostics([typo], 'human', { color: true })).toContain('\u001b[31merror\u001b[39m');
    expect(formatDiagnostics([], 'human')).toBe('');
  });

  it('summary lines count errors, warnings and files', () => {
    expect(summaryLine([typo])).toBe('1 error in 1 file');
    expect(summaryLine([typo, range, odd])).toBe('2 errors and 1 warning in 2 files');
  });

  it('json: a versioned object with a summary and flat diagnostics (no frames)', () => {
    const parsed = JSON.parse(formatDiagnostics([typo, odd], 'json')) as JsonDiagnostics;
    expect(parsed).toEqual({
      format_version: 1,
      version: 1,
      summary: { errors: 1, warnings: 1, files: 2 },
      diagnostics: [
        {
          severity: 'error',
          code: 'E_UNKNOWN_KEY',
          message: typo.message,
          hint: typo.hint,
          file: 'videos/a.yaml',
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 11,
        },
        // Without a hint of its own: its code's advice, as the human output prints it.
        { severity: 'warning', code: 'W_LEGACY_API', message: odd.message, hint: ERROR_CODES.W_LEGACY_API, file: 'dir,with:odd.yaml', line: 1, column: 2 },
      ],
    });
  });

  it('github: one workflow command per diagnostic, escaped per the runner rules', () => {
    const lines = formatDiagnostics([range, odd], 'github').trimEnd().split('\n');
    expect(lines[0]).toBe('::error file=videos/a.yaml,line=9,col=20,title=E_SCHEMA::scenes[1].voice.speed must be <= 1.5 (got 1.8)');
    expect(lines[1]).toBe('::warning file=dir%2Cwith%3Aodd.yaml,line=1,col=2,title=W_LEGACY_API::100%25 done,%0D%0Anext: line');
    expect(formatDiagnostics([typo], 'github')).toContain('did you mean "script"?%0Ahint: known keys here');
    expect(escapeData('a%b\nc')).toBe('a%25b%0Ac');
  });
});

describe('codeFrame', () => {
  it('shows two lines around the line, numbered, with the marker under the column', () => {
    const text = 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\n';
    expect(codeFrame(text, 4, 4)).toBe(['  2 | b: 2', '  3 | c: 3', '> 4 | d: 4', '    |    ^', '  5 | e: 5', '  6 | f: 6'].join('\n'));
    const wide = `x: 1\ntranslations: [es, {language: fr, mode: fast}]\n`;
    expect(codeFrame(wide, 2, 36, 40).split('\n').slice(1)).toEqual([
      '> 2 | translations: [es, {language: fr, mode: fast}]',
      '    |                                    ^^^^',
    ]);
  });

  it('reads lines from a line index the same way as from the text (CRLF, a lone CR, the last line)', () => {
    const text = 'a: 1\r\nb: "x\ry"\r\n\r\nc: 3';
    const lines = new SourceLines(text);
    expect([1, 2, 3, 4, 5].map((n) => lines.line(n))).toEqual(['a: 1', 'b: "x\ry"', '', 'c: 3', '']);
    expect(lines.count).toBe(4);
    for (let n = 1; n <= 4; n++) expect(codeFrame(lines, n, 2)).toBe(codeFrame(text, n, 2));
    expect(codeFrame(lines, 5, 1)).toBe('');
  });
});
