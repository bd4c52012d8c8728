/** The preview page names each video's avatars and voices from the cached catalog, with the voice's sample. */
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/model/catalog.js';
import { castOf } from '../../src/watch/cast.js';
import { renderPage } from '../../src/watch/preview/page.js';
import type { WatchState } from '../../src/watch/types.js';
import { makeSpec } from '../helpers/specs.js';

const CATALOG: Catalog = {
  fetched_at: 0,
  looks: [
    {
      id: 'Daisy-inskirt-20220818', name: 'Daisy in Skirt', avatar_type: 'studio_avatar', ownership: 'public', group_id: null, gender: null,
      supported_api_engines: ['avatar_iv'], default_voice_id: 'v-rachel', preferred_orientation: 'landscape', preview_image_url: null,
      preview_video_url: null, status: null, error: null,
    },
  ],
  voices: [
    { voice_id: 'voice-1', name: 'Paul', language: 'English', gender: 'male', type: 'public', support_pause: true, support_locale: true, starfish: true, preview_audio_url: 'https://cdn.example/paul.mp3' },
    { voice_id: 'v-rachel', name: 'Rachel', language: 'English', gender: 'female', type: 'public', support_pause: true, support_locale: true, starfish: true, preview_audio_url: null },
  ],
};

describe('castOf', () => {
  it('names the avatar and voice once per pair, with the sample, and the default voice of a voiceless scene', () => {
    const base = makeSpec('tour');
    const spec = makeSpec('tour', { voice: undefined, scenes: [...base.scenes, { input: { type: 'script', text: 'Hi.' }, voice: base.voice! }] });
    expect(castOf(spec, CATALOG)).toEqual([
      { avatar: { id: 'Daisy-inskirt-20220818', name: 'Daisy in Skirt' }, voice: { id: 'v-rachel', name: 'Rachel' } },
      { avatar: { id: 'Daisy-inskirt-20220818', name: 'Daisy in Skirt' }, voice: { id: 'voice-1', name: 'Paul', sample: 'https://cdn.example/paul.mp3' } },
    ]);
  });

  it('without a catalog, the names the manifest used', () => {
    expect(castOf(makeSpec('tour'), undefined)).toEqual([{ avatar: { id: 'Daisy-inskirt-20220818', name: 'presenter' }, voice: { id: 'voice-1', name: 'narrator' } }]);
  });

  it('reaches the page: the names and a play button that loads nothing until clicked', () => {
    const state: WatchState = {
      status: 'idle', provider: 'local', root: '/p', runs: 1, updatedAt: new Date(0).toISOString(), diagnostics: [],
      videos: [{ id: 'tour', status: 'ready', updatedAt: new Date(0).toISOString(), source: 'videos/tour.yaml', translations: [], cast: castOf(makeSpec('tour'), CATALOG) }],
    };
    const html = renderPage(state);
    expect(html).toContain('"name":"Paul","sample":"https://cdn.example/paul.mp3"');
    expect(html).toContain("new Audio(play.dataset.sample).play()");
    expect(html).not.toMatch(/<audio/);
  });
});
