/** `init --shards <n>`: the sharded workflow (the README's copy is the same file) and the merge driver's line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initProject } from '../../src/cli/init.js';
import { GITATTRIBUTES_LINE, SHARDED_WORKFLOW_PATH, shardedWorkflow } from '../../src/cli/init-shards.js';
import { REPO, tempProject } from '../helpers/cli.js';

interface Workflow {
  jobs: Record<string, { needs?: string; strategy?: { matrix: { shard: number[] } }; steps: { run?: string }[] }>;
}

describe('init --shards', () => {
  it('writes an n-job matrix workflow: plan, then the shards, then lock merge and commit', async () => {
    const dir = tempProject({});
    const steps = await initProject(dir, { shards: 3 });
    expect(steps.map((s) => `${s.result} ${s.path}`)).toContain(`created ${SHARDED_WORKFLOW_PATH}`);
    const wf = parse(readFileSync(join(dir, SHARDED_WORKFLOW_PATH), 'utf8')) as Workflow;
    expect(Object.keys(wf.jobs)).toEqual(['plan', 'build', 'merge']);
    expect(wf.jobs.build!.needs).toBe('plan');
    expect(wf.jobs.merge!.needs).toBe('build');
    expect(wf.jobs.build!.strategy!.matrix.shard).toEqual([0, 1, 2]);
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')).join('\n');
    expect(runs).toContain('heygen-build build --provider heygen --shard ${{ matrix.shard }}/3');
    expect(runs).toContain('heygen-build lock merge heygen.lock.shard-*.yaml');
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toBe(`${GITATTRIBUTES_LINE}\n`);
  });

  it('appends the merge driver to an existing .gitattributes once, and never overwrites the workflow', async () => {
    const dir = tempProject({ '.gitattributes': '*.png binary', [SHARDED_WORKFLOW_PATH]: 'mine\n' });
    await initProject(dir, { shards: 2 });
    const again = await initProject(dir, { shards: 2 });
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toBe(`*.png binary\n${GITATTRIBUTES_LINE}\n`);
    expect(readFileSync(join(dir, SHARDED_WORKFLOW_PATH), 'utf8')).toBe('mine\n');
    expect(again.find((s) => s.path === '.gitattributes')?.result).toBe('skipped');
  });

  it('the README shows exactly the workflow init writes for 4 shards', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const at = readme.indexOf('### A GitHub Actions matrix: plan, shards, merge');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(at))![1];
    expect(block).toBe(shardedWorkflow(4));
  });
});
