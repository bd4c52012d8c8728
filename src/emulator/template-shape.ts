/**
 * The shape of a template definition a test gives the emulator (`/__emulator/settings`), checked when it
 * is given: a definition of the wrong shape is refused with the field named, instead of being stored and
 * failing later, confusingly, in the middle of a render.
 */
import type { EmulatedTemplate, TemplateVariableType } from './types.js';

const VARIABLE_TYPES: readonly TemplateVariableType[] = ['text', 'image', 'video', 'audio', 'character', 'voice'];

/** What is wrong with `def` as a template definition, naming the field; undefined when it is one. */
export function templateShapeProblem(def: unknown): string | undefined {
  if (typeof def !== 'object' || def === null || Array.isArray(def)) return 'must be an object (or null to remove the template)';
  const d = def as Partial<Record<keyof EmulatedTemplate, unknown>>;
  if (typeof d.name !== 'string') return 'name must be a string';
  if (typeof d.aspectRatio !== 'string' || !/^\d+:\d+$/.test(d.aspectRatio)) return 'aspectRatio must be a ratio such as "16:9"';
  if (typeof d.updatedAt !== 'number' || !Number.isFinite(d.updatedAt)) return 'updatedAt must be a number (Unix seconds)';
  if (typeof d.variables !== 'object' || d.variables === null || Array.isArray(d.variables)) return 'variables must be an object of name -> type';
  for (const [name, type] of Object.entries(d.variables)) {
    if (!VARIABLE_TYPES.includes(type as TemplateVariableType)) return `variables.${name} must be one of ${VARIABLE_TYPES.join(', ')}`;
  }
  if (!Array.isArray(d.scenes)) return 'scenes must be an array of {id, script, variables}';
  for (const [i, s] of (d.scenes as unknown[]).entries()) {
    const scene = s as { id?: unknown; script?: unknown; variables?: unknown } | null;
    if (typeof scene !== 'object' || scene === null || typeof scene.id !== 'string' || typeof scene.script !== 'string') return `scenes[${i}] must have a string id and script`;
    if (!Array.isArray(scene.variables) || !scene.variables.every((v) => typeof v === 'string')) return `scenes[${i}].variables must be an array of variable names`;
  }
  return undefined;
}
