/**
 * `heygen-build avatars` and `heygen-build voices`: the catalog as tables or JSON, a preview opened,
 * and the lines to paste for an alias.
 *
 * `--alias` prints the snippet and never edits heygen.config.ts: the config is the user's TypeScript,
 * which may build `avatars` from a variable, a spread or an import. Editing it safely needs a parser
 * that keeps comments and formatting; a text edit that is right most of the time could break a
 * config silently. The printed lines are always right, and pasting them is one step.
 */
import { filterLooks, filterVoices, getCatalog, LOOK_TYPE_FLAGS } from '../api/catalog.js';
import { HeygenBuildError } from '../errors.js';
import { aliasSnippet, formatLooks, formatVoices, looksJson, voicesJson } from '../reporters/catalog.js';
import { errorDocument } from '../reporters/error-json.js';
import { didYouMeanText } from '../util/suggest.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './options.js';
import { openUrl } from './open-url.js';

/** The flags of `avatars`. */
export interface AvatarsFlags extends GlobalOptions {
  type?: string;
  orientation?: 'portrait' | 'landscape' | 'square';
  search?: string;
  json?: boolean;
  open?: string;
  alias?: string[];
  refreshCatalog?: boolean;
}

/** The flags of `voices`. */
export interface VoicesFlags extends GlobalOptions {
  language?: string;
  gender?: string;
  tts?: boolean;
  search?: string;
  json?: boolean;
  open?: string;
  refreshCatalog?: boolean;
}

function unknown(what: 'avatar look' | 'voice', id: string, ids: string[]): HeygenBuildError {
  return new HeygenBuildError(what === 'voice' ? 'E_UNKNOWN_VOICE' : 'E_UNKNOWN_AVATAR', `"${id}" is not ${what === 'voice' ? 'a voice' : 'an avatar look'} of this HeyGen account${didYouMeanText(id, ids)}`, {
    hint: what === 'voice' ? 'use an id that `heygen-build voices` lists' : 'use an id that `heygen-build avatars` lists',
  });
}

async function showPreview(url: string | null, id: string): Promise<number> {
  if (!url) {
    process.stdout.write(`${id} has no preview\n`);
    return EXIT.OK;
  }
  const opened = await openUrl(url);
  process.stdout.write(opened ? `opened ${url}\n` : `${url}\n`);
  return EXIT.OK;
}

async function guarded(json: boolean | undefined, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (json) process.stdout.write(JSON.stringify(errorDocument(e), null, 2) + '\n');
    throw e;
  }
}

/** Runs `heygen-build avatars`; resolves to the exit code. */
export function runAvatars(flags: AvatarsFlags): Promise<number> {
  return guarded(flags.json, async () => {
    const { catalog } = await getCatalog({ cwd: flags.cwd ?? process.cwd(), configFile: flags.config, refresh: flags.refreshCatalog ?? false });
    const ids = catalog.looks.map((l) => l.id);
    const find = (id: string) => catalog.looks.find((l) => l.id === id) ?? (() => { throw unknown('avatar look', id, ids); })();
    if (flags.open) return showPreview(find(flags.open).preview_image_url, flags.open);
    if (flags.alias) {
      // Two words, the first an alias name: checked when the command line was read (catalog-commands.ts).
      const [name = '', id = ''] = flags.alias;
      process.stdout.write(aliasSnippet(name, find(id), catalog));
      return EXIT.OK;
    }
    const type = flags.type ? LOOK_TYPE_FLAGS[flags.type] : undefined;
    const looks = filterLooks(catalog.looks, { ...(type ? { type } : {}), ...(flags.orientation ? { orientation: flags.orientation } : {}), ...(flags.search ? { search: flags.search } : {}) });
    process.stdout.write(flags.json ? JSON.stringify(looksJson(looks, catalog), null, 2) + '\n' : formatLooks(looks, catalog));
    return EXIT.OK;
  });
}

/** Runs `heygen-build voices`; resolves to the exit code. */
export function runVoices(flags: VoicesFlags): Promise<number> {
  return guarded(flags.json, async () => {
    const { catalog } = await getCatalog({ cwd: flags.cwd ?? process.cwd(), configFile: flags.config, refresh: flags.refreshCatalog ?? false });
    if (flags.open) {
      const v = catalog.voices.find((x) => x.voice_id === flags.open);
      if (!v) throw unknown('voice', flags.open, catalog.voices.map((x) => x.voice_id));
      return showPreview(v.preview_audio_url, v.voice_id);
    }
    const voices = filterVoices(catalog.voices, {
      ...(flags.language ? { language: flags.language } : {}),
      ...(flags.gender ? { gender: flags.gender } : {}),
      ...(flags.tts ? { tts: true } : {}),
      ...(flags.search ? { search: flags.search } : {}),
    });
    process.stdout.write(flags.json ? JSON.stringify(voicesJson(voices, catalog), null, 2) + '\n' : formatVoices(voices));
    return EXIT.OK;
  });
}
