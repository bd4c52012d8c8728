import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { validateConfig } from '../../src/config/validate.js';

describe('webhook config', () => {
  it('webhook.url from the config; HEYGEN_WEBHOOK_URL wins; neither changes the fingerprint', () => {
    const none = resolveConfig({}, { root: '/p', env: {} });
    expect(none.webhook).toBeUndefined();
    const file = resolveConfig({ webhook: { url: 'https://a.example/h' } }, { root: '/p', env: {} });
    expect(file.webhook).toEqual({ url: 'https://a.example/h' });
    const env = resolveConfig({ webhook: { url: 'https://a.example/h' } }, { root: '/p', env: { HEYGEN_WEBHOOK_URL: 'https://b.example/h' } });
    expect(env.webhook).toEqual({ url: 'https://b.example/h' });
    expect(file.fingerprint).toBe(none.fingerprint);
  });

  it('refuses a URL that is not http(s), and keys other than url, naming them', () => {
    expect(() => validateConfig({ webhook: { url: 'ftp://x' } }, 'heygen.config.ts')).toThrow(/webhook\.url must be an http\(s\) URL/);
    expect(() => validateConfig({ webhook: { url: 'https://x', secret: 's' } }, 'heygen.config.ts')).toThrow(/webhook\.secret is not a setting/);
    expect(() => resolveConfig({}, { root: '/p', env: { HEYGEN_WEBHOOK_URL: 'not a url' } })).toThrow(/HEYGEN_WEBHOOK_URL from the environment must be an http\(s\) URL/);
  });

  it('HEYGEN_API_BASE_URL and HEYGEN_UPLOAD_BASE_URL without a scheme are E_CONFIG naming the variable (a build crashed on them)', () => {
    expect(() => resolveConfig({}, { root: '/p', env: { HEYGEN_API_BASE_URL: 'api.heygen.com' } })).toThrow(/^HEYGEN_API_BASE_URL from the environment must be an http\(s\) URL \(got "api\.heygen\.com"\)$/);
    expect(() => resolveConfig({}, { root: '/p', env: { HEYGEN_UPLOAD_BASE_URL: 'notaurl' } })).toThrow(/HEYGEN_UPLOAD_BASE_URL from the environment must be an http\(s\) URL/);
    expect(resolveConfig({}, { root: '/p', env: { HEYGEN_API_BASE_URL: 'http://127.0.0.1:4010' } }).heygen.baseUrl).toBe('http://127.0.0.1:4010');
  });
});
