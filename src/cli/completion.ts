/**
 * `heygen-build completion bash|zsh|fish`: a completion script made from the program's own commands and
 * options, so it never falls behind them. Commands and subcommands (`lock merge`), their flags, and the
 * values of flags with choices (`--format`, `--provider`) complete; paths fall back to the shell's file completion.
 */
import type { Command, Option } from 'commander';

interface Flag {
  names: string[];
  description: string;
  /** Takes a value: the next word is not a command or a flag. */
  value: boolean;
  choices?: readonly string[];
  /** `files` or `dirs` for the global path options. */
  paths?: 'files' | 'dirs';
}

interface Sub {
  /** The command's path: `plan`, or `lock merge` for a subcommand. */
  name: string;
  description: string;
  flags: Flag[];
  /** Words its argument takes (completion's shells; a group's subcommands). */
  words?: readonly string[];
  /** A group (`lock`, `claims`, `webhooks`, `export`): its next word is a subcommand. */
  group?: boolean;
}

const HELP: Flag = { names: ['-h', '--help'], description: 'show help', value: false };

function flagOf(o: Option): Flag {
  const names = [o.short, o.long].filter((n): n is string => Boolean(n));
  const value = o.required || o.optional;
  const paths = o.long === '--config' ? 'files' : o.long === '--cwd' ? 'dirs' : undefined;
  return { names, description: o.description, value, ...(o.argChoices ? { choices: o.argChoices } : {}), ...(paths ? { paths } : {}) };
}

/** `c` and its subcommands, depth first, each named by its path (`lock merge`). */
function subsOf(c: Command, prefix: string): Sub[] {
  const name = `${prefix}${c.name()}`;
  const arg = c.registeredArguments[0];
  const children = c.commands.map((x) => x.name());
  const words = arg?.argChoices ?? (children.length > 0 ? children : undefined);
  const sub: Sub = {
    name,
    description: c.description(),
    // The emulator parses its own options: only its name completes.
    flags: c.name() === 'emulator' ? [] : [...c.options.map(flagOf), HELP],
    ...(words ? { words } : {}),
    ...(children.length > 0 ? { group: true } : {}),
  };
  return [sub, ...c.commands.flatMap((x) => subsOf(x, `${name} `))];
}

function describe(program: Command): { globals: Flag[]; subs: Sub[] } {
  const globals = [...program.options.map(flagOf), HELP];
  return { globals, subs: program.commands.flatMap((c) => subsOf(c, '')) };
}

/** A case pattern for `word`, quoted when it holds a space (`'lock merge'`). */
const pattern = (word: string): string => (word.includes(' ') ? `'${word}'` : word);

const words = (flags: Flag[]): string => flags.flatMap((f) => f.names).join(' ');

