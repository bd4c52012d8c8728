/**
 * A font file for drawtext. drawtext needs a file (fontconfig lookups are unreliable in static
 * ffmpeg builds), so we look for a common sans font; with none, drafts simply carry no text.
 */
import { access, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Well-known locations, best first (Linux, macOS, Windows). */
const KNOWN = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf',
  '/usr/share/fonts/noto/NotoSans-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/Library/Fonts/Arial.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];

const SEARCH_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts', path.join(os.homedir(), '.fonts'), '/Library/Fonts'];
/** Stop walking font directories after this many entries: a lookup must stay cheap. */
const MAX_ENTRIES = 5000;

let cached: Promise<string | undefined> | undefined;

/** `HEYGEN_DRAFT_FONT` if it exists, else a known font, else any .ttf found in the usual directories. */
export function findFont(): Promise<string | undefined> {
  cached ??= locate();
  return cached;
}

async function locate(): Promise<string | undefined> {
  const override = process.env.HEYGEN_DRAFT_FONT;
  for (const f of [...(override ? [override] : []), ...KNOWN]) {
    if (await exists(f)) return f;
  }
  let budget = MAX_ENTRIES;
  for (const dir of SEARCH_DIRS) {
    const found = await walk(dir, 4, () => --budget > 0);
    if (found) return found;
  }
  return undefined;
}

async function walk(dir: string, depth: number, more: () => boolean): Promise<string | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (!more()) return undefined;
    // Prefer an upright regular face: skip bold/italic/mono variants when choosing blindly.
    if (e.isFile() && /\.(ttf|otf)$/i.test(e.name) && !/bold|italic|oblique|mono|light|math/i.test(e.name)) {
      return path.join(dir, e.name);
    }
  }
  if (depth === 0) return undefined;
  for (const e of entries) {
    if (e.isDirectory()) {
      const found = await walk(path.join(dir, e.name), depth - 1, more);
      if (found) return found;
    }
  }
  return undefined;
}

async function exists(f: string): Promise<boolean> {
  try {
    await access(f);
    return true;
  } catch {
    return false;
  }
}
