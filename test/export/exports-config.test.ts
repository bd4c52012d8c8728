/** `exports` in the config: folders for the exports a build writes afterwards, checked like every setting. */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/validate.js';
import { resolveConfig } from '../../src/config/load.js';

describe('exports in the config', () => {
  it('keeps the folders as written', () => {
    const user = validateConfig({ exports: { remotion: 'remotion/public/heygen', otio: 'edit' } }, 'heygen.config.ts');
    expect(resolveConfig(user, { root: '/p', env: {} }).exports).toEqual({ remotion: 'remotion/public/heygen', otio: 'edit' });
    expect(resolveConfig({}, { root: '/p', env: {} }).exports).toBeUndefined();
  });

  it('refuses an unknown format, an empty folder and a non-object, naming each', () => {
    const bad = (raw: unknown): string => {
      try {
        validateConfig(raw, 'heygen.config.ts');
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(bad({ exports: { remotoin: 'x' } })).toContain('exports.remotoin is not a setting (did you mean "remotion"?)');
    expect(bad({ exports: { otio: '' } })).toContain('exports.otio must be a non-empty string');
    expect(bad({ exports: 'pack' })).toContain('exports must be an object');
  });
});
