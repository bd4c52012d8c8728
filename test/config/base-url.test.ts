/**
 * HeyGen base URLs with a query string, a fragment or userinfo: every request went to the wrong path
 * (`/?token=x/v3/videos`, a 404) or lost the credentials silently. Now E_CONFIG at start, naming the
 * variable or setting and the fix, and never showing the secret.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { validateConfig } from '../../src/config/validate.js';
import { HeygenBuildError } from '../../src/errors.js';

const SECRETS = ['T0kenSecret', 'S3cretPass'];

function refusal(run: () => unknown): { code: string; text: string } {
  try {
    run();
  } catch (e) {
    if (!(e instanceof HeygenBuildError)) throw e;
    const text = `${e.message}\nhint: ${e.hint ?? ''}`;
    for (const s of SECRETS) expect(text).not.toContain(s);
    return { code: e.code, text };
  }
  throw new Error('not refused');
}

const fromEnv = (name: string, url: string) => refusal(() => resolveConfig({}, { root: '/p', env: { [name]: url } }));

describe('HeyGen base URLs', () => {
  it('HEYGEN_API_BASE_URL with a query string is E_CONFIG naming it, saying to drop the query, without the token', () => {
    const r = fromEnv('HEYGEN_API_BASE_URL', 'https://gw.example/?token=T0kenSecret');
    expect(r.code).toBe('E_CONFIG');
    expect(r.text).toMatch(/^HEYGEN_API_BASE_URL from the environment must be a plain http\(s\) URL .* but it carries a query string \(\?…\) \(got "https:\/\/gw\.example\/\?…"\)/);
    expect(r.text).toMatch(/hint: change HEYGEN_API_BASE_URL where the environment sets it .*: drop the query string: .*wrong path; the API key goes in HEYGEN_API_KEY$/);
  });

  it('userinfo and a fragment are refused too, each named, in either variable', () => {
    const user = fromEnv('HEYGEN_UPLOAD_BASE_URL', 'http://alice:S3cretPass@127.0.0.1:4010/');
    expect(user.code).toBe('E_CONFIG');
    expect(user.text).toMatch(/^HEYGEN_UPLOAD_BASE_URL from the environment .* carries a user:password@ part \(got "http:\/\/\[REDACTED\]@127\.0\.0\.1:4010\/"\)/);
    const frag = fromEnv('HEYGEN_API_BASE_URL', 'http://127.0.0.1:4010/#T0kenSecret');
    expect(frag.text).toMatch(/carries a fragment \(#…\) \(got "http:\/\/127\.0\.0\.1:4010\/#…"\)/);
    const all = fromEnv('HEYGEN_API_BASE_URL', 'http://alice:S3cretPass@h/?token=T0kenSecret#x');
    expect(all.text).toMatch(/carries a user:password@ part, a query string \(\?…\) and a fragment \(#…\)/);
    expect(all.text).toMatch(/hint: change HEYGEN_API_BASE_URL .*: drop the user:password@ part, the query string and the fragment: /);
  });

  it('heygen.baseUrl and heygen.uploadBaseUrl in the config are refused the same way, by setting', () => {
    const r = refusal(() => validateConfig({ heygen: { baseUrl: 'https://gw.example/v?token=T0kenSecret', uploadBaseUrl: 'https://alice:S3cretPass@up.example' } }, 'heygen.config.ts'));
    expect(r.code).toBe('E_CONFIG');
    expect(r.text).toMatch(/heygen\.baseUrl must be a plain http\(s\) URL .* carries a query string \(\?…\): drop the query string/);
    expect(r.text).toMatch(/heygen\.uploadBaseUrl must be a plain http\(s\) URL .* carries a user:password@ part: drop the user:password@ part: a user and password there are never sent/);
    expect(refusal(() => validateConfig({ heygen: { baseUrl: 'api.heygen.com' } }, 'heygen.config.ts')).text).toMatch(/heygen\.baseUrl must be an http\(s\) URL: unset it/);
  });

  it('a plain URL, with a port and a path prefix (a gateway), is kept as written', () => {
    const c = resolveConfig({ heygen: { uploadBaseUrl: 'https://gw.example/heygen-upload' } }, { root: '/p', env: { HEYGEN_API_BASE_URL: 'http://127.0.0.1:4010/heygen/' } });
    expect(c.heygen).toMatchObject({ baseUrl: 'http://127.0.0.1:4010/heygen/', uploadBaseUrl: 'https://gw.example/heygen-upload' });
    expect(() => validateConfig({ heygen: { baseUrl: 'https://gw.example/heygen' } }, 'heygen.config.ts')).not.toThrow();
  });
});
