/** `template:` manifests: exactly one of scenes and template, positions kept for the plan's checks, no avatar/voice/background. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/errors.js';
import { templateProblems } from '../../src/execute/heygen/template-checks.js';
import { loadManifests } from '../../src/manifest/index.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject } from './helpers.js';

const roots: string[] = [];
afterAll(() => roots.forEach(cleanup));

async function load(files: Record<string, string>, defaults: Record<string, unknown> = {}) {
  const root = makeProject(files);
  roots.push(root);
  const config = { ...makeConfig(root), defaults };
  return loadManifests(Object.keys(files).map((f) => path.join(root, f)), { config, manifestsRoot: '.', cache: false });
}

describe('template manifests', () => {
  it('resolve to a spec with the template, its positions, and no scenes', async () => {
    const r = await load({ 'a.yaml': 'title: A\ntemplate:\n  id: tpl_welcome\n  variables:\n    first_name: Ada\n    price: 9.5\n  scenes: [s1, s2]\n  fps: 30\n' }, { background: '#000000', dimension: '1080p' });
    expect(r.diagnostics).toEqual([]);
    const t = r.specs[0]!.template!;
    expect(t).toMatchObject({ id: 'tpl_welcome', variables: { first_name: 'Ada', price: '9.5' }, sceneIds: ['s1', 's2'], fps: 30 });
    expect(t.at).toEqual({
      template: { line: 2, column: 1 },
      id: { line: 3, column: 7 },
      variableList: { line: 4, column: 3 },
      variables: { first_name: { line: 5, column: 5 }, price: { line: 6, column: 5 } },
      scenes: [{ line: 7, column: 12 }, { line: 7, column: 16 }],
    });
    // From the config's defaults: neither the background nor the size is forced on the template.
    expect(r.specs[0]!.background).toBeUndefined();
    expect(t.dimension).toBeUndefined();
    expect(r.specs[0]!.scenes).toEqual([]);
  });

  it('a manifest needs scenes or template, not both, and a template video takes no avatar', async () => {
    const r = await load({
      'none.yaml': 'title: Nothing\n',
      'both.yaml': 'template: { id: t, variables: {} }\nscenes:\n  - script: Hi\n',
      'avatar.yaml': 'avatar: Daisy-inskirt-20220818\ntemplate: { id: t, variables: { a: b } }\n',
    });
    const by = (f: string) => r.diagnostics.filter((d) => d.location?.file === f).map((d) => [d.code, d.location?.line, d.location?.column, d.message, d.hint]);
    expect(by('none.yaml')).toEqual([['E_MISSING_KEY', 1, 1, expect.stringContaining('needs one of "scenes", "template", "source" or "prompt"'), expect.stringContaining('`template:` to render a HeyGen template')]]);
    expect(by('both.yaml')).toEqual([['E_SCHEMA', 1, 1, expect.stringContaining('has both "scenes" and "template"'), expect.stringContaining('`template:` (a HeyGen template)')]]);
    expect(by('avatar.yaml')).toEqual([['E_SCHEMA', 1, 1, 'avatar does not apply to a template video: the template in HeyGen decides it', expect.stringContaining('character or voice variable')]]);
  });

  it('a template the config defaults bring is checked at the config, saying so, and its own variables at the manifest', async () => {
    const r = await load({ 'a.yaml': '# welcome\ntitle: A\ntemplate:\n  variables:\n    frist_name: Ada\n' }, { template: { id: 'tpl_1', variables: { company: 'Acme' } } });
    expect(r.diagnostics).toEqual([]);
    const def = { id: 'tpl_1', name: 'Hi', variables: { first_name: 'text', company: 'text' }, scenes: [], digest: 'd', origin: 'cached' as const };
    const where = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => [d.code, `${d.location?.file}:${d.location?.line}:${d.location?.column}`, d.message]);
    const [known] = templateProblems(r.specs, new Map([['tpl_1', def]]), 'v3');
    expect(where(known?.diagnostics)).toEqual([['E_TEMPLATE_VARIABLE', 'a.yaml:5:5', expect.stringContaining('has no variable "frist_name"')], ['E_TEMPLATE_VARIABLE', 'a.yaml:4:3', expect.stringContaining('needs variable "first_name"')]]);
    // Each fix is said once: the problem's hint is the first's, the other problem's hint is under it.
    expect(known?.hint).toMatch(/^write the template's variables as HeyGen names them/);
    expect(known?.message).toContain('a.yaml:4:3: template "Hi" (tpl_1) needs variable "first_name", missing from template.variables\n      hint: add first_name: ... under template.variables');
    expect(known?.message.match(/hint:/g)).toHaveLength(1);
    // The id is the defaults': HeyGen not having it is said at the config's `defaults:` (the test config's file).
    const [unknown] = templateProblems(r.specs, new Map([['tpl_1', null]]), 'v3');
    expect(where(unknown?.diagnostics)).toEqual([['E_TEMPLATE', 'heygen.config.ts:1:1', 'HeyGen has no template "tpl_1" (GET /v3/templates/tpl_1 answered 404) (from defaults in heygen.config.ts)']]);
  });
});
