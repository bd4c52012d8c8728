/** Files over POST /v3/assets's limit go through HeyGen's direct upload, against the emulator over HTTP. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { HeygenClient } from '../../../src/providers/heygen/client-types.js';
import { createHeygenClient } from '../../../src/providers/heygen/client.js';

const KEY = 'direct-upload-key-42';
let emu: Emulator;
let client: HeygenClient;
let png: string;

beforeAll(async () => {
  emu = await startEmulator({ apiKey: KEY, renderMs: 100 });
  png = join(mkdtempSync(join(tmpdir(), 'hb-direct-')), 'big.png');
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=s=320x180', '-frames:v', '1', png]);
  // A threshold below the file's size: the same path a 40 MB composed video takes.
  client = createHeygenClient({ apiKey: KEY, api: 'v3', baseUrl: emu.url, uploadBaseUrl: emu.url, directUploadAbove: statSync(png).size - 1 });
});
afterAll(async () => {
  await client.close();
  await emu.stop();
});

describe('direct uploads', () => {
  it('asks for a presigned URL, PUTs the bytes without the API key, completes, and the asset renders', async () => {
    const up = await client.uploadAsset(png, 'image/png');
    const calls = emu.requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`);
    expect(calls.some((c) => c === 'POST /v3/assets/direct-uploads')).toBe(true);
    expect(calls.some((c) => c === `POST /v3/assets/${up.id}/complete`)).toBe(true);
    expect(calls.some((c) => c === 'POST /v3/assets')).toBe(false);
    const put = emu.requests.find((r) => r.method === 'PUT')!;
    expect(put).toBeDefined();
    expect(JSON.stringify(put.headers)).not.toContain(KEY);
    const created = await client.createClip(
      { type: 'avatar', avatar_id: 'Daisy-inskirt-20220818', title: 't', resolution: '720p', aspect_ratio: '16:9', callback_id: 'c', script: 'Hi.', voice_id: 'v', background: { type: 'image', asset_id: up.id } },
      { idempotencyKey: 'direct-upload-clip-1' },
    );
    expect(created.id).toBeTruthy();
  });
});
