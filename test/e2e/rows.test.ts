/**
 * Rows against the emulator: one manifest over a CSV builds one video per row; editing one cell
 * re-renders that row only, an added row is one create and a removed row is one orphan.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { runCli } from '../helpers/cli.js';
import { emulator, posts } from './emulator.js';
import { makeProject } from './project.js';

const MANIFEST = `rows: customers.csv
id: welcome/{{ customer_id }}
avatar: presenter
background: "#112233"
scenes:
  - script: Hello {{ name }}, welcome to the {{ plan | upper }} plan.
`;

const CSV = ['customer_id,name,plan', 'ac-1,Ada,pro', 'ac-2,"Smith, Jane",free', 'ac-3,Bo,pro', 'ac-4,Cy,enterprise', ''].join('\n');

interface PlanJson {
  items: { id: string; action: string; reasons: string[]; group?: string }[];
}

async function planJson(dir: string, env: Record<string, string>): Promise<PlanJson> {
  const r = await runCli(['plan', '--json'], { cwd: dir, env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PlanJson;
}

const changed = (p: PlanJson): string[] => p.items.filter((i) => i.action !== 'unchanged').map((i) => `${i.action} ${i.id}`);

describe('rows (emulator)', () => {
  it('a one-cell edit, an added row and a removed row each touch exactly one video', async () => {
    const { emu, env } = await emulator({ renderMs: 50 });
    const dir = makeProject({ 'videos/welcome.yaml': MANIFEST, 'videos/customers.csv': CSV });
    const first = await runCli(['build'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(Object.keys(lock.videos).filter((id) => id.startsWith('welcome/')).sort()).toEqual(['welcome/ac-1', 'welcome/ac-2', 'welcome/ac-3', 'welcome/ac-4']);
    // A row's entry keeps one digest of its cells, not a digest per part.
    expect(Object.keys(lock.videos['welcome/ac-1']!.parts)).toEqual(['row']);

    const csv = join(dir, 'videos', 'customers.csv');
    writeFileSync(csv, CSV.replace('ac-3,Bo,pro', 'ac-3,Bob,pro'));
    const edited = await planJson(dir, env);
    expect(changed(edited)).toEqual(['update welcome/ac-3']);
    expect(edited.items.find((i) => i.id === 'welcome/ac-3')!.reasons[0]).toBe('row changed (videos/customers.csv:4)');
    const human = await runCli(['plan'], { cwd: dir, env });
    expect(human.stdout).toContain('welcome/* (4 rows): 1 update, 3 unchanged');
    // The group lists the changed row only; --all lists every row.
    expect(human.stdout).toMatch(/~ update\s+welcome\/ac-3/);
    expect(human.stdout).not.toContain('welcome/ac-1');
    const all = await runCli(['plan', '--all'], { cwd: dir, env });
    for (const id of ['ac-1', 'ac-2', 'ac-4']) expect(all.stdout).toMatch(new RegExp(`= unchanged\\s+welcome/${id}\\b`));
    const before = posts(emu, /^\/v3\/videos$/);
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/) - before).toBe(1);

    writeFileSync(csv, readFileSync(csv, 'utf8') + 'ac-5,Di,pro\n');
    expect(changed(await planJson(dir, env))).toEqual(['create welcome/ac-5']);
    const added = posts(emu, /^\/v3\/videos$/);
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/) - added, 'the new row, rendered once').toBe(1);

    writeFileSync(csv, readFileSync(csv, 'utf8').replace('ac-1,Ada,pro\n', ''));
    const removed = await planJson(dir, env);
    expect(changed(removed)).toEqual(['orphan welcome/ac-1']);
    const grouped = await runCli(['plan'], { cwd: dir, env });
    expect(grouped.stdout).toContain('welcome/* (4 rows): 1 orphan, 4 unchanged');
    const gone = posts(emu);
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    expect(posts(emu) - gone, 'a removed row pays for nothing').toBe(0);
  });

  it('changing the template re-renders only the rows whose filled result changed', async () => {
    const { emu, env } = await emulator({ renderMs: 50 });
    const manifest = `rows: customers.csv
id: welcome/{{ customer_id }}
avatar: presenter
background: "#112233"
scenes:
  - script: Hello {{ name }}.
  - script: Pro customers get priority support.
    when: {column: plan, equals: pro}
`;
    const dir = makeProject({ 'videos/welcome.yaml': manifest, 'videos/customers.csv': CSV });
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    // Only the scene pro rows have changes: ac-1 and ac-3 update, the others are unchanged.
    writeFileSync(join(dir, 'videos', 'welcome.yaml'), manifest.replace('priority support', 'priority support, day and night'));
    const p = await planJson(dir, env);
    expect(changed(p)).toEqual(['update welcome/ac-1', 'update welcome/ac-3']);
    expect(p.items.find((i) => i.id === 'welcome/ac-1')!.reasons[0]).toBe("template changed (this row's cells did not)");
    const before = posts(emu, /^\/v3\/videos$/);
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    // One new clip (the changed pro scene, shared by both pro rows); the greetings were reused.
    expect(posts(emu, /^\/v3\/videos$/) - before).toBe(1);
  });
});
