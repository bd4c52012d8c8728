/**
 * Truncation detection. A lockfile cut short between two entries (a full disk during a checkout, a
 * failed copy, a careless edit) is still valid YAML, and read as whole it forgets every video after
 * the cut: the next build pays for them again. So every file written since format 2 ends with a
 * fixed line, and a format-2 file without it is refused.
 *
 * The line holds no count or digest on purpose: it is the same in every lockfile, so two branches
 * that add different videos still merge in git without a conflict on it, a hand-resolved merge
 * reads as long as the line stays last, and a merge driver only has to serialize its result.
 */
import { HeygenBuildError } from '../errors.js';
import type { Lockfile } from '../model/lock.js';
import { LOCKFILE_END, LOCKFILE_HEADER } from './serialize.js';

const END_LINE = LOCKFILE_END.slice(0, -1);

/**
 * The end line is the file's last line, its newline included: anything shorter was cut. A CRLF
 * ending is accepted too (a Windows checkout with core.autocrlf), as the YAML reader accepts it.
 */
export function isSealed(text: string): boolean {
  const eol = text.endsWith('\r\n') ? 2 : text.endsWith('\n') ? 1 : 0;
  const start = text.length - eol - END_LINE.length;
  return eol > 0 && start > 0 && text.charCodeAt(start - 1) === 10 && text.startsWith(END_LINE, start);
}

/** A format-1 file (no end line to check) says so in a top-level `version: 1` line. */
const DECLARES_V1 = /^version:[ ]*1[ ]*(?:#.*)?$/m;

/** Whether a lockfile says it is format 1, which predates the end line and so is read without it. */
export function declaresVersion1(text: string): boolean {
  return DECLARES_V1.test(text);
}

/** Begins as heygen-build writes a lockfile (what is left of a generated file cut anywhere). */
export function looksGenerated(text: string): boolean {
  return text.startsWith(LOCKFILE_HEADER) || LOCKFILE_HEADER.startsWith(text);
}

function holds(lock: Lockfile): string {
  const ids = Object.keys(lock.videos);
  const last = ids.reduce<string | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined);
  const assets = Object.keys(lock.assets).length;
  const videos = ids.length === 1 ? '1 video' : `${ids.length} videos`;
  return `it still holds ${videos}${last === undefined ? '' : `, the last "${last}"`}, and ${assets === 1 ? '1 asset' : `${assets} assets`}`;
}

/** `lock` is what the cut file still holds, when it could be read. */
export function truncated(text: string, file: string, lock?: Lockfile): HeygenBuildError {
  const lines = text.split('\n');
  // The line the file stops on: the last non-empty one (or line 1 for an empty file).
  let line = lines.length;
  while (line > 1 && lines[line - 1] === '') line--;
  const held = text.trim() === '' ? 'the file is empty' : `what came after line ${line} is lost${lock ? ` (${holds(lock)})` : ''}`;
  return new HeygenBuildError(
    'E_LOCKFILE_TRUNCATED',
    `${file}:${line}:1: the lockfile was cut short (it ends without its end line): ${held}`,
    {
      hint:
        `Restore it from git, e.g. \`git checkout -- ${file}\` (or from an earlier commit: \`git checkout <commit> -- ${file}\`), ` +
        'then run `heygen-build plan`. ' +
        'heygen-build never reads or overwrites a cut-short lockfile: the lost entries hold the ids of videos already paid for. ' +
        `If you removed the end line yourself and the file is otherwise complete, add it back as the last line: ${LOCKFILE_END.trim()}`,
      location: { file, line, column: 1 },
    },
  );
}
