import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/errors.js';
import { formatDiagnostics, MAX_PER_FILE } from '../../src/reporters/diagnostics.js';

function diag(file: string, line: number, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { severity, code: 'E_SCHEMA', message: `problem on line ${line}`, location: { file, line, column: 1 } };
}

const many = (file: string, n: number, severity: Diagnostic['severity'] = 'error'): Diagnostic[] =>
  Array.from({ length: n }, (_, i) => diag(file, i + 1, severity));

describe('diagnostics per file in human and github output', () => {
  it('shows the first 50 of each file, then one line with how many more, per file', () => {
    const diags = [...many('a.yaml', 52), ...many('b.yaml', 3), ...many('c.yaml', 60), ...many('c.yaml', 2, 'warning')];
    const out = formatDiagnostics(diags, 'human');
    expect(MAX_PER_FILE).toBe(50);
    expect(out.match(/^a\.yaml:\d+:1 error/gm)).toHaveLength(50);
    expect(out.match(/^b\.yaml:\d+:1 error/gm)).toHaveLength(3);
    expect(out).toContain('… and 2 more errors in a.yaml');
    expect(out).not.toContain('more errors in b.yaml');
    expect(out).toContain('… and 10 more errors and 2 more warnings in c.yaml');
    // The count comes right after the file's last shown diagnostic, before the next file.
    expect(out.indexOf('more errors in a.yaml')).toBeLessThan(out.indexOf('b.yaml:1:1'));
    expect(out.trimEnd().endsWith('115 errors and 2 warnings in 3 files')).toBe(true);
  });

  it('takes another limit, and shows diagnostics without a file whatever their number', () => {
    const loose: Diagnostic[] = Array.from({ length: 60 }, (_, i) => ({ severity: 'error', code: 'E_CONFIG', message: `config ${i}` }));
    const out = formatDiagnostics([...loose, ...many('a.yaml', 5)], 'human', { maxPerFile: 2 });
    expect(out.match(/ E_CONFIG /g)).toHaveLength(60);
    expect(out.match(/^a\.yaml:/gm)).toHaveLength(2);
    expect(out).toContain('… and 3 more errors in a.yaml');
  });

  it('github: 50 annotations per file and a notice for the rest', () => {
    const out = formatDiagnostics(many('a.yaml', 51), 'github');
    expect(out.match(/^::error file=a\.yaml,/gm)).toHaveLength(50);
    expect(out).toMatch(/^::notice file=a\.yaml,title=more::… and 1 more error in a\.yaml/m);
  });
});
