/**
 * `heygen-build completion`: the bash script is loaded by a real bash and its function is driven the way
 * bash drives it (COMP_WORDS / COMP_CWORD), for commands, flags and flag values.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { cli } from './run.js';

let dir: string;
const script = (shell: string): string => join(dir, `completion.${shell}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hb-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await cli(['completion', shell]);
    expect(r.code).toBe(0);
    writeFileSync(script(shell), r.stdout);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bash(code: string): string {
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `source '${script('bash')}'\n${code}`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** What bash offers after the words typed so far (the last one is the word being completed). */
function complete(...typed: string[]): string[] {
  const quoted = ['heygen-build', ...typed].map((w) => `'${w}'`).join(' ');
  const out = bash(`COMP_WORDS=(${quoted}); COMP_CWORD=${typed.length}; _heygen_build; printf '%s\\n' "\${COMPREPLY[@]}"`);
  return out.split('\n').filter(Boolean).sort();
}

describe('bash completion', () => {
  it('registers itself for heygen-build', () => {
    expect(bash('complete -p heygen-build').trim()).toBe('complete -o default -F _heygen_build heygen-build');
  });

  it('completes every command, and the global flags', () => {
    const commands = buildProgram(() => {}).commands.map((c) => c.name());
    expect(commands).toEqual(expect.arrayContaining(['validate', 'plan', 'build', 'watch', 'init', 'completion']));
    expect(complete('')).toEqual(expect.arrayContaining([...commands, '--config', '--cwd', '--help', '--version']));
    expect(complete('pl')).toEqual(['plan']);
    expect(complete('--c')).toEqual(['--config', '--cwd']);
  });

  it("completes a command's own flags, also after global flags and their values", () => {
    expect(complete('plan', '--f')).toEqual(['--format']);
    expect(complete('build', '--')).toEqual(expect.arrayContaining(['--provider', '--concurrency', '--max-credits', '--fail-fast', '--replace', '--json']));
    expect(complete('build', '--')).not.toContain('--detailed-exitcode');
    expect(complete('-C', 'site', 'build', '--pro')).toEqual(['--provider']);
  });

  it('completes the values of flags with choices, and the shells of completion', () => {
    expect(complete('plan', '--format', '')).toEqual(['github', 'human', 'json']);
    expect(complete('validate', '--format', 'g')).toEqual(['github']);
    expect(complete('build', '--provider', '')).toEqual(['auto', 'heygen', 'local']);
    expect(complete('watch', '--provider', '')).toEqual(['heygen', 'local']);
    expect(complete('completion', '')).toEqual(['bash', 'fish', 'zsh']);
  });

  it("completes a group's subcommands, then the subcommand's own flags", () => {
    expect(complete('lock', '')).toEqual(['merge', 'merge-driver']);
    expect(complete('export', '')).toEqual(['otio', 'remotion']);
    expect(complete('webhooks', 'l')).toEqual(['list', 'listen']);
    expect(complete('claims', 'r')).toEqual(['release']);
    expect(complete('claims', '--')).toEqual(expect.arrayContaining(['--all', '--json']));
    expect(complete('lock', 'merge', '--')).toEqual(expect.arrayContaining(['--into', '--force', '--json']));
    expect(complete('claims', 'release', '--f')).toEqual(['--force']);
    expect(complete('webhooks', 'register', '--')).toEqual(expect.arrayContaining(['--url', '--events', '--json']));
    expect(complete('webhooks', 'register', '--')).not.toContain('--port');
    expect(complete('-C', 'site', 'webhooks', 'listen', '--port', '8787', '--h')).toEqual(['--help', '--host']);
    // A subcommand's files are paths: left to the shell.
    expect(complete('lock', 'merge', 'heygen.lock.sh')).toEqual([]);
  });

  it('leaves paths to the shell (manifests, folders)', () => {
    expect(complete('validate', 'vid')).toEqual([]); // empty: `-o default` completes file names
    bash(`mkdir -p '${dir}/proj/videos'; cd '${dir}/proj'; COMP_WORDS=(heygen-build -C vi); COMP_CWORD=2; _heygen_build; [[ "\${COMPREPLY[*]}" == videos ]]`);
  });
});

const has = (shell: string): boolean => spawnSync(shell, ['--version']).status === 0;

describe.skipIf(!has('zsh'))('zsh completion', () => {
  it('loads and registers through bashcompinit, and its function completes', () => {
    const code = [
      'autoload -U compinit && compinit -u',
      `source '${script('zsh')}'`,
      'print -r -- "registered:${_comps[heygen-build]}"',
      // As bashcompinit's _bash_complete calls it: in sh emulation (0-based arrays).
      'emulate sh -c \'COMP_WORDS=(heygen-build plan --format g); COMP_CWORD=3; _heygen_build; print -r -- "${COMPREPLY[@]}"\'',
    ].join('\n');
    const r = spawnSync('zsh', ['-f', '-c', code], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^registered:_bash_complete .*_heygen_build/m);
    // zsh's compgen offers every word and zsh's matcher then keeps those starting with what was typed.
    expect(r.stdout).toMatch(/^human json github$/m);
  });
});

describe.skipIf(!has('fish'))('fish completion', () => {
  it('loads and completes commands, flags and their values', () => {
    const ask = (line: string): string =>
      spawnSync('fish', ['--no-config', '-c', `source '${script('fish')}'; complete -C '${line}'`], { encoding: 'utf8' }).stdout;
    expect(ask('heygen-build pl')).toMatch(/^plan\t/m);
    expect(ask('heygen-build plan --fo')).toMatch(/^--format\t/m);
    expect(ask('heygen-build plan --format ').split('\n').map((l) => l.split('\t')[0] ?? '').filter(Boolean).sort((a, b) => a.localeCompare(b))).toEqual(['github', 'human', 'json']);
    const words = (line: string): string[] => ask(line).split('\n').map((l) => l.split('\t')[0] ?? '').filter(Boolean).sort((a, b) => a.localeCompare(b));
    expect(words('heygen-build lock ')).toEqual(expect.arrayContaining(['merge', 'merge-driver']));
    expect(words('heygen-build lock merge --')).toEqual(expect.arrayContaining(['--force', '--into', '--json']));
    expect(words('heygen-build lock merge ')).not.toContain('merge-driver');
  });
});
