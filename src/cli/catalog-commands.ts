/** Registers `avatars`, `voices` and `styles`: browsing the account's catalog before choosing ids. */
import { Option, type Command } from 'commander';
import type { GlobalOptions } from './options.js';

/** What an alias name may be (as the config's `avatars` keys are written). */
const ALIAS_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * `--alias NAME ID` is two words, the first an alias name: anything else is a command-line mistake,
 * refused as commander refuses one (`error: …`, the usage, exit 1) before the config or the catalog is read.
 */
function checkAliasFlag(words: string[], cmd: Command): void {
  if (words.length === 2 && ALIAS_NAME.test(words[0]!)) return;
  cmd.error(
    `error: option '--alias <name-and-id...>' takes a NAME (lowercase letters, digits and dashes) and a look ID, not '${words.join(' ')}'\n` +
      "  usage: heygen-build avatars --alias presenter Daisy-inskirt-20220818 (`heygen-build avatars --search <text>` finds a look's id)",
  );
}

/** Adds the catalog commands to `program`; their modules load only when one runs. */
export function registerCatalogCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command('avatars')
    .description("list the account's avatar looks (ids to use as `avatar:`); spends nothing")
    .addOption(new Option('--type <type>', 'only this kind of look').choices(['studio', 'digital_twin', 'photo']))
    .addOption(new Option('--orientation <orientation>', 'only looks made for this frame').choices(['landscape', 'portrait', 'square']))
    .option('--search <text>', 'only looks whose id or name contains this text (any case)')
    .option('--json', 'print the looks as JSON (see README)')
    .option('--open <id>', "open the look's preview image in the browser (or print its URL)")
    .option('--alias <name-and-id...>', 'print the heygen.config.ts lines that make NAME an alias of look ID')
    .option('--refresh-catalog', 'fetch the catalog now instead of using .heygen/catalog.json')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      if (opts.alias) checkAliasFlag(opts.alias as string[], cmd);
      const { runAvatars } = await import('./catalog.js');
      setExit(await runAvatars({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });

  program
    .command('voices')
    .description("list the account's voices (ids to use as `voice:`); spends nothing")
    .option('--language <language>', 'only voices of this language (a HeyGen name such as English, from its start)')
    .addOption(new Option('--gender <gender>', 'only voices of this gender').choices(['male', 'female']))
    .option('--tts', 'only voices that can speak scenes without an avatar (Starfish)')
    .option('--search <text>', 'only voices whose id or name contains this text (any case)')
    .option('--json', 'print the voices as JSON (see README)')
    .option('--open <id>', "open the voice's preview sample in the browser (or print its URL)")
    .option('--refresh-catalog', 'fetch the catalog now instead of using .heygen/catalog.json')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { runVoices } = await import('./catalog.js');
      setExit(await runVoices({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });

  program
    .command('styles')
    .description("list Video Agent's styles (ids to use as a prompt video's `style:`); spends nothing")
    .option('--tag <tag>', 'only styles with this tag (cinematic, retro-tech, handmade, print...)')
    .option('--json', 'print the styles as JSON (see README)')
    .option('--refresh', 'fetch the list now instead of using .heygen/video-agent-styles.json')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { runStyles } = await import('./styles.js');
      setExit(await runStyles({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }));
    });
}
