/** Planning template videos, pure: the definition's digest in the key, the reasons, the estimate. */
import { describe, expect, it } from 'vitest';
import { TEMPLATE_DEFINITION_PART } from '../../src/hash/template.js';
import { emptyLockfile, type LockEntry } from '../../src/model/lock.js';
import type { VideoSpec } from '../../src/model/spec.js';
import type { TemplateDefinition } from '../../src/model/template.js';
import { plan } from '../../src/plan/plan.js';
import { planTemplate } from '../../src/plan/template.js';

const at = { template: { line: 1, column: 1 }, variableList: { line: 3, column: 3 }, variables: {}, scenes: [] };
function spec(variables: Record<string, string>, extra: Partial<VideoSpec> = {}): VideoSpec {
  return { id: 'w', source: 'videos/w.yaml', tags: [], output: 'out/w.mp4', dimension: { width: 1280, height: 720 }, caption: 'none', scenes: [], translations: [], template: { id: 'tpl', variables, at }, ...extra };
}
const def = (script: string, digest: string): TemplateDefinition => ({
  id: 'tpl', name: 'T', variables: { name: 'text' }, scenes: [{ id: 's1', script, variables: ['name'] }], digest, origin: 'fetched',
});

function recorded(s: VideoSpec, d: TemplateDefinition | undefined): LockEntry {
  const { key, parts } = planTemplate(s, d, undefined);
  return { key, parts, status: 'completed', attempt: 1, translations: {}, output: { path: 'out/w.mp4', sha256: 'x', size: 3 } };
}

function planOne(s: VideoSpec, entry: LockEntry | undefined, d: TemplateDefinition | undefined) {
  const lock = emptyLockfile();
  if (entry) lock.videos.w = entry;
  const templates = new Map(d ? [['tpl', d]] : []);
  return plan({ specs: [s], lock, outputs: new Map([['out/w.mp4', 3]]), engine: 'avatar_iv', scenes: true, templates }).items[0]!;
}

describe('template videos in the plan', () => {
  it('a new definition digest is an update saying "template changed"; the same one is unchanged', () => {
    const s = spec({ name: 'Ada' });
    const entry = recorded(s, def('Hi {{name}}', 'd1'));
    expect(planOne(s, entry, def('Hi {{name}}', 'd1')).action).toBe('unchanged');
    expect(planOne(s, entry, def('Hello there {{name}}', 'd2'))).toMatchObject({ action: 'update', reasons: ['template changed (edited in HeyGen)'] });
  });

  it('a variable edit names the variable; the frame size and defaults-only settings do not matter', () => {
    const entry = recorded(spec({ name: 'Ada' }), def('Hi {{name}}', 'd1'));
    expect(planOne(spec({ name: 'Bob' }), entry, def('Hi {{name}}', 'd1'))).toMatchObject({ action: 'update', reasons: ['template.variables.name'] });
    expect(planOne(spec({ name: 'Ada' }, { dimension: { width: 1920, height: 1080 } }), entry, def('Hi {{name}}', 'd1')).action).toBe('unchanged');
  });

  it('without a definition, the digest last recorded stands in (unchanged); never recorded, the manifest alone', () => {
    const s = spec({ name: 'Ada' });
    const entry = recorded(s, def('Hi {{name}}', 'd1'));
    expect(entry.parts[TEMPLATE_DEFINITION_PART]).toBe('d1');
    expect(planOne(s, entry, undefined).action).toBe('unchanged');
    expect(planOne(s, undefined, undefined)).toMatchObject({ action: 'create', estimate: { seconds: 30, credits: 3 } });
  });

  it('is priced from the filled-in scripts of the rendered scenes, and never planned scene by scene', () => {
    const item = planOne(spec({ name: 'Ada Lovelace' }), undefined, def('one two three {{name}} <break time="2s"/>', 'd'));
    // 5 words at 150 a minute (2 s) plus a 2 s break.
    expect(item.estimate).toEqual({ seconds: 4, credits: 0.4 });
    expect(item.scenes).toBeUndefined();
  });
});
