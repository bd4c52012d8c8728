/** `build --shard --lock-out <path>`: a path that cannot be the partial lockfile is refused up front, with what to do. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HeygenBuildError } from '../../src/errors.js';
import { checkLockOut } from '../../src/lockfile/lock-out.js';
import { makeConfig } from '../manifest/config.js';

const root = mkdtempSync(path.join(tmpdir(), 'hb-lock-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(path.join(root, 'videos'));
writeFileSync(path.join(root, 'videos/a.yaml'), 'scenes: []\n');
writeFileSync(path.join(root, 'heygen.config.mjs'), 'export default {};\n');
const config = { ...makeConfig(root), configFile: path.join(root, 'heygen.config.mjs') };
const DEFAULT = 'heygen.lock.shard-1-of-2.yaml';

async function refusal(lockOut: string, cwd?: string): Promise<{ code: string; message: string; hint: string | undefined } | undefined> {
  try {
    await checkLockOut(config, lockOut, [path.join(root, 'videos/a.yaml')], DEFAULT, cwd);
    return undefined;
  } catch (e) {
    if (!(e instanceof HeygenBuildError)) throw e;
    return { code: e.code, message: e.message, hint: e.hint };
  }
}

describe('--lock-out', () => {
  it('refuses the project lockfile, the config and a manifest, and says to name a file of its own', async () => {
    const hint = `name a file of its own, e.g. --lock-out ${DEFAULT} (the default), and merge the partials with \`heygen-build lock merge\``;
    expect(await refusal('./heygen.lock.yaml')).toEqual({ code: 'E_LOCK_OUT', message: expect.stringContaining('--lock-out ./heygen.lock.yaml is the project lockfile'), hint });
    expect(await refusal('heygen.config.mjs')).toEqual({ code: 'E_LOCK_OUT', message: '--lock-out heygen.config.mjs is the config file', hint });
    expect(await refusal('videos/a.yaml')).toEqual({ code: 'E_LOCK_OUT', message: '--lock-out videos/a.yaml is a manifest', hint });
  });

  it('refuses a missing folder or a folder, saying which and what to do', async () => {
    expect(await refusal('ci/out/part.yaml')).toEqual({
      code: 'E_LOCK_OUT',
      message: '--lock-out ci/out/part.yaml is in a folder that does not exist (ci/out)',
      hint: 'create the folder first (mkdir -p ci/out), or pick a path in an existing folder',
    });
    expect(await refusal('videos')).toEqual({ code: 'E_LOCK_OUT', message: '--lock-out videos is a folder', hint: `name a file in it, e.g. --lock-out videos/${DEFAULT}` });
    expect(await refusal('videos/a.yaml/part.yaml')).toMatchObject({ message: '--lock-out videos/a.yaml/part.yaml is inside videos/a.yaml, which is a file, not a folder' });
  });

  it('takes a new file in an existing folder', async () => {
    expect(await refusal('videos/part.yaml')).toBeUndefined();
    expect(await refusal(DEFAULT)).toBeUndefined();
  });

  it('is relative to the working folder, not the project root, and still never names the lockfile, by .., absolute path or symlink', async () => {
    // `-c ../heygen.config.mjs` from videos/: the working folder is videos/, the root is its parent.
    const cwd = path.join(root, 'videos');
    const lockfile = expect.stringContaining('is the project lockfile');
    expect(await refusal('../heygen.lock.yaml', cwd)).toMatchObject({ code: 'E_LOCK_OUT', message: lockfile, hint: expect.stringContaining(`e.g. --lock-out ../${DEFAULT} (the default)`) });
    expect(await refusal(path.join(root, 'heygen.lock.yaml'), cwd)).toMatchObject({ message: lockfile });
    symlinkSync(root, path.join(cwd, 'up'));
    expect(await refusal('up/heygen.lock.yaml', cwd)).toMatchObject({ message: lockfile });
    expect(await refusal('a.yaml', cwd)).toMatchObject({ message: '--lock-out a.yaml is a manifest' });
    expect(await refusal('up/videos/a.yaml', cwd)).toMatchObject({ message: '--lock-out up/videos/a.yaml is a manifest' });
    // `heygen.lock.yaml` here is a new file in videos/, not the project lockfile.
    expect(await refusal('heygen.lock.yaml', cwd)).toBeUndefined();
    expect(await refusal('ci/part.yaml', cwd)).toEqual({
      code: 'E_LOCK_OUT',
      message: '--lock-out ci/part.yaml is in a folder that does not exist (ci)',
      hint: 'create the folder first (mkdir -p ci), or pick a path in an existing folder',
    });
  });
});
