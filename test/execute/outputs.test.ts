/**
 * statOutputs lists each output folder once and stats only the names it holds: the sizes must be what a
 * stat of every path gives, and the plan snapshot must still see an output appear or disappear in a
 * folder it listed (test/plan-cache/snapshot.test.ts covers a deleted and a rewritten output).
 */
import { mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { statOutputs } from '../../src/execute/outputs.js';
import { startTrace } from '../../src/plan-cache/trace.js';
import { tempProject } from '../helpers/cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** What a stat of each path says, the way statOutputs did before it listed folders. */
function oneByOne(root: string, paths: string[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const p of paths) {
    try {
      const s = statSync(join(root, p));
      if (s.isFile()) sizes.set(p, s.size);
    } catch {
      // missing, or under a file (ENOTDIR): no output there
    }
  }
  return sizes;
}

describe('statOutputs', () => {
  it('gives the sizes a stat of each path gives: files present, missing, in missing folders, folders, links, unusual paths', () => {
    const root = tempProject({ 'out/a.mp4': 'aaaa', 'out/a.srt': 's', 'out/sub/b.mp4': 'bb', 'out/dir.mp4/x': '', 'other/c.mp4': 'ccc', 'top.mp4': '1' });
    dirs.push(root);
    symlinkSync(join(root, 'out', 'a.mp4'), join(root, 'out', 'link.mp4'));
    writeFileSync(join(root, 'file'), '');
    const paths = ['out/a.mp4', 'out/a.srt', 'out/b.mp4', 'out/b.srt', 'out/sub/b.mp4', 'out/dir.mp4', 'out/link.mp4', 'missing/x.mp4', 'file/x.mp4', 'top.mp4', './out/../other/c.mp4', 'out//a.mp4'];
    const sizes = statOutputs(root, paths);
    expect(sizes).toEqual(oneByOne(root, paths));
    expect(Object.fromEntries(sizes)).toEqual({ 'out/a.mp4': 4, 'out/a.srt': 1, 'out/sub/b.mp4': 2, 'out/link.mp4': 4, 'top.mp4': 1, './out/../other/c.mp4': 3, 'out//a.mp4': 4 });
  });

  it('records the folders it listed for the plan snapshot, and a missing folder as missing', () => {
    const root = tempProject({ 'out/a.mp4': 'aaaa' });
    dirs.push(root);
    mkdirSync(join(root, 'empty'));
    const trace = startTrace();
    try {
      statOutputs(root, ['out/a.mp4', 'out/b.mp4', 'gone/c.mp4', 'empty/d.mp4']);
    } finally {
      trace.stop();
    }
    expect(trace.dirs).toEqual(new Set([join(root, 'out'), join(root, 'gone'), join(root, 'empty')]));
    expect(trace.stamps.get(join(root, 'gone'))).toEqual(['x']);
    expect(trace.stamps.get(join(root, 'out', 'a.mp4'))?.[0]).toBe('f');
  });
});
