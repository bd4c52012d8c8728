import { describe, expect, it } from 'vitest';
import { displayUrl, urlSecrets } from '../../src/util/url-secrets.js';
import { redact } from '../../src/providers/heygen/redact.js';

describe('urlSecrets / displayUrl', () => {
  it('finds userinfo, a password, a query and its values, raw and decoded, longest first', () => {
    expect(urlSecrets('https://alice:p%40ss-word@gw.example/v?token=abc123&x=zz')).toEqual([
      'alice:p%40ss-word',
      'token=abc123&x=zz',
      'alice:p@ss-word',
      'p%40ss-word',
      'p@ss-word',
      'abc123',
      'zz',
    ]);
    expect(urlSecrets('https://T0kenOnly@gw.example/')).toEqual(['T0kenOnly']);
    expect(urlSecrets('https://api.heygen.com')).toEqual([]);
    expect(urlSecrets(undefined)).toEqual([]);
    // Without a scheme (a config error's value) too.
    expect(urlSecrets('bob:hunter22@10.0.0.1:9')).toContain('hunter22');
  });

  it('a redacted request path keeps nothing of the token, and `/v3/users` survives a user name', () => {
    const secrets = urlSecrets('http://user:pw-1234@h/?token=T0kenSecret');
    const text = redact('GET /?token=T0kenSecret/v3/users/me and /?token=T0kenSecret%2Fv3 (pw-1234)', secrets);
    expect(text).toBe('GET /?[REDACTED]/v3/users/me and /?[REDACTED]%2Fv3 ([REDACTED])');
  });

  it('prints a URL without its userinfo and query', () => {
    expect(displayUrl('https://alice:secret@gw.example/base?token=abc')).toBe('https://[REDACTED]@gw.example/base?…');
    expect(displayUrl('alice:secret@127.0.0.1:9')).toBe('[REDACTED]@127.0.0.1:9');
    expect(displayUrl('api.heygen.com')).toBe('api.heygen.com');
    expect(displayUrl('ftp://h/#frag')).toBe('ftp://h/#…');
  });
});
