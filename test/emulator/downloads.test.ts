import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffprobe from '@ffprobe-installer/ffprobe';
import { afterEach, describe, expect, it } from 'vitest';
import { type Api, avatarBody, completedVideo, drain, start } from './helpers.js';

let api: Api;
afterEach(() => api.emu.stop());

async function finishedVideoUrl(): Promise<{ id: string; url: string }> {
  const id = (await api.post('/v3/videos', avatarBody())).json.data.video_id as string;
  const done = await completedVideo(api, id);
  return { id, url: done.json.data.video_url as string };
}

async function freshUrl(id: string): Promise<string> {
  return (await api.get(`/v3/videos/${id}`)).json.data.video_url as string;
}

describe('presigned download URLs', () => {
  it('expireUrls: N: the URL in hand answers 403 AccessDenied until a status GET mints a fresh one', async () => {
    api = await start();
    const { id, url } = await finishedVideoUrl();
    api.emu.faults.expireUrls = 1;
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    const xml = await expired.text();
    expect(xml).toContain('<Code>AccessDenied</Code>');
    expect(xml).toContain('expired');
    expect((await fetch(url)).status).toBe(403); // an expired URL stays expired
    const fresh = await freshUrl(id);
    expect(fresh).not.toBe(url);
    expect((await fetch(fresh)).status).toBe(200);
    expect(api.emu.faults.expireUrls).toBeUndefined();
  });

  it('expireUrls: true: the first download of every job expires, later URLs work', async () => {
    api = await start();
    api.emu.faults.expireUrls = true;
    for (let i = 0; i < 2; i++) {
      const { id, url } = await finishedVideoUrl();
      expect((await fetch(url)).status).toBe(403);
      expect((await fetch(await freshUrl(id))).status).toBe(200);
    }
  });

  it('urls expire after urlTtlMs, and a tampered URL is refused', async () => {
    api = await start({ urlTtlMs: 1 });
    const { url } = await finishedVideoUrl();
    await new Promise((r) => setTimeout(r, 5));
    expect((await fetch(url)).status).toBe(403);

    await api.emu.stop();
    api = await start();
    const ok = await finishedVideoUrl();
    const tampered = ok.url.replace(/Expires=(\d+)/, (_m, n: string) => `Expires=${Number(n) + 3600}`);
    const res = await fetch(tampered);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('AccessDenied');
    expect((await fetch(ok.url.replace(/Signature=[^&]+/, 'Signature=abc'))).status).toBe(403);
    expect((await fetch(ok.url)).status).toBe(200);
  });

  it('truncate: Content-Length promises more than arrives, then the connection breaks', async () => {
    api = await start({ videoBytes: 2_000_000 });
    const { url } = await finishedVideoUrl();
    api.emu.faults.truncate = { count: 1 };
    const cut = await fetch(url);
    expect(cut.status).toBe(200);
    const promised = Number(cut.headers.get('content-length'));
    const got = await drain(cut);
    expect(promised).toBe(2_000_000);
    expect(got.bytes).toBeLessThan(promised);
    expect(got.error).toBeDefined();
    const whole = await drain(await fetch(url));
    expect(whole.error).toBeUndefined();
    expect(whole.bytes).toBe(2_000_000);
    expect(api.emu.jobs()[0]?.downloads).toBe(1);
  });

  it('serves byte ranges (206) for resuming', async () => {
    api = await start({ videoBytes: 100_000 });
    const { url } = await finishedVideoUrl();
    const part = await fetch(url, { headers: { Range: 'bytes=50000-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 50000-99999/100000');
    expect((await part.arrayBuffer()).byteLength).toBe(50_000);
    const bad = await fetch(url, { headers: { Range: 'bytes=200000-' } });
    expect(bad.status).toBe(416);
  });
});

describe('large videos', () => {
  const base = readFileSync(new URL('../../src/emulator/assets/base.mp4', import.meta.url));

  /** What we expect: the base MP4, then one top-level `free` box padding the file to `total`. */
  function expectedSha(total: number): string {
    const hash = createHash('sha256').update(base);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(total - base.length, 0);
    header.write('free', 4, 'latin1');
    hash.update(header);
    const zeros = Buffer.alloc(1 << 20);
    for (let left = total - base.length - 8; left > 0; left -= zeros.length) {
      hash.update(left >= zeros.length ? zeros : zeros.subarray(0, left));
    }
    return hash.digest('hex');
  }

  it('streams a 50 MB video: exact length, MP4 first, then a free box', async () => {
    const size = 50 * 1024 * 1024;
    api = await start({ videoBytes: size });
    const { url } = await finishedVideoUrl();
    const res = await fetch(url);
    expect(Number(res.headers.get('content-length'))).toBe(size);
    const got = await drain(res);
    expect(got.error).toBeUndefined();
    expect(got.bytes).toBe(size);
    expect(got.head.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(got.sha256).toBe(expectedSha(size));
  });

  it('a padded video is still a valid MP4 for ffprobe', async () => {
    api = await start({ videoBytes: 300_000 });
    const { url } = await finishedVideoUrl();
    const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(bytes.length).toBe(300_000);
    const dir = await mkdtemp(join(tmpdir(), 'emu-'));
    try {
      await writeFile(join(dir, 'v.mp4'), bytes);
      const { stdout } = await promisify(execFile)(ffprobe.path, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', join(dir, 'v.mp4')]);
      expect(Number(stdout.trim())).toBeCloseTo(2, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
