/**
 * A template video's offline draft: one card per rendered scene of the template, each naming the scene
 * and listing its variables with their values (the compositor draws the avatar label as the card).
 */
import { describe, expect, it } from 'vitest';
import { templateDraftSpec } from '../../../src/execute/local/template-cards.js';
import type { VideoSpec } from '../../../src/model/spec.js';
import type { TemplateDefinition } from '../../../src/model/template.js';

const at = { file: 'videos/promo.yaml', line: 1, column: 1 };
const spec = {
  id: 'promo',
  source: 'videos/promo.yaml',
  output: 'out/promo.mp4',
  dimension: { width: 1280, height: 720 },
  scenes: [],
  translations: [],
  template: { id: 'tpl_promo', variables: { product: 'Lamp', price: '$20' }, at: { template: at, variableList: at, variables: {}, scenes: [] } },
} as unknown as VideoSpec; // only the fields templateDraftSpec reads

const def: TemplateDefinition = {
  id: 'tpl_promo',
  name: 'Promo',
  aspectRatio: '9:16',
  variables: { product: 'text', price: 'text', logo: 'image' },
  scenes: [
    { id: 'offer', script: '{{product}} is now {{price}}.', variables: ['product', 'price'] },
    { id: 'outro', script: 'Get yours.', variables: ['logo'] },
  ],
  digest: 'd'.repeat(64),
  origin: 'cached',
};

const labels = (s: VideoSpec): string[] => s.scenes.map((x) => x.avatar?.label ?? '');
const scripts = (s: VideoSpec): string[] => s.scenes.map((x) => (x.input.type === 'script' ? x.input.text : ''));

describe('template drafts', () => {
  it('are one card per template scene, naming it and listing its variables, at the template aspect', () => {
    const d = templateDraftSpec(spec, def);
    expect(labels(d)).toEqual([
      'TEMPLATE Promo (tpl_promo)\nscene 1/2: offer\nproduct = Lamp\nprice = $20',
      'TEMPLATE Promo (tpl_promo)\nscene 2/2: outro\nlogo = (missing)',
    ]);
    expect(scripts(d)).toEqual(['Lamp is now $20.', 'Get yours.']);
    expect(d.dimension).toEqual({ width: 720, height: 1280 });
  });

  it('follow the scenes the manifest picks, in its order', () => {
    const d = templateDraftSpec({ ...spec, template: { ...spec.template!, sceneIds: ['outro', 'offer', 'outro'] } }, def);
    expect(labels(d).map((l) => l.split('\n')[1])).toEqual(['scene 1/3: outro', 'scene 2/3: offer', 'scene 3/3: outro']);
  });

  it('without a definition: one card listing every variable the manifest gives', () => {
    const d = templateDraftSpec(spec, undefined);
    expect(labels(d)).toEqual(['TEMPLATE tpl_promo\nproduct = Lamp\nprice = $20']);
  });
});
