/**
 * The schema is the source of truth for the manifest's shape; src/manifest/types.ts mirrors it.
 * The key tables there are checked by the compiler against the TypeScript types, and here
 * against the schema, so a property added to only one side fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as types from '../../src/manifest/types.js';
import { REPO } from './helpers.js';

type Node = { properties?: Record<string, unknown>; anyOf?: Node[]; definitions?: Record<string, Node> };
const schema = JSON.parse(readFileSync(path.join(REPO, 'schema/video.schema.json'), 'utf8')) as Node;
const def = (name: string): Node => {
  const d = schema.definitions?.[name];
  if (!d) throw new Error(`no definition ${name}`);
  return d;
};
const keys = (n: Node | undefined): string[] => Object.keys(n?.properties ?? {}).sort();
/** The object branch of an anyOf that has this property. */
const branch = (name: string, prop: string): Node | undefined => def(name).anyOf?.find((b) => b.properties && prop in b.properties);
const sorted = (o: object): string[] => Object.keys(o).sort();

describe('TypeScript manifest types match the JSON schema', () => {
  it.each([
    ['manifest', schema, types.MANIFEST_KEYS],
    ['scene', def('scene'), types.SCENE_KEYS],
    ['avatar map', branch('avatar', 'id'), types.AVATAR_OBJECT_KEYS],
    ['voice map', branch('voice', 'id'), types.VOICE_OBJECT_KEYS],
    ['voice elevenlabs', (branch('voice', 'id')?.properties as Record<string, Node> | undefined)?.elevenlabs, types.ELEVENLABS_KEYS],
    ['dimension preset', branch('dimension', 'preset'), types.PRESET_DIMENSION_KEYS],
    ['dimension size', branch('dimension', 'width'), types.SIZE_DIMENSION_KEYS],
    ['caption map', branch('caption', 'burn'), types.CAPTION_OBJECT_KEYS],
    ['color background', branch('background', 'color'), types.COLOR_BACKGROUND_KEYS],
    ['image background', branch('background', 'image'), types.IMAGE_BACKGROUND_KEYS],
    ['video background', branch('background', 'video'), types.VIDEO_BACKGROUND_KEYS],
    ['translation map', branch('translation', 'language'), types.TRANSLATION_OBJECT_KEYS],
    ['template', def('template'), types.TEMPLATE_KEYS],
    ['text overlay', def('textOverlay'), types.TEXT_OVERLAY_KEYS],
    ['text style', def('textStyle'), types.TEXT_STYLE_KEYS],
  ] as const)('%s', (_name, node, table) => {
    expect(keys(node)).toEqual(sorted(table));
  });

  it('every object in the schema is closed (unknown keys are errors)', () => {
    const open: string[] = [];
    const walk = (n: unknown, where: string): void => {
      if (Array.isArray(n)) return n.forEach((x, i) => walk(x, `${where}/${i}`));
      if (!n || typeof n !== 'object') return;
      const o = n as Record<string, unknown>;
      if (o.type === 'object' && o.additionalProperties !== false) open.push(where);
      for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`);
    };
    walk(schema, '#');
    expect(open).toEqual([]);
  });
});
