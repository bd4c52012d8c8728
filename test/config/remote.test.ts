/** The `remote` config block: its shape is checked with the rest of the config, and it has no place for a secret. */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/validate.js';
import { resolveConfig } from '../../src/config/load.js';

describe('remote config', () => {
  it('accepts s3 and file urls with the S3 options, and resolves them as given', () => {
    const remote = { url: 's3://renders/team', region: 'auto', endpoint: 'https://acc.r2.cloudflarestorage.com', forcePathStyle: false };
    const cfg = validateConfig({ remote }, 'heygen.config.ts');
    expect(resolveConfig(cfg, { root: '/p', env: {} }).remote).toEqual(remote);
    expect(() => validateConfig({ remote: { url: 'file:///mnt/shared' } }, 'heygen.config.ts')).not.toThrow();
  });

  it('refuses a credential written into the config, a bad url and a bad endpoint, naming each setting', () => {
    let message = '';
    try {
      validateConfig({ remote: { url: 'https://bucket', endpoint: 'minio:9000', secretAccessKey: 'x', forcePathStyle: 'yes' } }, 'heygen.config.ts');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/remote\.secretAccessKey is not a setting/);
    expect(message).toMatch(/remote\.url must be s3:\/\/bucket\/prefix or file:\/\/\/path/);
    expect(message).toMatch(/remote\.endpoint must be an http\(s\) URL/);
    expect(message).toMatch(/remote\.forcePathStyle must be true or false/);
  });

  it('refuses credentials written into the url or the endpoint (user:secret@), without repeating them', () => {
    for (const remote of [{ url: 's3://AKIAEXAMPLE:wJalrSECRET@renders/team' }, { url: 's3://renders', endpoint: 'http://minio:wJalrSECRET@127.0.0.1:9000' }]) {
      let message = '';
      try {
        validateConfig({ remote }, 'heygen.config.ts');
      } catch (e) {
        message = `${(e as Error).message} ${JSON.stringify(e)}`;
      }
      expect(message).toMatch(/remote\.(url|endpoint) must not hold credentials/);
      expect(message).not.toContain('wJalrSECRET');
    }
    // An @ in the prefix is a name, not a credential.
    expect(() => validateConfig({ remote: { url: 's3://renders/team@eu' } }, 'heygen.config.ts')).not.toThrow();
  });
});
