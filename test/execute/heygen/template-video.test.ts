/**
 * A template video reaching the build without its definition (the checks that stop a build first were
 * skipped) fails with E_TEMPLATE at the template's place in the manifest, as plan-time template errors
 * are: in the item's failure line (errorInfo) and on the command line (formatError).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatError } from '../../../src/cli/errors.js';
import { HeygenBuildError } from '../../../src/errors.js';
import { errorInfo } from '../../../src/execute/failure.js';
import type { RunContext } from '../../../src/execute/heygen/context.js';
import { runTemplateVideo } from '../../../src/execute/heygen/template-video.js';
import { loadManifests } from '../../../src/manifest/index.js';
import type { PlanItem } from '../../../src/model/plan.js';
import { makeConfig } from '../../manifest/config.js';
import { cleanup, makeProject } from '../../manifest/helpers.js';

const roots: string[] = [];
afterAll(() => roots.forEach(cleanup));

async function failure(files: Record<string, string>, defaults: Record<string, unknown> = {}): Promise<HeygenBuildError> {
  const root = makeProject(files);
  roots.push(root);
  const config = { ...makeConfig(root), defaults };
  const { specs, diagnostics } = await loadManifests(Object.keys(files).map((f) => path.join(root, f)), { config, manifestsRoot: '.', cache: false });
  expect(diagnostics).toEqual([]);
  const spec = specs[0]!;
  // Only what runTemplateVideo reads before it refuses: the item's action. The context is not reached.
  const item = { kind: 'video', id: spec.id, videoId: spec.id, action: 'create', reasons: [] } as unknown as PlanItem;
  const e: unknown = await runTemplateVideo({} as RunContext, spec, item, undefined).then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(HeygenBuildError);
  return e as HeygenBuildError;
}

describe('a template video built without its definition', () => {
  it('fails with E_TEMPLATE at the template id in the manifest, and says what to do', async () => {
    const e = await failure({ 'videos/promo.yaml': '# promo\ntemplate:\n  id: tpl_promo\n  variables:\n    name: Ada\n' });
    expect(e.code).toBe('E_TEMPLATE');
    expect(e.location).toEqual({ file: 'videos/promo.yaml', line: 3, column: 7 });
    const failed = errorInfo(e);
    expect(failed.message).toBe('videos/promo.yaml:3:7: videos/promo: template "tpl_promo" could not be read from HeyGen, so it cannot be rendered');
    expect(failed.hint).toMatch(/^run `heygen-build plan` to check the template against HeyGen \(GET \/v3\/templates\/tpl_promo\)/);
    // The place is said once on the command line too.
    expect(formatError(e)).toMatch(/^error \[E_TEMPLATE\] videos\/promo\.yaml:3:7: videos\/promo: template "tpl_promo" could not be read/);
    expect(formatError(e).match(/videos\/promo\.yaml:3:7/g)).toHaveLength(1);
  });

  it('a template the config defaults bring is placed at the config, saying so', async () => {
    const e = await failure({ 'a.yaml': 'title: A\ntemplate:\n  variables:\n    name: Ada\n' }, { template: { id: 'tpl_1', variables: {} } });
    expect(errorInfo(e).message).toBe('heygen.config.ts:1:1: a: template "tpl_1" could not be read from HeyGen, so it cannot be rendered (from defaults in heygen.config.ts)');
  });
});