/** The bash completion function; zsh loads the same through bashcompinit. */
function bash(program: Command): string {
  const { globals, subs } = describe(program);
  const valueFlags = [...globals, ...subs.flatMap((s) => s.flags)].filter((f) => f.value);
  const skip = [...new Set(valueFlags.flatMap((f) => f.names))].join('|');
  const values: string[] = [];
  for (const f of globals.filter((g) => g.value)) {
    const how = f.paths === 'dirs' ? 'compgen -d -- "$cur"' : 'compgen -f -- "$cur"';
    values.push(`    *:${f.names.join('|*:')}) COMPREPLY=($(${how})); return ;;`);
  }
  for (const s of subs) {
    const at = (names: string[]): string => names.map((n) => pattern(`${s.name}:${n}`)).join('|');
    for (const f of s.flags.filter((x) => x.choices)) {
      values.push(`    ${at(f.names)}) COMPREPLY=($(compgen -W "${f.choices!.join(' ')}" -- "$cur")); return ;;`);
    }
    // A value without choices (a number, ids): nothing to offer.
    const free = s.flags.filter((x) => x.value && !x.choices);
    if (free.length > 0) values.push(`    ${at(free.flatMap((f) => f.names))}) return ;;`);
  }
  const perCommand = subs.map((s) => {
    const name = pattern(s.name);
    const flags = `COMPREPLY=($(compgen -W "${words(s.flags)}" -- "$cur"))`;
    // Without words of its own, an argument is a path: COMPREPLY stays empty and `-o default` completes files.
    if (!s.words) return s.flags.length > 0 ? `    ${name}) [[ $cur == -* ]] && ${flags} ;;` : `    ${name}) ;;`;
    return `    ${name}) if [[ $cur == -* ]]; then ${flags}; else COMPREPLY=($(compgen -W "${s.words.join(' ')}" -- "$cur")); fi ;;`;
  });
  // After a group's name, the next word that is not a flag is its subcommand: `lock merge`, `claims release`.
  const groups = subs.filter((s) => s.group).map((s) => s.name);
  const word = groups.length > 0 ? `if [[ -z $cmd ]]; then cmd="\${COMP_WORDS[i]}"; case "$cmd" in ${groups.join('|')}) ;; *) break ;; esac; else cmd="$cmd \${COMP_WORDS[i]}"; break; fi` : 'cmd="${COMP_WORDS[i]}"; break';
  return `# heygen-build completion for bash. Load it with: source <(heygen-build completion bash)
_heygen_build() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" i
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for (( i = 1; i < COMP_CWORD; i++ )); do
    case "\${COMP_WORDS[i]}" in
      ${skip}) (( i++ )) ;;
      -*) ;;
      *) ${word} ;;
    esac
  done
  COMPREPLY=()
  case "$cmd:$prev" in
${values.join('\n')}
  esac
  case "$cmd" in
    "") COMPREPLY=($(compgen -W "${subs.filter((s) => !s.name.includes(' ')).map((s) => s.name).join(' ')} ${words(globals)}" -- "$cur")) ;;
${perCommand.join('\n')}
  esac
}
complete -o default -F _heygen_build heygen-build
`;
}

function zsh(program: Command): string {
  return `#compdef heygen-build
# heygen-build completion for zsh. Load it with: source <(heygen-build completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(program).split('\n').slice(1).join('\n')}`;
}

const fishQuote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishFlag(f: Flag, condition: string): string {
  const parts = ['complete -c heygen-build'];
  if (condition) parts.push(`-n ${fishQuote(condition)}`);
  for (const n of f.names) parts.push(n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`);
  if (f.choices) parts.push(`-x -a ${fishQuote(f.choices.join(' '))}`);
  else if (f.paths === 'dirs') parts.push(`-x -a '(__fish_complete_directories)'`);
  else if (f.paths === 'files') parts.push('-r -F');
  else if (f.value) parts.push('-x');
  parts.push(`-d ${fishQuote(f.description)}`);
  return parts.join(' ');
}

function fish(program: Command): string {
  const { globals, subs } = describe(program);
  const lines = ['# heygen-build completion for fish. Load it with: heygen-build completion fish | source'];
  const top = subs.filter((s) => !s.name.includes(' '));
  for (const s of top) lines.push(`complete -c heygen-build -n __fish_use_subcommand -f -a ${s.name} -d ${fishQuote(s.description)}`);
  for (const f of globals) lines.push(fishFlag(f, ''));
  for (const s of subs) {
    // `lock merge`: after `lock` and `merge`; a group's own words and flags only before its subcommand.
    const when = s.name.split(' ').map((w) => `__fish_seen_subcommand_from ${w}`).join('; and ');
    const before = s.group ? `${when}; and not __fish_seen_subcommand_from ${s.words!.join(' ')}` : when;
    if (s.words) lines.push(`complete -c heygen-build -n ${fishQuote(before)} -f -a ${fishQuote(s.words.join(' '))}`);
    for (const f of s.flags.filter((x) => x !== HELP)) lines.push(fishFlag(f, before));
  }
  return lines.join('\n') + '\n';
}

/** The completion script for `shell`, made from `program`'s commands and options. */
export function completionScript(shell: 'bash' | 'zsh' | 'fish', program: Command): string {
  if (shell === 'fish') return fish(program);
  return shell === 'zsh' ? zsh(program) : bash(program);
}
