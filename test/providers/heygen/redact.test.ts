import { describe, expect, it } from 'vitest';
import { redact, safeUrl } from '../../../src/providers/heygen/redact.js';

describe('redact', () => {
  it('removes every occurrence of a secret, plain or URL-encoded', () => {
    const key = 'sk/abc+def==';
    const text = `key=${key} again ${key} encoded ${encodeURIComponent(key)}`;
    const out = redact(text, [key]);
    expect(out).not.toContain('abc');
    expect(out.match(/\[REDACTED\]/g)).toHaveLength(3);
  });
  it('ignores empty and very short secrets rather than mangling text', () => {
    expect(redact('a b c', ['', undefined, 'a'])).toBe('a b c');
  });
});

describe('safeUrl', () => {
  it('drops the query of a presigned URL', () => {
    expect(safeUrl('https://files.heygen.ai/v/abc.mp4?Expires=1&Signature=XYZ')).toBe('https://files.heygen.ai/v/abc.mp4?…');
    expect(safeUrl('https://files.heygen.ai/v/abc.mp4')).toBe('https://files.heygen.ai/v/abc.mp4');
    expect(safeUrl('not a url?sig=1')).toBe('not a url?…');
  });
});
