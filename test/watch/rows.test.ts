/**
 * `watch()` over a rows manifest: a one-cell edit in the data file re-renders that row's draft only,
 * and the preview state carries each row's group.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watch, type WatchHandle } from '../../src/watch/index.js';
import { renderPage } from '../../src/watch/preview/page.js';
import { fixtureProject, recorder, removeProject } from './helpers.js';

let dir = '';
let handle: WatchHandle | undefined;

afterEach(async () => {
  await handle?.close();
  handle = undefined;
  if (dir) removeProject(dir);
  dir = '';
});

describe('watch with rows', () => {
  it('a one-cell edit in the data file re-renders one draft', async () => {
    dir = fixtureProject();
    writeFileSync(join(dir, 'videos', 'people.csv'), 'id,name\np1,Ann\np2,Bo\np3,Cy\n');
    writeFileSync(join(dir, 'videos', 'hi.yaml'), 'rows: people.csv\nid: hi/{{ id }}\nscenes:\n  - script: Hello {{ name }}.\n');
    const rec = recorder();
    handle = await watch({ cwd: dir, emit: rec.emit, debounceMs: 50 });
    await rec.waitFor('run-end', (e) => e.run === 1);
    await handle.whenIdle();
    expect(rec.since('change', 0)[0]?.render).toEqual(expect.arrayContaining(['hi/p1', 'hi/p2', 'hi/p3']));
    const p1 = statSync(join(dir, 'out/hi/p1.draft.mp4'));
    const rows = handle.state.videos.filter((v) => v.id.startsWith('hi/'));
    expect(rows.map((v) => v.group)).toEqual(['hi/*', 'hi/*', 'hi/*']);
    expect(renderPage(handle.state)).toContain('id="groups"');

    const m = rec.mark();
    const csv = join(dir, 'videos', 'people.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('p2,Bo', 'p2,Bob'));
    const change = await rec.waitFor('change', () => true, m);
    expect(change.render).toEqual(['hi/p2']);
    const end = await rec.waitFor('run-end', (e) => e.run === change.run, m);
    expect(end).toMatchObject({ ok: true, rendered: ['hi/p2'], failed: [] });
    expect(statSync(join(dir, 'out/hi/p1.draft.mp4')).mtimeMs).toBe(p1.mtimeMs);

    // A broken data file (a quote left open mid-edit): the rows stay on the page with their drafts, marked invalid.
    const good = readFileSync(csv, 'utf8');
    const broke = rec.mark();
    writeFileSync(csv, `${good}p4,"Dee\n`);
    const invalid = await rec.waitFor('invalid', () => true, broke);
    expect(invalid.files).toEqual(['videos/people.csv']);
    await handle.whenIdle();
    const kept = handle.state.videos.filter((v) => v.id.startsWith('hi/'));
    expect(kept.map((v) => [v.id, v.status, v.output])).toEqual([
      ['hi/p1', 'invalid', 'out/hi/p1.draft.mp4'],
      ['hi/p2', 'invalid', 'out/hi/p2.draft.mp4'],
      ['hi/p3', 'invalid', 'out/hi/p3.draft.mp4'],
    ]);
    expect(kept[0]?.error).toMatch(/^E_ROWS_DATA: /);

    const fixed = rec.mark();
    writeFileSync(csv, good);
    await rec.waitFor('change', (e) => e.upToDate, fixed);
    await handle.whenIdle();
    expect(handle.state.videos.filter((v) => v.id.startsWith('hi/')).map((v) => v.status)).toEqual(['ready', 'ready', 'ready']);

    // A row deleted from the data file leaves the page; its draft stays (as `build` leaves it), nothing is rendered.
    const removed = rec.mark();
    writeFileSync(csv, good.replace('p3,Cy\n', ''));
    expect(await rec.waitFor('change', () => true, removed)).toMatchObject({ render: [], restore: [], upToDate: true });
    await handle.whenIdle();
    expect(handle.state.videos.filter((v) => v.id.startsWith('hi/')).map((v) => v.id)).toEqual(['hi/p1', 'hi/p2']);
    expect(statSync(join(dir, 'out/hi/p3.draft.mp4')).size).toBeGreaterThan(0);
    expect(rec.since('run-start', removed)).toEqual([]);
  });
});
