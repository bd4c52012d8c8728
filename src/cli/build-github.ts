/**
 * `build --format github` (the default inside GitHub Actions): the build's log as for people, and each
 * item that failed as an `::error` annotation, placed on its manifest's line when the failure is (a
 * render HeyGen failed: the video's or scene's declaration), so the pull request shows it there.
 */
import type { BuildEvent } from '../execute/events.js';
import { escapeData, escapeProperty } from '../reporters/diagnostics.js';
import { repositoryPaths } from './github.js';

/** A `failed` event as its annotation, paths from the repository root (`path`). */
export function failureAnnotation(e: Extract<BuildEvent, { type: 'failed' }>, path: (file: string) => string): string {
  const props: string[] = [];
  let message = e.message;
  if (e.file !== undefined && e.line !== undefined) {
    props.push(`file=${escapeProperty(path(e.file))}`, `line=${e.line}`);
    if (e.column !== undefined) props.push(`col=${e.column}`);
    // The annotation sits at the place: the message need not say it again.
    const lead = `${e.file}:${e.line}${e.column !== undefined ? `:${e.column}` : ''}: `;
    if (message.startsWith(lead)) message = message.slice(lead.length);
  }
  props.push(`title=${escapeProperty(`${e.code} ${e.id}`)}`);
  return `::error ${props.join(',')}::${escapeData(message)}\n`;
}

/**
 * What writes a failed item's annotation to `write`; `root`: the project's folder. The repository's root
 * is asked of git once, at the first failure (a build that fails nothing never asks).
 */
export function failureAnnotator(root: string, write: (s: string) => void): (e: BuildEvent) => void {
  let path: ((file: string) => string) | undefined;
  return (e) => {
    if (e.type !== 'failed') return;
    path ??= repositoryPaths(root);
    write(failureAnnotation(e, path));
  };
}
