/**
 * `heygen-build completion bash|zsh|fish`: a completion script made from the program's own commands and
 * options, so it never falls behind them. Commands, their flags, and the values of flags with choices
 * (`--format`, `--provider`) complete; paths fall back to the shell's file completion.
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
  name: string;
  description: string;
  flags: Flag[];
  /** Words its argument takes (completion's shells). */
  words?: readonly string[];
}

const HELP: Flag = { names: ['-h', '--help'], description: 'show help', value: false };

function flagOf(o: Option): Flag {
  const names = [o.short, o.long].filter((n): n is string => Boolean(n));
  const value = o.required || o.optional;
  const paths = o.long === '--config' ? 'files' : o.long === '--cwd' ? 'dirs' : undefined;
  return { names, description: o.description, value, ...(o.argChoices ? { choices: o.argChoices } : {}), ...(paths ? { paths } : {}) };
}

function describe(program: Command): { globals: Flag[]; subs: Sub[] } {
  const globals = [...program.options.map(flagOf), HELP];
  const subs = program.commands.map((c): Sub => {
    const arg = c.registeredArguments[0];
    return {
      name: c.name(),
      description: c.description(),
      // The emulator parses its own options: only its name completes.
      flags: c.name() === 'emulator' ? [] : [...c.options.map(flagOf), HELP],
      ...(arg?.argChoices ? { words: arg.argChoices } : {}),
    };
  });
  return { globals, subs };
}

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
    for (const f of s.flags.filter((x) => x.choices)) {
      values.push(`    ${s.name}:${f.names.join(`|${s.name}:`)}) COMPREPLY=($(compgen -W "${f.choices!.join(' ')}" -- "$cur")); return ;;`);
    }
    // A value without choices (a number, ids): nothing to offer.
    const free = s.flags.filter((x) => x.value && !x.choices);
    if (free.length > 0) values.push(`    ${s.name}:${free.flatMap((f) => f.names).join(`|${s.name}:`)}) return ;;`);
  }
  const perCommand = subs.map((s) => {
    const flags = `COMPREPLY=($(compgen -W "${words(s.flags)}" -- "$cur"))`;
    // Without words of its own, an argument is a path: COMPREPLY stays empty and `-o default` completes files.
    if (!s.words) return s.flags.length > 0 ? `    ${s.name}) [[ $cur == -* ]] && ${flags} ;;` : `    ${s.name}) ;;`;
    return `    ${s.name}) if [[ $cur == -* ]]; then ${flags}; else COMPREPLY=($(compgen -W "${s.words.join(' ')}" -- "$cur")); fi ;;`;
  });
  return `# heygen-build completion for bash. Load it with: source <(heygen-build completion bash)
_heygen_build() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" i
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for (( i = 1; i < COMP_CWORD; i++ )); do
    case "\${COMP_WORDS[i]}" in
      ${skip}) (( i++ )) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  COMPREPLY=()
  case "$cmd:$prev" in
${values.join('\n')}
  esac
  case "$cmd" in
    "") COMPREPLY=($(compgen -W "${subs.map((s) => s.name).join(' ')} ${words(globals)}" -- "$cur")) ;;
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
  for (const s of subs) lines.push(`complete -c heygen-build -n __fish_use_subcommand -f -a ${s.name} -d ${fishQuote(s.description)}`);
  for (const f of globals) lines.push(fishFlag(f, ''));
  for (const s of subs) {
    const when = `__fish_seen_subcommand_from ${s.name}`;
    if (s.words) lines.push(`complete -c heygen-build -n ${fishQuote(when)} -f -a ${fishQuote(s.words.join(' '))}`);
    for (const f of s.flags.filter((x) => x !== HELP)) lines.push(fishFlag(f, when));
  }
  return lines.join('\n') + '\n';
}

/** The completion script for `shell`, made from `program`'s commands and options. */
export function completionScript(shell: 'bash' | 'zsh' | 'fish', program: Command): string {
  if (shell === 'fish') return fish(program);
  return shell === 'zsh' ? zsh(program) : bash(program);
}
