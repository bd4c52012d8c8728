/**
 * `watch()` on a real temp project with real chokidar: what is re-rendered after an edit, what an invalid
 * edit, a config edit or a deletion does, and that the watch never reacts to its own writes.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject } from '../../src/api/project.js';
import { contentKey } from '../../src/hash/index.js';
import { watch, type VideoView, type WatchHandle } from '../../src/watch/index.js';
import { fixtureProject, recorder, removeProject, writePng, type Recorder } from './helpers.js';

const ALPHA = 'videos/alpha.yaml';
const manifest = (title: string, script: string): string => `title: ${title}\nscenes:\n  - script: ${script}\n`;

let dir = '';
let handle: WatchHandle | undefined;

afterEach(async () => {
  await handle?.close();
  handle = undefined;
  if (dir) removeProject(dir);
  dir = '';
});

async function start(opts: { debounceMs?: number } = {}): Promise<Recorder> {
  dir = fixtureProject();
  const rec = recorder();
  handle = await watch({ cwd: dir, emit: rec.emit, debounceMs: opts.debounceMs ?? 50 });
  await rec.waitFor('run-end', (e) => e.run === 1);
  await handle.whenIdle();
  return rec;
}

/** A link's target, or '' when it went away meanwhile (an fd closed while listing). */
function readlinkOr(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return '';
  }
}

