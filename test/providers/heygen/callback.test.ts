import { describe, expect, it } from 'vitest';
import { withCallback } from '../../../src/providers/heygen/http.js';

describe('withCallback', () => {
  const url = 'https://hooks.example.com/heygen';
  it('adds callback_url to a body that names its job with a callback_id', () => {
    expect(withCallback({ type: 'avatar', callback_id: 'hb-x-1' }, url)).toEqual({ type: 'avatar', callback_id: 'hb-x-1', callback_url: url });
  });
  it('leaves every other body as it is: no webhook, no callback_id (speech, assets), or one already set', () => {
    const speech = { text: 'hi', voice_id: 'v' };
    expect(withCallback(speech, url)).toBe(speech);
    const clip = { callback_id: 'hb-x-1' };
    expect(withCallback(clip, undefined)).toBe(clip);
    const own = { callback_id: 'hb-x-1', callback_url: 'https://other' };
    expect(withCallback(own, url)).toBe(own);
    expect(withCallback([1], url)).toEqual([1]);
  });
});
