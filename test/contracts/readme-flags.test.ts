/**
 * The README documents every command and flag the CLI has, and every flag it names exists. The flags
 * are read from the program itself (what `--help` prints: commander's options of each command and
 * subcommand, and the emulator's own usage text); the README's mentions from its command sections and
 * from backtick spans that name a command (`build --detach`, `heygen-build claims release <key> --force`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { USAGE } from '../../src/emulator/cli.js';
import { REPO } from '../helpers/cli.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
/** Spans that look like a command of ours but are another tool's (git's `pull --rebase`). */
const NOT_OURS = new Set(['pull --rebase']);

/** Every command path (`build`, `lock merge`) with its long and short flags, as its --help lists them. */
function commandFlags(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (cmd: Command, path: string[]): void => {
    for (const sub of cmd.commands) {
      const p = [...path, sub.name()];
      const flags = new Set(sub.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))));
      // The emulator parses its own options (`heygen-build emulator --help` prints USAGE).
      if (sub.name() === 'emulator') for (const m of USAGE.matchAll(/^ {2}(--[a-z][\w-]*)/gm)) flags.add(m[1]!);
      out.set(p.join(' '), flags);
      walk(sub, p);
    }
  };
  walk(buildProgram(() => {}), []);
  return out;
}

const COMMANDS = commandFlags();
const GLOBAL = new Set(buildProgram(() => {}).options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))));
const FLAG = /(?<![\w-])(--[a-z][\w-]*)/g;

/** A command's flags, with its subcommands' for a span that names the group (`export remotion|otio <dir> [--json]`). */
function flagsOf(cmd: string): Set<string> {
  const subs = [...COMMANDS].filter(([c]) => c.startsWith(`${cmd} `)).flatMap(([, f]) => [...f]);
  return new Set([...COMMANDS.get(cmd)!, ...subs, ...GLOBAL, '--help']);
}
const spans = [...README.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);

/** Sections about a command whose heading does not spell `heygen-build <path>`. */
const TITLES: Record<string, string> = { emulator: '## The HeyGen emulator' };

/** The README's sections (from one heading to the next) whose heading names `heygen-build <path>`. */
function sectionsOf(path: string): string {
  const parts = README.split(/^(?=#{2,4} )/m);
  const re = new RegExp(`heygen-build ${path}(?![\\w-])`);
  return parts.filter((s) => re.test(s.split('\n')[0]!) || s.split('\n')[0] === TITLES[path]).join('\n');
}

/** The command path a span names, when it starts with one (longest first: `claims release` before `claims`). */
function commandOfSpan(span: string): string | undefined {
  if (NOT_OURS.has(span)) return undefined;
  const rest = span.replace(/^(npx )?heygen-build /, '');
  return [...COMMANDS.keys()].sort((a, b) => b.length - a.length).find((c) => rest === c || rest.startsWith(`${c} `));
}

describe('README and --help', () => {
  it('has a section or a mention for every command', () => {
    const missing = [...COMMANDS.keys()].filter((c) => !new RegExp(`heygen-build ${c}(?![\\w-])`).test(README) && !spans.some((s) => commandOfSpan(s) === c));
    expect(missing).toEqual([]);
  });

  it('documents every flag of every command, in its section or next to its name', () => {
    expect(COMMANDS.get('build')?.has('--detach')).toBe(true);
    const undocumented: string[] = [];
    for (const [cmd, flags] of COMMANDS) {
      const section = sectionsOf(cmd);
      const named = spans.filter((s) => commandOfSpan(s) === cmd).join('\n');
      for (const f of flags) {
        if (f === '-h' || f === '--help') continue;
        const re = new RegExp(`${f}(?![\\w-])`);
        if (!re.test(section) && !re.test(named)) undocumented.push(`${cmd} ${f}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('names no flag a command does not have', () => {
    const unknown: string[] = [];
    for (const s of spans) {
      const cmd = commandOfSpan(s);
      if (!cmd) continue;
      for (const [, f] of s.matchAll(FLAG)) if (!flagsOf(cmd).has(f!)) unknown.push(`\`${s}\`: ${cmd} has no ${f}`);
    }
    // Flag tables under a command's heading: each row's flag is that command's.
    for (const cmd of COMMANDS.keys()) {
      for (const [, f] of sectionsOf(cmd).matchAll(/^\| `(--[a-z][\w-]*)/gm)) {
        if (!COMMANDS.get(cmd)!.has(f!)) unknown.push(`table of heygen-build ${cmd}: no ${f}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
