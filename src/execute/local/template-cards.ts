/**
 * A template video as an offline draft: HeyGen's template cannot be rendered here, so the draft is a
 * storyboard of cards, one per rendered scene of the template (from the definition cached in
 * `.heygen/templates/`), each naming the scene and listing its variables with their values, speaking
 * the scene's script with the text variables filled in. Without a cached definition it is one card
 * listing every variable. The cards are ordinary scenes, so the one compositor draws them.
 */
import type { AvatarSpec, Dimension, SceneSpec, VideoSpec, VoiceSpec } from '../../model/spec.js';
import type { TemplateDefinition } from '../../model/template.js';

const CARD_BACKGROUND = { type: 'color', color: '#1E293B' } as const;
const CARD_VOICE: VoiceSpec = { id: 'template', label: 'template', speed: 1, pitch: 0 };
/** Values longer than this are cut on the card (the full value is in the manifest). */
const VALUE_CHARS = 40;
/** What a card says when the template's definition is unknown. */
const UNKNOWN_SCRIPT = 'Template video. Its scenes are known once the template definition is fetched.';

function card(title: string, lines: string[], script: string): SceneSpec {
  // The placeholder's label is the card's text: the compositor draws it in the avatar's box.
  const avatar: AvatarSpec = { id: 'template', label: [title, ...lines].join('\n'), style: 'normal', scale: 1, offset: { x: 0, y: 0 } };
  return { input: { type: 'script', text: script.trim() === '' ? title : script }, avatar, voice: CARD_VOICE, background: CARD_BACKGROUND };
}

function valueLine(name: string, value: string | undefined): string {
  const v = value === undefined ? '(missing)' : value.length > VALUE_CHARS ? `${value.slice(0, VALUE_CHARS - 1)}…` : value;
  return `${name} = ${v}`;
}

function fill(script: string, variables: Readonly<Record<string, string>>): string {
  return script.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_m, name: string) => variables[name] ?? name);
}

/** 720p at the template's aspect ratio (`16:9`, `9:16`, ...), even sides; undefined when unreadable. */
function sizeOf(aspect: string | undefined): Dimension | undefined {
  const [w, h] = (aspect ?? '').split(':').map(Number);
  if (!w || !h) return undefined;
  const even = (n: number): number => Math.max(2, Math.round(n / 2) * 2);
  return w >= h ? { width: even((720 * w) / h), height: 720 } : { width: 720, height: even((720 * h) / w) };
}

/** The spec a template video is drafted as: one card per rendered template scene. */
export function templateDraftSpec(spec: VideoSpec, def: TemplateDefinition | undefined): VideoSpec {
  const t = spec.template;
  if (!t) return spec;
  const name = def ? `${def.name} (${t.id})` : t.id;
  let scenes: SceneSpec[];
  if (def && def.scenes.length > 0) {
    const byId = new Map(def.scenes.map((s) => [s.id, s]));
    scenes = (t.sceneIds ?? def.scenes.map((s) => s.id)).map((id, i, all) => {
      const scene = byId.get(id);
      const lines = (scene?.variables ?? []).map((v) => valueLine(v, t.variables[v]));
      return card(`TEMPLATE ${name}\nscene ${i + 1}/${all.length}: ${id}`, lines, fill(scene?.script ?? '', t.variables));
    });
  } else {
    const names = [...new Set([...Object.keys(def?.variables ?? {}), ...Object.keys(t.variables)])];
    scenes = [card(`TEMPLATE ${name}`, names.map((n) => valueLine(n, t.variables[n])), def ? '' : UNKNOWN_SCRIPT)];
  }
  return { ...spec, dimension: t.dimension ?? sizeOf(def?.aspectRatio) ?? spec.dimension, scenes };
}
