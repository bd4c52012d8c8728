/** Which provider `plan` and `build` use: the matrix the README promises (auto, CI, no key). */
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { chooseProvider, isCi, loadProvider } from '../../src/execute/choose.js';
import { createProvider } from '../../src/execute/create.js';
import type { ProviderName } from '../../src/model/config.js';

function config(provider: ProviderName, key: boolean) {
  // A folder without a .env, so only the env given here counts.
  return resolveConfig({ provider }, { root: tmpdir(), env: key ? { HEYGEN_API_KEY: 'k' } : {} });
}

type Row = [ProviderName, 'key' | 'no key', 'CI' | 'local', 'plan' | 'build', string];

// Expected: a provider name, optionally `+notice`, or an error code.
const MATRIX: Row[] = [
  ['local', 'key', 'local', 'build', 'local'],
  ['local', 'no key', 'CI', 'build', 'local'],
  ['local', 'no key', 'CI', 'plan', 'local'],
  ['heygen', 'key', 'CI', 'build', 'heygen'],
  ['heygen', 'no key', 'local', 'plan', 'heygen'],
  ['heygen', 'no key', 'CI', 'plan', 'heygen'],
  ['heygen', 'no key', 'local', 'build', 'E_NO_API_KEY'],
  ['heygen', 'no key', 'CI', 'build', 'E_NO_API_KEY'],
  ['auto', 'key', 'local', 'build', 'heygen'],
  ['auto', 'key', 'CI', 'build', 'heygen'],
  ['auto', 'key', 'CI', 'plan', 'heygen'],
  ['auto', 'no key', 'local', 'plan', 'local+notice'],
  ['auto', 'no key', 'local', 'build', 'local+notice'],
  ['auto', 'no key', 'CI', 'plan', 'heygen+notice'],
  ['auto', 'no key', 'CI', 'build', 'E_CI_NO_API_KEY'],
];

describe('chooseProvider', () => {
  it.each(MATRIX)('provider %s, %s, %s, %s -> %s', (provider, key, where, purpose, expected) => {
    const env = where === 'CI' ? { CI: 'true' } : {};
    const choose = () => chooseProvider(config(provider, key === 'key'), env, purpose);
    if (expected.startsWith('E_')) {
      expect(choose).toThrow(expect.objectContaining({ code: expected, hint: expect.stringContaining('--provider local') }));
      return;
    }
    const [name, notice] = expected.split('+');
    const choice = choose();
    expect(choice.provider).toBe(name);
    if (notice) expect(choice.notice).toContain('HEYGEN_API_KEY');
    else expect(choice.notice).toBeUndefined();
  });

  it('says what a keyless draft build writes, and how to plan HeyGen renders instead', () => {
    const cfg = config('auto', false);
    expect(chooseProvider(cfg, {}, 'build').notice).toContain('.draft.mp4');
    expect(chooseProvider(cfg, {}, 'plan').notice).toContain('--provider heygen');
    expect(chooseProvider(cfg, { CI: '1' }, 'plan').notice).toMatch(/lockfile.*build needs the key/);
  });

  it('reads CI the way CI systems set it', () => {
    for (const v of ['true', '1', 'yes', 'TRUE']) expect(isCi({ CI: v }), v).toBe(true);
    for (const v of [undefined, '', '0', 'false', 'False']) expect(isCi({ CI: v }), String(v)).toBe(false);
  });

  it('creates the provider chosen: HeyGen journals to the lockfile, drafts do not', async () => {
    expect(createProvider('heygen', config('auto', true))).toMatchObject({ name: 'heygen', journals: true });
    expect(createProvider('local', config('auto', false))).toMatchObject({ name: 'local', journals: false });
    expect(await loadProvider('heygen', config('auto', true))).toMatchObject({ name: 'heygen', journals: true });
    expect(await loadProvider('local', config('auto', false))).toMatchObject({ name: 'local', journals: false });
  });
});
