/** `textStyles` in the config: every problem listed at once, with the setting's path. */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/validate.js';

describe('config textStyles', () => {
  it('accepts named styles', () => {
    const c = { textStyles: { lowerThird: { font: 'sans-bold', size: 36, color: '#FFFFFF', background: '#000000B3', align: 'left', padding: 12 } } };
    expect(validateConfig(c, 'heygen.config.ts')).toBe(c);
  });

  it('names each bad field of a style', () => {
    let message = '';
    try {
      validateConfig({ textStyles: { title: { font: 'sans-blod', size: 2, color: 'white', colour: '#FFFFFF', align: 'middle' } } }, 'heygen.config.ts');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/textStyles\.title\.font must be one of .*did you mean "sans-bold"/);
    expect(message).toMatch(/textStyles\.title\.size must be/);
    expect(message).toMatch(/textStyles\.title\.color must be a color/);
    expect(message).toMatch(/textStyles\.title\.colour is not a style setting \(did you mean "color"\?\)/);
    expect(message).toMatch(/textStyles\.title\.align must be left, center or right/);
  });
});
