/**
 * `gc()`: what a long-lived checkout gets back from `.heygen/` (drafts of old edits, clips and
 * translations nothing records), and what it must never lose (the current drafts, every clip the
 * lockfile records, anything while manifests are broken or a build holds the lock).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/build.js';
import { gc } from '../../src/api/gc.js';
import { planProject } from '../../src/api/plan.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { acquireBuildLock } from '../../src/lockfile/buildlock.js';
import { urlCopyPath } from '../../src/execute/url-copy-path.js';
import { projectFactory } from '../helpers/cli.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: { width: 320, height: 180 } },
};
`;
const manifest = (script: string): string => `avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: ${script}\n`;
const project = projectFactory(CONFIG);
// The same project with a folder remote store inside `.heygen/remote/`: gc must leave its objects alone.
const withFolderStore = projectFactory(CONFIG.replace('manifests:', "remote: { url: 'file://.heygen/remote' },\n  manifests:"));
const drafts = (dir: string): string[] => readdirSync(join(dir, '.heygen', 'drafts')).filter((n) => n.endsWith('.mp4'));

// A lockfile recording one completed scene clip, written as a build writes it.
const CLIP = 'c'.repeat(64);
const LOCK = serializeLockfile({
  version: 3,
  videos: {},
  assets: {},
  clips: { [CLIP]: { kind: 'avatar', status: 'completed', attempt: 1, remoteId: 'v-1', file: { path: `.heygen/clips/${CLIP}.mp4`, sha256: '0'.repeat(64), size: 4 } } },
});

describe('gc()', () => {
  it('removes the draft of an old edit and keeps the current one, which stays unchanged', async () => {
    const dir = project({ 'videos/intro.yaml': manifest('Hello there.') });
    await build({ cwd: dir, env: {} });
    writeFileSync(join(dir, 'videos', 'intro.yaml'), manifest('Hello again.'));
    await build({ cwd: dir, env: {} });
    expect(drafts(dir)).toHaveLength(2);

    // Within the grace period both stay: a draft build may be writing one right now.
    const recent = await gc({ cwd: dir });
    expect(recent.removed).toEqual([]);
    expect(recent.recent).toBeGreaterThanOrEqual(2); // the old draft's .mp4 and .json at least

    const dry = await gc({ cwd: dir, dryRun: true, olderThanMs: 0 });
    expect(dry.removed.map((f) => f.area)).toContain('drafts');
    expect(drafts(dir)).toHaveLength(2);

    const done = await gc({ cwd: dir, olderThanMs: 0 });
    expect(done.removed.map((f) => f.path).sort()).toEqual(dry.removed.map((f) => f.path).sort());
    expect(done.bytes).toBeGreaterThan(0);
    expect(drafts(dir)).toHaveLength(1);
    const after = await planProject({ cwd: dir, env: {} });
    expect(after.plan?.items.map((i) => i.action)).toEqual(['unchanged']);
  });

  it('keeps every clip the lockfile records and removes the ones it does not', async () => {
    const dir = project({ 'videos/intro.yaml': manifest('Hello there.'), 'heygen.lock.yaml': LOCK });
    const clips = join(dir, '.heygen', 'clips');
    mkdirSync(clips, { recursive: true });
    writeFileSync(join(clips, `${CLIP}.mp4`), 'clip');
    writeFileSync(join(clips, `${CLIP}.srt`), '1\n');
    writeFileSync(join(clips, `${'d'.repeat(64)}.mp4`), 'old clip');
    writeFileSync(join(clips, `.${'e'.repeat(8)}.${process.pid}.0123456789ab.part`), 'a download in flight');
    const r = await gc({ cwd: dir, olderThanMs: 0 });
    expect(r.removed.map((f) => f.path)).toEqual([`.heygen/clips/${'d'.repeat(64)}.mp4`]);
    expect(readdirSync(clips).sort()).toEqual([`.${'e'.repeat(8)}.${process.pid}.0123456789ab.part`, `${CLIP}.mp4`, `${CLIP}.srt`].sort());
  });

  it('keeps a clip recorded only in the journal a build kept beside a conflicted lockfile (heygen.lock.unmerged.yaml)', async () => {
    // The conflict resolved by taking a side that lacks the clip: only the journal records it until the next build joins it in.
    const dir = project({ 'videos/intro.yaml': manifest('Hello there.'), 'heygen.lock.yaml': serializeLockfile({ version: 3, videos: {}, assets: {} }), 'heygen.lock.unmerged.yaml': LOCK });
    const clips = join(dir, '.heygen', 'clips');
    mkdirSync(clips, { recursive: true });
    writeFileSync(join(clips, `${CLIP}.mp4`), 'clip');
    writeFileSync(join(clips, `${'d'.repeat(64)}.mp4`), 'old clip');
    const r = await gc({ cwd: dir, olderThanMs: 0 });
    expect(r.removed.map((f) => f.path)).toEqual([`.heygen/clips/${'d'.repeat(64)}.mp4`]);
    expect(existsSync(join(clips, `${CLIP}.mp4`))).toBe(true);
  });

  it('removes a rows cache chunk that no index names (a run killed before its index was written), and counts its bytes', async () => {
    const rows = 'rows: people.csv\nid: hi/{{ id }}\navatar: presenter\nscenes:\n  - script: Hello {{ name }}.\n';
    const dir = project({ 'videos/hi.yaml': rows, 'videos/people.csv': 'id,name\n1,Ada\n2,Bob\n' });
    await planProject({ cwd: dir, env: {} });
    const cache = join(dir, '.heygen', 'cache', 'rows');
    const files = readdirSync(cache).sort();
    const index = files.find((n) => /^[0-9a-f]{24}\.json$/.test(n))!;
    const stem = index.slice(0, 24);
    const named = files.filter((n) => n !== index && n.startsWith(`${stem}.`));
    expect(named.length, 'the index names at least one chunk').toBeGreaterThan(0);
    // Chunks of this manifest that its index does not name: one a killed run left, one of an older edit.
    const stray = [`${stem}.${'a'.repeat(32)}.json`, `${stem}.${'b'.repeat(32)}.json`];
    for (const n of stray) writeFileSync(join(cache, n), '{"rows":"a chunk nothing reads"}');
    const r = await gc({ cwd: dir, olderThanMs: 0 });
    expect(r.removed.map((f) => f.path).sort()).toEqual(stray.map((n) => `.heygen/cache/rows/${n}`));
    expect(r.removed.every((f) => f.area === 'cache/rows')).toBe(true);
    expect(r.bytes).toBe(2 * Buffer.byteLength('{"rows":"a chunk nothing reads"}'));
    // The cache itself is whole: its index and every chunk it names stay, and the next plan reads them.
    expect(readdirSync(cache).sort()).toEqual(files);
    expect((await planProject({ cwd: dir, env: {} })).plan?.items.map((i) => i.id)).toEqual(['hi/1', 'hi/2']);
  });

  it('keeps the copy (and validators) of every URL a manifest, a row or a translated video names today, removes the others, and never touches what else is in .heygen/remote/', async () => {
    const cdn = 'https://cdn.example.com';
    const rows = `rows: people.csv\nid: hi/{{ id }}\navatar: presenter\nscenes:\n  - script: Hello {{ name }}.\n    background: { image: "${cdn}/{{ bg }}" }\n`;
    const translated = `avatar: presenter\nbackground: { image: ${cdn}/tour.png }\nscenes:\n  - audio: ${cdn}/intro.mp3?v=2\ntranslations: [es]\n`;
    const dir = withFolderStore({ 'videos/hi.yaml': rows, 'videos/people.csv': 'id,name,bg\n1,Ada,week-2.png\n2,Bob,week-2.jpg\n', 'videos/tour.yaml': translated });
    const today = [`${cdn}/week-2.png`, `${cdn}/week-2.jpg`, `${cdn}/tour.png`, `${cdn}/intro.mp3?v=2`];
    const old = [`${cdn}/week-1.png`, `${cdn}/intro.mp3?v=1`];
    const copy = (url: string): string => urlCopyPath(dir, url);
    mkdirSync(join(dir, '.heygen', 'remote'), { recursive: true });
    for (const url of [...today, ...old]) {
      writeFileSync(copy(url), 'picture bytes');
      writeFileSync(`${copy(url)}.json`, JSON.stringify({ url, etag: '"v1"', size: 13 }));
    }
    // Not copies: a download in flight, a user's note, and the folder store's objects.
    const others = [`.${'f'.repeat(32)}.png.${process.pid}.0123456789ab.part`, 'notes.txt', `cas/sha256/${'b'.repeat(64)}`, `records/${'c'.repeat(64)}.json`, `claims/${'c'.repeat(64)}`];
    for (const rel of others) {
      mkdirSync(join(dir, '.heygen', 'remote', rel, '..'), { recursive: true });
      writeFileSync(join(dir, '.heygen', 'remote', rel), 'not a copy');
    }
    const rel = (url: string): string[] => {
      const name = copy(url).slice(join(dir, '.heygen', 'remote').length + 1);
      return [`.heygen/remote/${name}`, `.heygen/remote/${name}.json`];
    };

    // Just fetched, they are kept as recent; a dry run lists them and removes nothing.
    expect((await gc({ cwd: dir })).removed).toEqual([]);
    const dry = await gc({ cwd: dir, dryRun: true, olderThanMs: 0 });
    expect(dry.removed.map((f) => f.path).sort()).toEqual(old.flatMap(rel).sort());
    expect(old.every((url) => existsSync(copy(url)))).toBe(true);

    const r = await gc({ cwd: dir, olderThanMs: 0 });
    expect(r.removed.map((f) => f.path).sort()).toEqual(old.flatMap(rel).sort());
    expect(r.removed.every((f) => f.area === 'remote')).toBe(true);
    for (const url of old) expect(existsSync(copy(url)) || existsSync(`${copy(url)}.json`)).toBe(false);
    for (const url of today) expect(existsSync(copy(url)) && existsSync(`${copy(url)}.json`)).toBe(true);
    for (const o of others) expect(existsSync(join(dir, '.heygen', 'remote', o)), o).toBe(true);
  });

  it('removes nothing while a manifest has an error, or while a build holds the lock', async () => {
    const dir = project({ 'videos/intro.yaml': manifest('Hello there.'), 'videos/bad.yaml': 'scenes: 3\n' });
    const old = join(dir, '.heygen', 'drafts', `${'a'.repeat(64)}.mp4`);
    mkdirSync(join(old, '..'), { recursive: true });
    writeFileSync(old, 'old draft');
    await expect(gc({ cwd: dir, olderThanMs: 0 })).rejects.toMatchObject({ code: 'E_INVALID_MANIFESTS', message: expect.stringContaining('nothing was removed') });
    expect(existsSync(old)).toBe(true);

    writeFileSync(join(dir, 'videos', 'bad.yaml'), manifest('Fixed.'));
    const held = await acquireBuildLock(dir, { command: 'build' });
    try {
      // Our own process holds it: a second taker is refused like another build would be.
      await expect(gc({ cwd: dir, olderThanMs: 0 })).rejects.toMatchObject({ code: 'E_BUILD_LOCKED' });
    } finally {
      await held.release();
    }
    expect(existsSync(old)).toBe(true);
    expect((await gc({ cwd: dir, olderThanMs: 0 })).removed.map((f) => f.path)).toEqual([`.heygen/drafts/${'a'.repeat(64)}.mp4`]);
  });
});
