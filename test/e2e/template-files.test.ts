/**
 * Template variables given as local files: uploaded once as assets (deduplicated by their bytes, like every
 * asset), sent by asset id, and keyed by their bytes. The real CLI against the emulator; one emulator for the file.
 */
import { execFileSync } from 'node:child_process';
import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { sharedEmulator } from './emulator.js';
import { projectFactory, runCli } from '../helpers/cli.js';
import { expectPlanWarning } from './plan-warning.js';

const KEY = 'test-key-template-files-8d2';
let emu: Emulator;
let env: Record<string, string>;

sharedEmulator({ apiKey: KEY, renderMs: 100, translateMs: 100 }, (e, v) => ((emu = e), (env = v)));

const project = projectFactory(`export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
};
`);

const welcome = (name: string): string => `template:
  id: tpl_welcome
  variables:
    first_name: ${name}
    company: Acme
    logo: ../brand/logo.png
`;

function png(file: string, color: string): void {
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=32x32`, '-frames:v', '1', '-y', file]);
}

/** Ada's logo is a WebP saved as `brand/logo.png` (HeyGen would not take it); Bob's is a real PNG. */
function webpLogoProject(): string {
  const dir = project({ 'videos/ada.yaml': welcome('Ada'), 'videos/bob.yaml': welcome('Bob').replace('../brand/logo.png', '../brand/good.png'), 'brand/.keep': '' });
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=green:s=32x32', '-frames:v', '1', '-c:v', 'libwebp', '-f', 'webp', '-y', join(dir, 'brand', 'logo.png')]);
  png(join(dir, 'brand', 'good.png'), 'red');
  return dir;
}

/** A template with a video variable (HeyGen's app lets a scene's clip be one), added to the shared emulator. */
const reel = (name: string, clip: string): string => `template:
  id: tpl_reel
  variables:
    first_name: ${name}
    clip: ${clip}
`;

/** A one-second clip ffmpeg writes as `file`, in the container `format` (an iPhone's `mov`, or `mp4`). */
function clip(file: string, format: 'mov' | 'mp4'): void {
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=green:s=64x64:r=5:d=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', format, '-y', file]);
}

/**
 * Ada's clip is a phone's QuickTime movie (HeyGen would not take it); Bob's is an MP4; Cal's is an MP4 cut
 * short before its index (ffmpeg writes it last), which only a probe finds.
 */
function movClipProject(): string {
  emu.settings.templates.tpl_reel = {
    name: 'Reel',
    aspectRatio: '16:9',
    updatedAt: 1_767_225_600,
    variables: { first_name: 'text', clip: 'video' },
    scenes: [{ id: 'scene_reel', script: 'Hi {{first_name}}, watch this.', variables: ['first_name', 'clip'] }],
  };
  const dir = project({ 'videos/ada.yaml': reel('Ada', '../clips/ada.mov'), 'videos/bob.yaml': reel('Bob', '../clips/bob.mp4'), 'videos/cal.yaml': reel('Cal', '../clips/cal.mp4'), 'clips/.keep': '' });
  clip(join(dir, 'clips', 'ada.mov'), 'mov');
  clip(join(dir, 'clips', 'bob.mp4'), 'mp4');
  const cal = join(dir, 'clips', 'cal.mp4');
  clip(cal, 'mp4');
  truncateSync(cal, Math.floor(statSync(cal).size / 2));
  return dir;
}

type Req = { method: string; path: string; body?: { variables?: Record<string, { properties: Record<string, unknown> }> } };
const since = (n: number): Req[] => (emu.requests as unknown as Req[]).slice(n);
const uploads = (reqs: Req[]): number => reqs.filter((r) => r.method === 'POST' && r.path === '/v3/assets').length;
const posts = (reqs: Req[]): Req[] => reqs.filter((r) => r.method === 'POST' && r.path.startsWith('/v3/templates/'));

/** Ada's plan line: still planned and priced when her file is refused (the build fails her). */
const ADA_PLANNED = /^\+ create +ada +~\d+s +[\d.]+ cr$/m;

describe('template variables from local files', () => {
  it('uploads a shared image once, sends its asset id, and renders again when its bytes change', async () => {
    const dir = project({ 'videos/ada.yaml': welcome('Ada'), 'videos/bob.yaml': welcome('Bob'), 'brand/.keep': '' });
    png(join(dir, 'brand', 'logo.png'), 'red');
    let n = emu.requests.length;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(uploads(since(n))).toBe(1);
    const sent = posts(since(n));
    expect(sent).toHaveLength(2);
    const ids = sent.map((p) => p.body!.variables!.logo!.properties);
    expect(ids[0]).toEqual({ asset_id: expect.any(String) });
    expect(ids[1]).toEqual(ids[0]);
    expect(emu.assets().find((a) => a.id === ids[0]!.asset_id)?.mimeType).toBe('image/png');

    // The same path, new bytes: both videos render again, and the plan names the variable.
    png(join(dir, 'brand', 'logo.png'), 'blue');
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout.match(/template\.variables\.logo/g)).toHaveLength(2);
    n = emu.requests.length;
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(uploads(since(n))).toBe(1);
    expect(posts(since(n))).toHaveLength(2);
  });

  it('fails a video whose image variable HeyGen would not take (a WebP named .png) before anything of it is sent; the other video is built', async () => {
    const dir = webpLogoProject();
    const n = emu.requests.length;
    const r = await runCli(['build', '--json'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const failed = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; id?: string; code?: string; message?: string }).filter((e) => e.type === 'failed');
    expect(failed).toEqual([expect.objectContaining({ id: 'ada', code: 'E_COMPOSE_ASSET' })]);
    expect(failed[0]!.message).toMatch(/videos\/ada\.yaml, template variable "logo": HeyGen would not take brand\/logo\.png: it is a WebP picture.*hint: re-export it as PNG or JPEG/);
    // Only bob's logo went up, and only bob was rendered.
    expect(uploads(since(n))).toBe(1);
    expect(posts(since(n))).toHaveLength(1);
  });

  it('plan warns of an image variable HeyGen would not take (a WebP named .png) with the build\'s message and hint, in --json too; a PNG gives none', async () => {
    const dir = webpLogoProject();
    const said = 'videos/ada.yaml, template variable "logo": HeyGen would not take brand/logo.png: it is a WebP picture, and HeyGen takes only PNG and JPEG pictures';
    const hint = 're-export it as PNG or JPEG (`ffmpeg -i brand/logo.png brand/logo-fixed.png`) and point the manifest at the new file';

    // Bob's PNG is fine: the one warning is ada's. Fixed: no warning.
    await expectPlanWarning(dir, env, { said, hint, planned: ADA_PLANNED, fix: () => png(join(dir, 'brand', 'logo.png'), 'blue') });
  });

  it('fails a video whose video variable HeyGen would not take (a QuickTime .mov, an MP4 cut short) before anything of it is sent; the other video is built', async () => {
    const dir = movClipProject();
    const n = emu.requests.length;
    const r = await runCli(['build', '--json'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const failed = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; id?: string; code?: string; message?: string }).filter((e) => e.type === 'failed');
    expect(failed.sort((a, b) => a.id!.localeCompare(b.id!))).toEqual([expect.objectContaining({ id: 'ada', code: 'E_COMPOSE_ASSET' }), expect.objectContaining({ id: 'cal', code: 'E_COMPOSE_ASSET' })]);
    expect(failed[0]!.message).toMatch(
      /videos\/ada\.yaml, template variable "clip": HeyGen would not take clips\/ada\.mov: it is a QuickTime \(MOV\) file, and HeyGen takes only MP4 and WebM video.*hint: re-encode it as MP4 \(`ffmpeg -i clips\/ada\.mov -c:v libx264 -pix_fmt yuv420p -c:a aac clips\/ada\.mp4`\)/s,
    );
    expect(failed[1]!.message).toMatch(/videos\/cal\.yaml, template variable "clip": cannot read the video clips\/cal\.mp4: ffmpeg cannot read its length.*hint: re-export clips\/cal\.mp4 as MP4 or WebM/s);
    // Only bob's clip went up (as the MP4 it is), and only bob was rendered, with it.
    expect(uploads(since(n))).toBe(1);
    const sent = posts(since(n));
    expect(sent).toHaveLength(1);
    const assetId = sent[0]!.body!.variables!.clip!.properties.asset_id;
    expect(emu.assets().find((a) => a.id === assetId)?.mimeType).toBe('video/mp4');
  });

  it('plan warns of a video variable HeyGen would not take (a QuickTime .mov) with the build\'s message and hint; an MP4 gives none', async () => {
    const dir = movClipProject();
    const said = 'videos/ada.yaml, template variable "clip": HeyGen would not take clips/ada.mov: it is a QuickTime (MOV) file, and HeyGen takes only MP4 and WebM video';
    const hint = 're-encode it as MP4 (`ffmpeg -i clips/ada.mov -c:v libx264 -pix_fmt yuv420p -c:a aac clips/ada.mp4`) and point the manifest at the new file';

    // Cal's MP4 is one by its bytes: plan does not probe it (the build does). Re-encoded in place (an MP4
    // under the old name): no warning.
    await expectPlanWarning(dir, env, { said, hint, planned: ADA_PLANNED, fix: () => clip(join(dir, 'clips', 'ada.mov'), 'mp4') });
  });

  it('reports a missing file at the variable', async () => {
    const dir = project({ 'videos/ada.yaml': welcome('Ada') });
    const r = await runCli(['plan'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/videos\/ada\.yaml:6:\d+.*template variable logo "\.\.\/brand\/logo\.png" not found/);
  });
});
