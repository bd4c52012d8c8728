/**
 * `template:`: a video rendered from a HeyGen template. The template's own definition (its scenes,
 * avatars and voices) lives in HeyGen, so the manifest's avatar, voice and background do not apply:
 * written in the manifest they are an error, inherited from config defaults they are ignored.
 */

import type { SpecPosition, TemplateSpec } from '../../model/spec.js';
import type { DataPath } from '../issue.js';
import type { ManifestInput, TemplateInput } from '../types.js';
import { assetRef, writtenAt, type Resolving } from './context.js';
import { templateFiles } from './template-files.js';
import { resolveDimension } from './dimension.js';

const NOT_FOR_TEMPLATES = ['avatar', 'voice', 'background'] as const;
const START: SpecPosition = { line: 1, column: 1 };

/** The template spec, with where each part is written (for the plan's checks against the definition). */
export function templateSpec(r: Resolving, m: ManifestInput, t: TemplateInput): TemplateSpec {
  for (const key of NOT_FOR_TEMPLATES) {
    if (m[key] !== undefined && !r.fromDefaults([key])) {
      r.issues.push({
        code: 'E_SCHEMA',
        message: `${key} does not apply to a template video: the template in HeyGen decides it`,
        hint: `remove ${key}: (a template's avatar or voice is changed through a character or voice variable)`,
        path: [key],
        at: 'key',
      });
    }
  }
  // What config defaults bring is placed at the config: the manifest does not write it.
  const at = (p: DataPath, side: 'key' | 'value' = 'value'): SpecPosition => writtenAt(r, p, side) ?? START;
  const names = Object.keys(t.variables);
  return {
    id: t.id,
    // Numbers are written as text (`price: 9.99`): every value a template takes is a string.
    variables: Object.fromEntries(names.map((n) => [n, String(t.variables[n])])),
    ...templateFiles(names.map((n) => [n, String(t.variables[n])]), (value, n) => assetRef(r, value, ['template', 'variables', n], `template variable ${n}`)),
    ...(t.scenes ? { sceneIds: [...t.scenes] } : {}),
    ...(t.fps !== undefined ? { fps: t.fps } : {}),
    // Only a size the manifest itself asks for is sent: a default one would rarely match the template's aspect.
    ...(m.dimension !== undefined && !r.fromDefaults(['dimension']) ? { dimension: resolveDimension(m.dimension) } : {}),
    at: {
      template: at(['template'], 'key'),
      id: at(['template', 'id']),
      variableList: at(['template', 'variables'], 'key'),
      variables: Object.fromEntries(names.map((n) => [n, at(['template', 'variables', n], 'key')])),
      scenes: (t.scenes ?? []).map((_s, i) => at(['template', 'scenes', i])),
    },
  };
}
