/**
 * The two manifests that are not avatar videos: a voiceover (`output` ends in .mp3/.wav/.m4a: audio only)
 * and a dub (`source:` instead of `scenes`: a video the user already has, translated).
 */

import type { DubSpec, PendingRef } from '../../model/spec.js';
import { isAudioOutput } from '../../model/outputs.js';
import type { ManifestInput } from '../types.js';
import { assetRef, writtenAt, type Resolving } from './context.js';

/** The video a dub translates, local files queued for digesting like any asset, with where `source:` is written. */
export function dubSource(r: Resolving, m: ManifestInput): DubSpec<PendingRef> | undefined {
  if (m.source === undefined) return undefined;
  const video = assetRef(r, m.source, ['source'], 'source video');
  if (!video) return undefined;
  const at = writtenAt(r, ['source']);
  return at ? { video, at } : { video };
}

/** What a voiceover or a dub cannot have, reported at the key that asks for it. */
export function kindIssues(r: Resolving, m: ManifestInput, output: string): void {
  overlayKindIssues(r, m, output);
  if (m.source !== undefined) {
    if (isAudioOutput(output)) {
      r.issues.push({ code: 'E_OUTPUT', message: 'a dub (source:) writes videos: its output must be an .mp4', hint: 'name the output e.g. out/webinar.mp4; each language is written next to it (out/webinar.es.mp4)', path: ['output'] });
    }
    if ((m.translations ?? []).length === 0) {
      r.issues.push({
        code: 'E_MISSING_KEY',
        message: 'a manifest with `source:` dubs that video, so it needs `translations:` with at least one language',
        hint: 'add e.g. `translations: [es, fr]`, or replace `source:` with `scenes:` to render a new video',
        path: ['source'],
        at: 'key',
      });
    }
    return;
  }
  if (!isAudioOutput(output)) return;
  if (m.prompt !== undefined) {
    r.issues.push({ code: 'E_OUTPUT', message: 'a prompt video is a video: its output must be an .mp4', hint: 'name the output e.g. out/launch.mp4', path: ['output'] });
    return;
  }
  if ((m.translations ?? []).length > 0) {
    r.issues.push({
      code: 'E_SCHEMA',
      message: 'a voiceover (audio output) cannot be translated: HeyGen translates videos',
      hint: 'write one voiceover per language (with a voice of that language), or render a video (.mp4 output) and translate it',
      path: ['translations'],
      at: 'key',
    });
  }
  (m.scenes ?? []).forEach((s, i) => {
    if (s.avatar !== undefined || s.background !== undefined) {
      r.issues.push({
        code: 'E_SCHEMA',
        message: `scenes[${i}] has ${s.avatar !== undefined ? 'an avatar' : 'a background'}, but a voiceover (audio output) has no picture`,
        hint: 'remove it, or write the output as an .mp4 to render a video',
        path: ['scenes', i, s.avatar !== undefined ? 'avatar' : 'background'],
        at: 'key',
      });
    }
  });
}

/**
 * Text overlays are laid over scene clips by the compositor: a template video (rendered whole by HeyGen),
 * a dub (HeyGen translates the source) and a voiceover (no picture) have nothing to lay them on, and an
 * overlay must never be dropped silently.
 */
function overlayKindIssues(r: Resolving, m: ManifestInput, output: string): void {
  const kind = m.template !== undefined ? 'a template video' : m.prompt !== undefined ? 'a prompt video' : m.source !== undefined ? 'a dub (source:)' : isAudioOutput(output) ? 'a voiceover (audio output)' : undefined;
  if (kind === undefined) return;
  const at: (string | number)[][] = [];
  if (m.text !== undefined) at.push(['text']);
  (m.scenes ?? []).forEach((s, i) => {
    if (s.text !== undefined) at.push(['scenes', i, 'text']);
  });
  for (const path of at) {
    r.issues.push({
      code: 'E_SCHEMA',
      message: `${kind} cannot carry text overlays: they are composed over scene clips`,
      hint: 'remove `text:`, or render the video from `scenes:` to lay text over it',
      path,
      at: 'key',
    });
  }
}
