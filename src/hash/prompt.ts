/**
 * What of a prompt video changes its render: the prompt and every input Video Agent gets, attached
 * files by their bytes. The assumed length (`seconds`, `statedAs`) is read from the prompt, so it is
 * covered by the prompt's text and never hashed on its own.
 */
import type { AssetRef, PromptSpec } from '../model/spec.js';

/** The hashed value of a prompt spec (explicit picks: a new field must be a decision to hash). */
export function promptValue(p: PromptSpec, asset: (ref: AssetRef) => Record<string, string>): Record<string, unknown> {
  return {
    text: p.text,
    style: p.style,
    orientation: p.orientation,
    brandKit: p.brandKit,
    files: p.files.map(asset),
  };
}

/** Part digests, so a plan says which input changed (a file's new bytes show as its `asset <path>` part). */
export function promptParts(p: PromptSpec, leaf: (name: string, value: unknown) => void, byPath: (ref: AssetRef) => Record<string, string>): void {
  leaf('prompt', p.text);
  leaf('prompt.style', p.style);
  leaf('prompt.orientation', p.orientation);
  leaf('prompt.brand_kit', p.brandKit);
  leaf('prompt.files', p.files.map(byPath));
}
