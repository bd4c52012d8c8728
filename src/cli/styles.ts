/** `heygen-build styles`: Video Agent's styles, the ids a prompt video's `style:` takes. Spends nothing. */
import { loadConfig } from '../config/index.js';
import { HeygenBuildError } from '../errors.js';
import { styleList } from '../execute/heygen/styles.js';
import { heygenClientFromConfig } from '../providers/heygen/index.js';
import { errorDocument } from '../reporters/error-json.js';
import { formatStyles, stylesJson } from '../reporters/catalog.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './options.js';

/** The flags of `styles`. */
export interface StylesFlags extends GlobalOptions {
  tag?: string;
  json?: boolean;
  refresh?: boolean;
}

/** Runs `heygen-build styles`; resolves to the exit code. */
export async function runStyles(flags: StylesFlags): Promise<number> {
  const config = await loadConfig({ cwd: flags.cwd ?? process.cwd(), ...(flags.config ? { configFile: flags.config } : {}) });
  const client = config.heygen.apiKey ? heygenClientFromConfig(config, {}) : undefined;
  try {
    const styles = await styleList(config, client, { refresh: flags.refresh ?? false });
    if (!styles) {
      throw new HeygenBuildError('E_CATALOG_UNAVAILABLE', 'no Video Agent style list: no API key, and no copy in .heygen/video-agent-styles.json', {
        hint: 'set HEYGEN_API_KEY so the list can be fetched (a free request), or run once with a key to cache it',
      });
    }
    const shown = flags.tag ? styles.filter((s) => s.tags.includes(flags.tag!)) : styles;
    process.stdout.write(flags.json ? `${JSON.stringify(stylesJson(shown), null, 2)}\n` : formatStyles(shown));
    return EXIT.OK;
  } catch (e) {
    if (flags.json) process.stdout.write(`${JSON.stringify(errorDocument(e), null, 2)}\n`);
    throw e;
  } finally {
    await client?.close();
  }
}
