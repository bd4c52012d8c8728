import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type Diagnostic } from '../../src/errors.js';
import { formatDiagnostics } from '../../src/reporters/diagnostics.js';

describe('human diagnostics always end with a hint', () => {
  it("a problem found without a hint of its own (schema, YAML) prints its code's advice; its own hint wins", () => {
    const diags: Diagnostic[] = [
      { severity: 'error', code: 'E_SCHEMA', message: 'dimension must be a preset', location: { file: 'videos/a.yaml', line: 2, column: 12 } },
      { severity: 'error', code: 'E_UNKNOWN_KEY', message: 'unknown key "scirpt"', hint: 'known keys here: script', location: { file: 'videos/b.yaml', line: 3, column: 5 } },
    ];
    const out = formatDiagnostics(diags, 'human');
    expect(out).toContain(`videos/a.yaml:2:12 error E_SCHEMA dimension must be a preset\n  hint: ${ERROR_CODES.E_SCHEMA}\n`);
    expect(out).toContain('unknown key "scirpt"\n  hint: known keys here: script\n');
    expect(out).not.toContain(ERROR_CODES.E_UNKNOWN_KEY);
  });
});
