/**
 * `avatars` and `voices` output: plain tables for people, and JSON documents for scripts whose field
 * names are HeyGen's own (README "Avatars and voices"). Fields are added, never renamed.
 */
import type { Catalog, CatalogLook, CatalogVoice, VideoAgentStyle } from '../model/catalog.js';
import { visibleWidth } from './units.js';

/** The version of the `avatars --json` and `voices --json` documents. */
export const CATALOG_JSON_FORMAT = 1;

function table(head: string[], rows: string[][]): string {
  // Padded by screen columns, not UTF-16 units: voice and look names can be CJK or carry emoji.
  const widths = head.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const pad = (c: string, w: number): string => c + ' '.repeat(Math.max(0, w - visibleWidth(c)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

const TYPE_WORD: Record<CatalogLook['avatar_type'], string> = { studio_avatar: 'studio', digital_twin: 'digital_twin', photo_avatar: 'photo' };

function typeWord(l: CatalogLook): string {
  const t = TYPE_WORD[l.avatar_type];
  return l.status !== null && l.status !== 'completed' ? `${t} (${l.status})` : t;
}

function voiceName(catalog: Catalog, id: string | null): string {
  if (id === null) return '';
  return catalog.voices.find((v) => v.voice_id === id)?.name ?? id;
}

/** The looks as a table: id, name, type (and training state), engines, orientation, default voice, preview. */
export function formatLooks(looks: readonly CatalogLook[], catalog: Catalog): string {
  if (looks.length === 0) return 'No avatar looks match.\n';
  const rows = looks.map((l) => [
    l.id,
    l.name,
    typeWord(l),
    l.supported_api_engines.join(','),
    l.preferred_orientation ?? '',
    voiceName(catalog, l.default_voice_id),
    l.preview_image_url ?? '',
  ]);
  return table(['ID', 'NAME', 'TYPE', 'ENGINES', 'ORIENTATION', 'DEFAULT VOICE', 'PREVIEW'], rows);
}

/** The voices as a table: id, name, language, gender, what it supports, preview. */
export function formatVoices(voices: readonly CatalogVoice[]): string {
  if (voices.length === 0) return 'No voices match.\n';
  const rows = voices.map((v) => {
    const can = [v.starfish ? 'tts' : '', v.support_pause ? 'pause' : '', v.support_locale ? 'locale' : ''].filter(Boolean).join(',');
    return [v.voice_id, v.name, v.language, v.gender, v.type, can, v.preview_audio_url ?? ''];
  });
  return table(['ID', 'NAME', 'LANGUAGE', 'GENDER', 'TYPE', 'SUPPORTS', 'PREVIEW'], rows);
}

/** `avatars --json`: `{format_version, fetched_at, avatars: [look + default_voice_name]}`. */
export function looksJson(looks: readonly CatalogLook[], catalog: Catalog): unknown {
  return {
    format_version: CATALOG_JSON_FORMAT,
    fetched_at: new Date(catalog.fetched_at).toISOString(),
    avatars: looks.map((l) => ({
      id: l.id,
      name: l.name,
      avatar_type: l.avatar_type,
      ownership: l.ownership,
      status: l.status,
      supported_api_engines: l.supported_api_engines,
      preferred_orientation: l.preferred_orientation,
      default_voice_id: l.default_voice_id,
      default_voice_name: l.default_voice_id === null ? null : voiceName(catalog, l.default_voice_id),
      group_id: l.group_id,
      gender: l.gender,
      preview_image_url: l.preview_image_url,
      preview_video_url: l.preview_video_url,
    })),
  };
}

/** `voices --json`: `{format_version, fetched_at, voices: [...]}`. */
export function voicesJson(voices: readonly CatalogVoice[], catalog: Catalog): unknown {
  return {
    format_version: CATALOG_JSON_FORMAT,
    fetched_at: new Date(catalog.fetched_at).toISOString(),
    voices: voices.map((v) => ({
      voice_id: v.voice_id,
      name: v.name,
      language: v.language,
      gender: v.gender,
      type: v.type,
      support_pause: v.support_pause,
      support_locale: v.support_locale,
      starfish: v.starfish,
      preview_audio_url: v.preview_audio_url,
    })),
  };
}

/** The lines to paste into heygen.config.ts for an alias of `look` (with its default voice, when it has one). */
export function aliasSnippet(name: string, look: CatalogLook, catalog: Catalog): string {
  const voice = look.default_voice_id ? `, voice: '${look.default_voice_id}'` : '';
  const says = look.default_voice_id ? `, speaking as ${voiceName(catalog, look.default_voice_id)}` : '';
  return [
    `Add this alias to heygen.config.ts (${look.name}${says}):`,
    '',
    '  avatars: {',
    `    ${/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`}: { id: '${look.id}'${voice} },`,
    '  },',
    '',
    `Then write \`avatar: ${name}\` in a manifest.`,
    '',
  ].join('\n');
}

/** `styles` as a table: the id to write as a prompt video's `style:`, its name, tags and frame. */
export function formatStyles(styles: readonly VideoAgentStyle[]): string {
  if (styles.length === 0) return 'no styles match\n';
  return table(['ID', 'NAME', 'TAGS', 'ASPECT'], styles.map((s) => [s.id, s.name, s.tags.join(', '), s.aspectRatio ?? '']));
}

/** `styles --json`: HeyGen's field names (VideoAgentStylesList). */
export function stylesJson(styles: readonly VideoAgentStyle[]): unknown {
  return {
    format_version: CATALOG_JSON_FORMAT,
    styles: styles.map((s) => ({ style_id: s.id, name: s.name, tags: s.tags, aspect_ratio: s.aspectRatio ?? null })),
  };
}
