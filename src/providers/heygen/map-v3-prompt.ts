/** A prompt video as HeyGen's VideoAgentCreate body (`POST /v3/video-agents`, one-shot `generate` mode). */
import type { AssetRef, VideoSpec } from '../../model/spec.js';

/** One attachment, as VideoAgentCreate's type-discriminated AssetInput. */
export type V3AgentFile = { type: 'asset_id'; asset_id: string } | { type: 'url'; url: string };

/** The body of `POST /v3/video-agents` (the fields this tool sends; HeyGen's names). */
export interface V3VideoAgentRequest {
  prompt: string;
  mode: 'generate';
  avatar_id?: string;
  voice_id?: string;
  style_id?: string;
  orientation?: 'landscape' | 'portrait';
  brand_kit_id?: string;
  files?: V3AgentFile[];
}

/** The request for `spec` (a prompt video); `assetId` gives each uploaded local file's asset id. */
export function toV3VideoAgentRequest(spec: VideoSpec, assetId: (ref: AssetRef) => string | undefined): V3VideoAgentRequest {
  const p = spec.prompt;
  if (!p) throw new Error(`${spec.id} is not a prompt video`);
  const files = p.files.map((f): V3AgentFile => {
    if (f.kind === 'url') return { type: 'url', url: f.url };
    const id = assetId(f);
    if (!id) throw new Error(`${spec.id}: ${f.path} was not uploaded before the request was made`);
    return { type: 'asset_id', asset_id: id };
  });
  return {
    prompt: p.text,
    mode: 'generate',
    ...(spec.avatar ? { avatar_id: spec.avatar.id } : {}),
    ...(spec.voice ? { voice_id: spec.voice.id } : {}),
    ...(p.style !== undefined ? { style_id: p.style } : {}),
    ...(p.orientation !== undefined ? { orientation: p.orientation } : {}),
    ...(p.brandKit !== undefined ? { brand_kit_id: p.brandKit } : {}),
    ...(files.length > 0 ? { files } : {}),
  };
}
