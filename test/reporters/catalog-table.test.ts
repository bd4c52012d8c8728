import { describe, expect, it } from 'vitest';
import { formatVoices } from '../../src/reporters/catalog.js';
import { visibleWidth } from '../../src/reporters/units.js';
import type { CatalogVoice } from '../../src/model/catalog.js';

function voice(voice_id: string, name: string): CatalogVoice {
  return { voice_id, name, language: 'ja', gender: 'female', type: 'public', support_pause: true, support_locale: false, starfish: true, preview_audio_url: null };
}

describe('voices table', () => {
  it('keeps columns aligned on screen when a name is in wide (CJK) characters', () => {
    const out = formatVoices([voice('v-1', '桜子'), voice('v-2', 'Sakura')]);
    const lines = out.trimEnd().split('\n');
    // The LANGUAGE column starts at the same screen column on every line.
    const starts = lines.map((l) => visibleWidth(l.slice(0, l.indexOf(l.startsWith('ID') ? 'LANGUAGE' : 'ja'))));
    expect(new Set(starts).size).toBe(1);
  });
});
