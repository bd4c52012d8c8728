/**
 * Asset ids in a request body must name assets uploaded to this emulator, as they must name
 * assets of the same HeyGen account: `{type: 'asset_id', asset_id}` inputs and `*_asset_id` fields.
 */
import { ApiError } from './envelopes.js';

function walk(node: unknown, at: string, found: Array<{ id: string; param: string }>): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => walk(v, `${at}[${i}]`, found));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const param = at ? `${at}.${key}` : key;
    if ((key === 'asset_id' || key.endsWith('_asset_id')) && typeof value === 'string') found.push({ id: value, param });
    else walk(value, param, found);
  }
}

/** Throws HeyGen's 400 for the first asset id in a request body that was not uploaded here, naming the parameter. */
export function assertKnownAssets(body: unknown, known: (id: string) => boolean): void {
  const found: Array<{ id: string; param: string }> = [];
  walk(body, '', found);
  const unknown = found.find((f) => !known(f.id));
  if (unknown) {
    throw new ApiError(400, 'asset_not_available', `Asset ${unknown.id} was not found`, unknown.param);
  }
}
