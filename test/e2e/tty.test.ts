/**
 * The real CLI on a real pseudo-terminal (util-linux `script`), 40 columns wide, against the emulator:
 * what a person sees while a build runs (the progress line) and after it (no stale live lines).
 */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { replay } from '../helpers/screen.js';
import { emulator } from './emulator.js';
import { makeProject } from './project.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

function inTerminal(cwd: string, env: Record<string, string>, columns: number, args: string[]): Promise<{ code: number | null; screen: string }> {
  const command = `stty cols ${columns} rows 20; exec '${process.execPath}' '${BIN}' ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}

describe.skipIf(!hasScript)('build on a terminal', () => {
  it('draws the progress line while it runs, cut to a narrow width, and leaves no live line behind', async () => {
    const { env } = await emulator();
    const dir = makeProject();
    const columns = 40;
    const r = await inTerminal(dir, env, columns, ['build']);
    expect(r.code).toBe(0);
    // While it ran: the progress line with its counts and credits (cut to the width, so maybe with "…").
    expect(r.screen).toMatch(/\[0\/4\] queued 1 · 0 done · 0\.0 cr spent…/);
    expect(r.screen).toMatch(/\[1\/4\] [a-z]+ \d · /);
    const screen = replay(r.screen, columns).filter((l) => l.trim() !== '');
    // After: the log and the summary; every live line (jobs, progress) was erased, none left over from a wrap.
    expect(screen.at(-2)).toMatch(/^Build complete: 4 rendered/); // a log line: it may wrap
    expect(screen.filter((l) => /^\s+(queued|uploading|submitting|rendering|downloading)\s/.test(l) || /^\[\d+\/\d+\]/.test(l))).toEqual([]);
    expect(screen.filter((l) => /^saved /.test(l))).toHaveLength(4); // 3 videos and the translation
  });
});
