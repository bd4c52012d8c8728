/**
 * The lockfile's git merge driver in a real `git merge`: two branches that each built videos, merged
 * with the driver configured as the README says. No conflict markers, no lost render.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { LOCKFILE_VERSION, type Lockfile } from '../../src/model/lock.js';
import { BIN, runCli } from '../helpers/cli.js';
import { emulator, posts } from './emulator.js';
import { makeProject } from './project.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' };

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
}

/** A repository of the e2e project, with the lockfile's merge driver set up as README "Teams and CI" says. */
function repository(): string {
  const dir = makeProject();
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, '.gitignore'), 'out/\n.heygen/\nheygen.lock.shard-*.yaml\n');
  writeFileSync(join(dir, '.gitattributes'), 'heygen.lock.yaml merge=heygen-lock\n');
  git(dir, 'config', 'merge.heygen-lock.name', 'heygen-build lockfile');
  git(dir, 'config', 'merge.heygen-lock.driver', `"${process.execPath}" "${BIN}" lock merge-driver %O %A %B %P`);
  return dir;
}

async function buildAndCommit(dir: string, env: Record<string, string>, message: string): Promise<void> {
  const r = await runCli(['build'], { cwd: dir, env });
  expect(r.code, r.stderr).toBe(0);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

function lockOf(dir: string): { text: string; lock: Lockfile } {
  const text = readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8');
  return { text, lock: parseLockfile(text, 'heygen.lock.yaml') };
}

async function paidActions(dir: string, env: Record<string, string>): Promise<{ id: string; action: string }[]> {
  const r = await runCli(['plan', '--json'], { cwd: dir, env });
  const doc = JSON.parse(r.stdout) as { items: { id: string; action: string }[] };
  return doc.items.filter((i) => i.action === 'create' || i.action === 'update');
}

const video = (script: string): string => `avatar: presenter\nscenes:\n  - script: ${script}\n`;

describe('lockfile merge driver (real git merge, emulator)', () => {
  it('two branches that each built a different video merge into a lockfile with both, without markers', async () => {
    const { emu, env } = await emulator();
    const dir = repository();
    await buildAndCommit(dir, env, 'base');
    git(dir, 'checkout', '-q', '-b', 'left');
    writeFileSync(join(dir, 'videos', 'alpha.yaml'), video('Alpha is built on the left branch.'));
    await buildAndCommit(dir, env, 'alpha');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'checkout', '-q', '-b', 'right');
    writeFileSync(join(dir, 'videos', 'beta.yaml'), video('Beta is built on the right branch.'));
    await buildAndCommit(dir, env, 'beta');

    // Without the driver, git's line merge of these three versions conflicts (both add next to `hello`).
    const three = (ref: string): string => git(dir, 'show', `${ref}:heygen.lock.yaml`);
    const tmp = (name: string, text: string): string => (writeFileSync(join(dir, '.heygen', name), text), join(dir, '.heygen', name));
    const lineMerge = spawnSync('git', ['merge-file', '-p', tmp('o', three('main')), tmp('a', three('left')), tmp('b', three('right'))], { encoding: 'utf8' });
    expect(lineMerge.status).toBeGreaterThan(0);

    git(dir, 'checkout', '-q', 'left');
    git(dir, 'merge', '-q', '--no-edit', 'right');
    const { text, lock } = lockOf(dir);
    expect(text).not.toMatch(/^(<{7}|={7}|>{7})/m);
    expect(Object.keys(lock.videos).sort()).toEqual(['alpha', 'beta', 'hello', 'intro', 'tour']);
    for (const e of Object.values(lock.videos)) expect(e.status).toBe('completed');
    expect(text).toMatch(new RegExp(`^version: ${LOCKFILE_VERSION}$`, 'm'));
    const sent = posts(emu, /^\/v3\/videos$/);
    expect(await paidActions(dir, env)).toEqual([]);
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(sent);
  });

  it('one video built with different content on two branches: both records kept, the next plan decides by the manifest', async () => {
    const { emu, env } = await emulator();
    const dir = repository();
    await buildAndCommit(dir, env, 'base');
    git(dir, 'checkout', '-q', '-b', 'left');
    writeFileSync(join(dir, 'videos', 'intro.yaml'), video('The left branch rewrote the intro.'));
    await buildAndCommit(dir, env, 'left intro');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'checkout', '-q', '-b', 'right');
    writeFileSync(join(dir, 'videos', 'intro.yaml'), video('The right branch rewrote the intro differently.'));
    await buildAndCommit(dir, env, 'right intro');
    const leftKey = parseLockfile(git(dir, 'show', 'left:heygen.lock.yaml'), 'left').videos.intro!.key;
    const rightKey = parseLockfile(git(dir, 'show', 'right:heygen.lock.yaml'), 'right').videos.intro!.key;
    expect(leftKey).not.toBe(rightKey);

    git(dir, 'checkout', '-q', 'left');
    // The manifest conflicts (both sides edited it); the lockfile does not.
    const merge = spawnSync('git', ['merge', '--no-edit', 'right'], { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
    expect(merge.status).not.toBe(0);
    expect(merge.stdout).toContain('CONFLICT (content): Merge conflict in videos/intro.yaml');
    expect(merge.stdout).not.toContain('Merge conflict in heygen.lock.yaml');
    const { text, lock } = lockOf(dir);
    expect(text).not.toMatch(/^(<{7}|={7}|>{7})/m);
    const intro = lock.videos.intro!;
    expect([intro.key, ...Object.keys(intro.alternates ?? {})].sort()).toEqual([leftKey, rightKey].sort());
    expect(text).toMatch(new RegExp(`^version: ${LOCKFILE_VERSION}$`, 'm'));

    // Whichever manifest the merge keeps, its render is known: nothing to pay for.
    const sent = posts(emu, /^\/v3\/videos$/);
    for (const side of ['--ours', '--theirs']) {
      git(dir, 'checkout', side, '--', 'videos/intro.yaml');
      expect(await paidActions(dir, env), side).toEqual([]);
    }
    git(dir, 'add', 'videos/intro.yaml');
    git(dir, 'commit', '-q', '--no-edit');
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(sent);
    // The build settled it: the right branch's record is the entry, the other is gone.
    const after = lockOf(dir);
    expect(after.lock.videos.intro!.key).toBe(rightKey);
    expect(after.lock.videos.intro!.alternates).toBeUndefined();
    expect(after.text).not.toMatch(/^ {4}alternates:$/m);
  });
});
