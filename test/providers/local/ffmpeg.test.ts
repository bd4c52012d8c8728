import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFfmpeg, runFfmpeg } from '../../../src/providers/local/index.js';
import { executable } from '../../../src/compose/ffmpeg.js';
import { tmpDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tmpDir('draft-ffmpeg-'));
});
afterAll(() => cleanup());

async function fakeBinary(sub: string, name: string, exitCode: number): Promise<string> {
  const d = path.join(dir, sub);
  await mkdir(d, { recursive: true });
  await writeFile(path.join(d, name), `#!/bin/sh\necho "${name} version fake"\nexit ${exitCode}\n`);
  await chmod(path.join(d, name), 0o755);
  return d;
}

describe('findFfmpeg', () => {
  it('fails with E_FFMPEG_MISSING and an install hint when neither PATH nor npm has ffmpeg', async () => {
    const e = await findFfmpeg({ path: '', npm: false }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'E_FFMPEG_MISSING' });
    expect((e as { hint: string }).hint).toContain('apt-get install ffmpeg');
    expect((e as { hint: string }).hint).toContain('@ffmpeg-installer/ffmpeg');
  });

  it('skips an ffmpeg on PATH that does not run, and uses the npm one', async () => {
    const broken = await fakeBinary('broken', 'ffmpeg', 1);
    await expect(findFfmpeg({ path: broken, npm: false })).rejects.toMatchObject({ code: 'E_FFMPEG_MISSING' });
    const tools = await findFfmpeg({ path: broken });
    expect(tools.source).toBe('npm');
    expect(tools.ffmpeg).not.toContain(broken);
    expect(tools.ffprobe).toBeDefined();
  });

  it('prefers a working ffmpeg on PATH, taking ffprobe from npm when PATH has none', async () => {
    const good = await fakeBinary('good', 'ffmpeg', 0);
    const tools = await findFfmpeg({ path: good });
    expect(tools).toMatchObject({ source: 'PATH', ffmpeg: path.join(good, 'ffmpeg') });
    expect(tools.ffprobe).toContain('ffprobe');
  });

  it('caches the default lookup for the process', async () => {
    const a = await findFfmpeg();
    expect(await findFfmpeg()).toBe(a);
  });
});

describe('executable', () => {
  it('gives a binary npm left without execute bits (its install script skipped) the bits that script gives', async () => {
    const d = await fakeBinary('no-x', 'ffmpeg', 0);
    const bin = path.join(d, 'ffmpeg');
    await chmod(bin, 0o644);
    expect(() => execFileSync(bin)).toThrow();
    expect(await executable(bin)).toBe(true);
    expect((await stat(bin)).mode & 0o777).toBe(0o755);
    expect(execFileSync(bin).toString()).toContain('ffmpeg version fake');
  });

  it('says no for a file that is not there', async () => {
    expect(await executable(path.join(dir, 'nowhere', 'ffmpeg'))).toBe(false);
  });
});

describe('runFfmpeg', () => {
  it('fails with E_FFMPEG carrying the end of ffmpeg stderr', async () => {
    const e = await runFfmpeg(['-i', path.join(dir, 'does-not-exist.wav'), '-f', 'null', '-']).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'E_FFMPEG' });
    expect((e as Error).message).toContain('does-not-exist.wav');
  });

  it('kills ffmpeg on abort and rejects with an AbortError', async () => {
    const ac = new AbortController();
    // an endless silent stream
    const run = runFfmpeg(['-f', 'lavfi', '-i', 'anullsrc', '-f', 'null', '-'], { signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