function readFileOr(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('watch', () => {
  it('builds every draft first, then re-renders only the edited manifest', async () => {
    const rec = await start();
    const initial = rec.since('change', 0)[0];
    expect(initial).toMatchObject({ initial: true, render: ['alpha', 'beta'] });
    const betaDraft = join(dir, 'out/beta.draft.mp4');
    const before = statSync(betaDraft);
    const betaSha = sha256(betaDraft);

    expect(rec.since('run-start', 0)[0]?.sinceEventMs).toBeNull(); // the initial build follows no edit

    const m = rec.mark();
    const savedAt = performance.now();
    writeFileSync(join(dir, ALPHA), manifest('Alpha', 'A new line for alpha only.'));
    const change = await rec.waitFor('change', () => true, m);
    expect(change).toMatchObject({ files: [ALPHA], render: ['alpha'], initial: false });
    const started = await rec.waitFor('run-start', () => true, m);
    const seenAt = performance.now();
    expect(started.ids).toEqual(['alpha']);
    // The reported save-to-render latency: rendering waited for the 50 ms debounce after the save was
    // seen, and cannot exceed the time since the test saved.
    expect(started.sinceEventMs).toBeGreaterThanOrEqual(49); // timers have 1 ms granularity
    expect(started.sinceEventMs).toBeLessThanOrEqual(seenAt - savedAt);
    const end = await rec.waitFor('run-end', (e) => e.run === change.run, m);
    expect(end).toMatchObject({ ok: true, rendered: ['alpha'], cached: [], failed: [] });

    // beta was not touched: no event about it, and its draft is the same file with the same bytes.
    const aboutBeta = rec.events.slice(m).filter((e) => 'id' in e && e.id.startsWith('beta'));
    expect(aboutBeta).toEqual([]);
    const after = statSync(betaDraft);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(sha256(betaDraft)).toBe(betaSha);
    const alpha = handle!.state.videos.find((v) => v.id === 'alpha');
    expect(alpha).toMatchObject({ status: 'ready', output: 'out/alpha.draft.mp4', version: sha256(join(dir, 'out/alpha.draft.mp4')) });
  });

  it('reports an invalid edit with its location, keeps watching, and rebuilds on the fix', async () => {
    const rec = await start();
    let m = rec.mark();
    // A half-written save: the YAML stops in the middle of a flow sequence.
    writeFileSync(join(dir, ALPHA), 'title: Alpha\nscenes:\n  - script: [Hello, th');
    const invalid = await rec.waitFor('invalid', () => true, m);
    expect(invalid.files).toEqual([ALPHA]);
    const loc = invalid.diagnostics[0]?.location;
    expect(loc?.file).toBe(ALPHA);
    expect(loc?.line).toBeGreaterThanOrEqual(3);
    expect(loc?.column).toBeGreaterThanOrEqual(1);
    await handle!.whenIdle();
    expect(rec.since('run-start', m)).toEqual([]);
    expect(handle!.state.videos.find((v) => v.id === 'alpha')?.status).toBe('invalid');
    expect(handle!.state.diagnostics.length).toBeGreaterThan(0);

    // A schema error is reported the same way.
    m = rec.mark();
    writeFileSync(join(dir, ALPHA), 'title: Alpha\nscenes:\n  - scirpt: Hello\n');
    const schema = await rec.waitFor('invalid', () => true, m);
    expect(schema.diagnostics[0]?.location).toMatchObject({ file: ALPHA, line: 3 });

    m = rec.mark();
    writeFileSync(join(dir, ALPHA), manifest('Alpha', 'Fixed and rendered again.'));
    const started = await rec.waitFor('run-start', () => true, m);
    expect(started.ids).toEqual(['alpha']);
    await rec.waitFor('run-end', (e) => e.run === started.run && e.ok, m);
    await handle!.whenIdle();
    expect(handle!.state.diagnostics).toEqual([]);
    expect(handle!.state.videos.find((v) => v.id === 'alpha')?.status).toBe('ready');
  });

  it("a new manifest that takes another's id renders neither: the old draft stays, both marked invalid", async () => {
    const rec = await start();
    const alphaDraft = join(dir, 'out/alpha.draft.mp4');
    const before = sha256(alphaDraft);
    // 'videos/a-copy.yaml' sorts before 'videos/alpha.yaml': by path, it would have won the id.
    let m = rec.mark();
    writeFileSync(join(dir, 'videos/a-copy.yaml'), `id: alpha\n${manifest('Impostor', 'Not what alpha says.')}`);
    const invalid = await rec.waitFor('invalid', () => true, m);
    expect(invalid.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([
      ['E_DUPLICATE_ID', 'videos/a-copy.yaml'],
      ['E_DUPLICATE_ID', ALPHA],
    ]);
    await handle!.whenIdle();
    expect(rec.since('run-start', m)).toEqual([]);
    expect(sha256(alphaDraft)).toBe(before);
    expect(handle!.state.videos.find((v) => v.id === 'alpha')).toMatchObject({ status: 'invalid', output: 'out/alpha.draft.mp4' });

    // Given an id of its own, the new one is built and alpha is valid again (unchanged: not rendered).
    m = rec.mark();
    writeFileSync(join(dir, 'videos/a-copy.yaml'), `id: alpha-copy\n${manifest('Copy', 'A video of its own.')}`);
    const started = await rec.waitFor('run-start', () => true, m);
    expect(started.ids).toEqual(['alpha-copy']);
    await rec.waitFor('run-end', (e) => e.run === started.run && e.ok, m);
    await handle!.whenIdle();
    expect(handle!.state.videos.find((v) => v.id === 'alpha')?.status).toBe('ready');
    expect(sha256(alphaDraft)).toBe(before);
  });

  it('reloads the config: new defaults re-render, new globs are watched', async () => {
    const rec = await start();
    const config = join(dir, 'heygen.config.ts');
    let m = rec.mark();
    writeFileSync(config, readFileSync(config, 'utf8').replace("'#112233'", "'#445566'"));
    await rec.waitFor('config-reloaded', (e) => e.file === 'heygen.config.ts', m);
    // Only alpha uses the default background (beta has an image).
    const started = await rec.waitFor('run-start', () => true, m);
    expect(started.ids).toEqual(['alpha']);
    await rec.waitFor('run-end', (e) => e.run === started.run && e.ok, m);
    await handle!.whenIdle();

    // Point the manifests somewhere else: the old videos leave, a manifest in the new folder is built.
    mkdirSync(join(dir, 'clips'));
    writeFileSync(join(dir, 'clips/gamma.yaml'), manifest('Gamma', 'Gamma joins the party.'));
    m = rec.mark();
    writeFileSync(config, readFileSync(config, 'utf8').replace("'videos/**/*.yaml'", "'clips/**/*.yaml'"));
    const gamma = await rec.waitFor('run-start', () => true, m);
    expect(gamma.ids).toEqual(['gamma']);
    expect(rec.since('removed', m).map((e) => e.file).sort()).toEqual(['videos/alpha.yaml', 'videos/beta.yaml']);
    await rec.waitFor('run-end', (e) => e.run === gamma.run && e.ok, m);
    await handle!.whenIdle();

    // The new folder is watched, the old one no longer counts.
    m = rec.mark();
    writeFileSync(join(dir, 'clips/delta.yaml'), manifest('Delta', 'Delta arrives later.'));
    const delta = await rec.waitFor('run-start', () => true, m);
    expect(delta.ids).toEqual(['delta']);
  });

  it('reports a deleted manifest and builds a new one', async () => {
    const rec = await start();
    let m = rec.mark();
    rmSync(join(dir, 'videos/beta.yaml'));
    const removed = await rec.waitFor('removed', () => true, m);
    expect(removed).toMatchObject({ file: 'videos/beta.yaml', ids: ['beta'] });
    await handle!.whenIdle();
    expect(handle!.state.videos.map((v) => v.id)).toEqual(['alpha']);

    m = rec.mark();
    mkdirSync(join(dir, 'videos/more'));
    writeFileSync(join(dir, 'videos/more/gamma.yaml'), manifest('Gamma', 'A brand new video.'));
    const started = await rec.waitFor('run-start', () => true, m);
    expect(started.ids).toEqual(['more/gamma']);
  });

  it('waits on a deleted asset and re-renders when it comes back changed', async () => {
    const rec = await start();
    const png = join(dir, 'assets/bg.png');
    let m = rec.mark();
    rmSync(png);
    const invalid = await rec.waitFor('invalid', () => true, m);
    expect(invalid.diagnostics.map((d) => d.code)).toContain('E_ASSET_MISSING');
    expect(invalid.diagnostics[0]?.location?.file).toBe('videos/beta.yaml');

    m = rec.mark();
    writePng(png, '0xaa3300');
    const started = await rec.waitFor('run-start', () => true, m);
    expect(started.ids).toEqual(['beta']);
    await rec.waitFor('run-end', (e) => e.run === started.run && e.ok, m);
  });

  it('sees a missing asset appear in a folder that did not exist yet', async () => {
    const rec = await start();
    const beta = join(dir, 'videos/beta.yaml');
    let m = rec.mark();
    writeFileSync(beta, readFileSync(beta, 'utf8').replace('../assets/bg.png', '../assets/slides/new/bg.png'));
    const invalid = await rec.waitFor('invalid', () => true, m);
    expect(invalid.diagnostics.map((d) => d.code)).toEqual(['E_ASSET_MISSING']);
    await handle!.whenIdle();

    // The writer makes the folder, then exports the image into it: that fixes beta with no other save.
    m = rec.mark();
    writePng(join(dir, 'assets/slides/new/bg.png'), '0x00aa33');
    const started = await rec.waitFor('run-start', () => true, m, 5_000);
    expect(started.ids).toEqual(['beta']);
    await rec.waitFor('run-end', (e) => e.run === started.run && e.ok, m);
  });

  it('never reacts to its own writes: outputs, .heygen/, the lockfile, temp files', async () => {
    dir = fixtureProject();
    // The out folder inside the watched manifest folder: the hardest case for a watcher.
    const config = join(dir, 'heygen.config.ts');
    writeFileSync(config, readFileSync(config, 'utf8').replace("outDir: 'out'", "outDir: 'videos/out'"));
    const rec = recorder();
    handle = await watch({ cwd: dir, emit: rec.emit, debounceMs: 50 });
    await rec.waitFor('run-end', (e) => e.run === 1);
    await handle.whenIdle();
    const m = rec.mark();
    // (Not alpha's own draft: that is hard-linked to the draft cache, and clobbering it is a real change.)
    const noise = [
      'videos/out/zeta.draft.mp4',
      'videos/out/extra.yaml',
      'videos/out/nested/deep.yaml',
      '.heygen/drafts/x.json',
      '.heygen/tmp/y.yaml',
      'heygen.lock.yaml',
      '.heygen.lock.yaml.123.abc.tmp',
      'videos/.alpha.yaml.swp',
      'videos/alpha.yaml~',
      'videos/.alpha.yaml.1a2b.part',
      'videos/alpha.yaml.tmp',
    ];
    for (const f of noise) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), 'title: noise\n');
    }
    // A real save after the noise: its run must be the only one, and about it alone.
    writeFileSync(join(dir, 'videos/beta.yaml'), readFileSync(join(dir, 'videos/beta.yaml')));
    const change = await rec.waitFor('change', () => true, m);
    expect(change).toMatchObject({ files: ['videos/beta.yaml'], upToDate: true, render: [] });
    await handle.whenIdle();
    expect(rec.since('change', m)).toHaveLength(1);
  });

  it('coalesces a burst of saves into few runs and ends on the last content', async () => {
    // Saves 10 ms apart, well inside the debounce even when a loaded machine stretches the sleeps.
    const rec = await start({ debounceMs: 300 });
    const m = rec.mark();
    const file = join(dir, ALPHA);
    for (let i = 0; i < 50; i++) {
      writeFileSync(file, manifest('Alpha', `Take number ${i} of the alpha script.`));
      await new Promise((r) => setTimeout(r, 10));
    }
    writeFileSync(file, manifest('Alpha', 'The final words of alpha.'));
    await rec.waitFor('run-start', () => true, m);
    await handle!.whenIdle();
    const runs = rec.since('change', m);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThanOrEqual(3);

    // The draft on disk is the one for the final content.
    const project = await openProject({ cwd: dir, cache: false });
    const job = { key: contentKey(project.specs.find((s) => s.id === 'alpha')!) };
    const alpha = handle!.state.videos.find((v) => v.id === 'alpha')!;
    expect(alpha).toMatchObject({ status: 'ready', key: job.key });
    const meta = JSON.parse(readFileSync(join(dir, '.heygen/drafts', `${job.key}.json`), 'utf8')) as { sha256: string };
    expect(sha256(join(dir, 'out/alpha.draft.mp4'))).toBe(meta.sha256);
  });

  it('a restart renders nothing when the drafts on disk are current', async () => {
    await start();
    await handle!.close();
    const rec = recorder();
    handle = await watch({ cwd: dir, emit: rec.emit, debounceMs: 50 });
    await handle.whenIdle();
    expect(rec.since('change', 0)).toEqual([expect.objectContaining({ initial: true, upToDate: true, render: [], restore: [] })]);
    expect(rec.since('run-start', 0)).toEqual([]);
    expect(handle.state.videos.map((v) => [v.id, v.status])).toEqual([
      ['alpha', 'ready'],
      ['beta', 'ready'],
    ]);
    // A deleted draft comes back from the cache, without rendering.
    const m = rec.mark();
    rmSync(join(dir, 'out/alpha.draft.mp4'));
    writeFileSync(join(dir, ALPHA), readFileSync(join(dir, ALPHA)));
    expect(await rec.waitFor('change', () => true, m)).toMatchObject({ render: [], restore: ['alpha'] });
    expect(await rec.waitFor('run-end', () => true, m)).toMatchObject({ ok: true, rendered: [], cached: ['alpha'] });
  });

  it('a script edit that keeps the length makes a new draft (no espeak-ng: the words are on the frame), and the state says it was built again', async () => {
    const rec = await start();
    const before = handle!.state.videos.find((v) => v.id === 'alpha')!;
    expect(before.builtAt).toBeDefined();
    const m = rec.mark();
    // Same number of words, so the same estimated length: only the words differ.
    writeFileSync(join(dir, ALPHA), manifest('Alpha', 'Hullo there from alpha.'));
    const change = await rec.waitFor('change', () => true, m);
    expect(change.render).toEqual(['alpha']);
    await rec.waitFor('run-end', (e) => e.run === change.run && e.ok, m);
    await handle!.whenIdle();
    const after = handle!.state.videos.find((v) => v.id === 'alpha')!;
    expect(after.status).toBe('ready');
    expect(after.version).toBe(sha256(join(dir, 'out/alpha.draft.mp4')));
    expect(after.version).not.toBe(before.version);
    expect(after.builtAt! > before.builtAt!).toBe(true);
  });

  it('makes a draft the page shows again when it is deleted: the output from the cache, the cache entry by rendering', async () => {
    const rec = await start();
    const draft = join(dir, 'out/alpha.draft.mp4');
    const alpha = (): VideoView => handle!.state.videos.find((v) => v.id === 'alpha')!;
    const shown = alpha();

    let m = rec.mark();
    rmSync(draft);
    const restore = await rec.waitFor('change', () => true, m, 5_000);
    expect(restore).toMatchObject({ files: ['out/alpha.draft.mp4'], render: [], restore: ['alpha'] });
    expect(await rec.waitFor('run-end', (e) => e.run === restore.run, m)).toMatchObject({ ok: true, rendered: [], cached: ['alpha'] });
    await handle!.whenIdle();
    expect(sha256(draft)).toBe(shown.version);

    // The cache's copy: rendered again (the same bytes), and the page told it was built again.
    m = rec.mark();
    const cached = `.heygen/drafts/${shown.key}.mp4`;
    rmSync(join(dir, cached));
    const render = await rec.waitFor('change', () => true, m, 5_000);
    expect(render).toMatchObject({ files: [cached], render: ['alpha'], restore: [] });
    expect(await rec.waitFor('run-end', (e) => e.run === render.run, m)).toMatchObject({ ok: true, rendered: ['alpha'] });
    await handle!.whenIdle();
    expect(statSync(join(dir, cached)).size).toBeGreaterThan(0);
    expect(alpha()).toMatchObject({ status: 'ready', version: shown.version });
    expect(alpha().builtAt! > shown.builtAt!).toBe(true);

    // A removed video's draft is not the watch's any more: it stays, and deleting it starts nothing.
    rmSync(join(dir, 'videos/beta.yaml'));
    await rec.waitFor('removed', () => true, m);
    await handle!.whenIdle();
    expect(statSync(join(dir, 'out/beta.draft.mp4')).size).toBeGreaterThan(0);
    m = rec.mark();
    rmSync(join(dir, 'out/beta.draft.mp4'));
    await new Promise((r) => setTimeout(r, 300)); // more than the debounce: a run would have started
    await handle!.whenIdle();
    expect(rec.since('change', m)).toEqual([]);
  });

  it.skipIf(process.platform !== 'linux')('keeps the same file descriptors and inotify watches across edits and restored drafts, and is idle when idle', async () => {
    const rec = await start();
    // Every inotify watch of this process (chokidar's and the guard's), from /proc.
    const watches = (): number =>
      readdirSync('/proc/self/fd')
        .filter((fd) => readlinkOr(`/proc/self/fd/${fd}`) === 'anon_inode:inotify')
        .reduce((n, fd) => n + (readFileOr(`/proc/self/fdinfo/${fd}`).match(/^inotify wd:/gm)?.length ?? 0), 0);
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const before = { fds: fds(), watches: watches() };
    expect(before.watches).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      const m = rec.mark();
      writeFileSync(join(dir, ALPHA), manifest('Alpha', `Take ${i} of the alpha script.`));
      await rec.waitFor('run-end', () => true, m);
      await handle!.whenIdle();
      // And the draft deleted and placed again, folder and all.
      const r = rec.mark();
      rmSync(join(dir, 'out'), { recursive: true });
      await rec.waitFor('run-end', (e) => e.cached.length === 2, r, 5_000);
      await handle!.whenIdle();
    }
    expect({ fds: fds(), watches: watches() }).toEqual(before);
    // No polling: a second of idling costs next to nothing.
    const cpu = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1000));
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(100);
  });

  it('a removed translation leaves the state; its draft stays where it is and is not made again', async () => {
    dir = fixtureProject();
    writeFileSync(join(dir, ALPHA), `${manifest('Alpha', 'Hello there from alpha.')}translations: [es, fr]\n`);
    const rec = recorder();
    handle = await watch({ cwd: dir, emit: rec.emit, debounceMs: 50 });
    await rec.waitFor('run-end', (e) => e.run === 1);
    await handle.whenIdle();
    const langs = (): string[] | undefined => handle!.state.videos.find((v) => v.id === 'alpha')?.translations.map((t) => t.id);
    expect(langs()).toEqual(['alpha@es', 'alpha@fr']);

    let m = rec.mark();
    writeFileSync(join(dir, ALPHA), `${manifest('Alpha', 'Hello there from alpha.')}translations: [es]\n`);
    expect(await rec.waitFor('change', () => true, m)).toMatchObject({ render: [], restore: [], upToDate: true });
    await handle.whenIdle();
    expect(langs()).toEqual(['alpha@es']);
    // `build` leaves the output of a removed language: so does the watch.
    const fr = join(dir, 'out/alpha.fr.draft.mp4');
    expect(statSync(fr).size).toBeGreaterThan(0);
    m = rec.mark();
    rmSync(fr);
    await new Promise((r) => setTimeout(r, 300));
    await handle.whenIdle();
    expect(rec.since('change', m)).toEqual([]);
  });

  it('starts watching a manifest folder created after it started', async () => {
    dir = fixtureProject();
    const config = join(dir, 'heygen.config.ts');
    writeFileSync(config, readFileSync(config, 'utf8').replace("'videos/**/*.yaml'", "'later/**/*.yaml'"));
    const rec = recorder();
    handle = await watch({ cwd: dir, emit: rec.emit, debounceMs: 50 });
    await rec.waitFor('run-end', (e) => e.run === 1);
    expect(rec.since('change', 0)[0]).toMatchObject({ upToDate: true, render: [] });
    await handle.whenIdle();

    let m = rec.mark();
    mkdirSync(join(dir, 'later'));
    writeFileSync(join(dir, 'later/first.yaml'), manifest('First', 'The first one to arrive.'));
    expect((await rec.waitFor('run-start', () => true, m)).ids).toEqual(['first']);
    await handle.whenIdle();
    m = rec.mark();
    writeFileSync(join(dir, 'later/second.yaml'), manifest('Second', 'And then a second one.'));
    expect((await rec.waitFor('run-start', () => true, m)).ids).toEqual(['second']);
  });

  it('closes on abort and then ignores changes', async () => {
    dir = fixtureProject();
    const rec = recorder();
    const ac = new AbortController();
    handle = await watch({ cwd: dir, emit: rec.emit, signal: ac.signal, debounceMs: 20 });
    await handle.whenIdle();
    ac.abort();
    await handle.close();
    expect(handle.state.status).toBe('closed');
    const m = rec.mark();
    writeFileSync(join(dir, ALPHA), manifest('Alpha', 'Nobody is watching now.'));
    // Nothing to wait for by design: give a would-be run more than its debounce to show up.
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.since('change', m)).toEqual([]);
  });
});
