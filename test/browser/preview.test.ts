/**
 * `watch --serve` in a real headless Chromium: the page lists the videos (a `rows:` manifest's rows under
 * their group), plays and seeks a draft, and follows edits live (server-sent events) without reloading.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnWatch, type WatchChild } from '../watch/child.js';
import { fixtureProject, removeProject } from '../watch/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
// The lead's CI installs Chromium (.ci/run); elsewhere this test is skipped, loudly, rather than failed.
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`preview.test.ts: ${CHROMIUM} not found, skipping the browser test (apt-get install -y chromium)`);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let w: WatchChild | undefined;
let context: BrowserContext | undefined;
const cleanup: string[] = [];
afterEach(async () => {
  await context?.close();
  context = undefined;
  w?.kill();
  w = undefined;
  for (const d of cleanup.splice(0)) removeProject(d);
});

describe('watch --serve (Chromium)', () => {
  it.skipIf(!hasChromium)('lists the videos, plays a draft, and updates live after an edit', async () => {
    const dir = fixtureProject();
    cleanup.push(dir);
    w = spawnWatch(['--serve', '0', '--debounce', '50'], dir);
    const url = /Preview: (http:\/\/127\.0\.0\.1:\d+)/.exec(await w.waitFor(/Preview: http:\/\/127\.0\.0\.1:\d+\n/))?.[1];
    expect(url).toBeDefined();
    await w.waitFor(/done: 2 drafts ready/);

    const profile = mkdtempSync(join(tmpdir(), 'hb-chromium-'));
    cleanup.push(profile);
    // A persistent context is how Playwright takes a fresh --user-data-dir.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url!);

    await page.waitForSelector('.card[data-id="alpha"][data-state="ready"]');
    await page.waitForSelector('.card[data-id="beta"][data-state="ready"]');
    expect(await page.locator('.card .title').allTextContents()).toEqual(['Alpha', 'Beta']);

    // The draft is playable: metadata loads (through Range requests) and it can seek.
    const media = await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('.card[data-id="alpha"] > video');
        return v && v.readyState >= 1 && v.duration > 0 ? { duration: v.duration, src: v.getAttribute('src') } : null;
      },
      null,
      { timeout: 20_000 },
    );
    const { duration, src } = (await media.jsonValue())!;
    expect(duration).toBeGreaterThan(0);
    expect(src).toMatch(/^\/media\/alpha\?v=[0-9a-f]{64}$/);
    await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('.card[data-id="alpha"] > video')!;
      v.currentTime = v.duration / 2;
    });
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('.card[data-id="alpha"] > video')!;
      return !v.seeking && v.currentTime > 0;
    });

    // An edit updates the page in place: same document, new draft version for alpha only.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const before = await page.getAttribute('.card[data-id="alpha"]', 'data-version');
    const betaBefore = await page.getAttribute('.card[data-id="beta"]', 'data-version');
    writeFileSync(join(dir, 'videos/alpha.yaml'), 'title: Alpha Two\nscenes:\n  - script: The preview follows this edit.\n');
    await page.waitForFunction(
      (old) => {
        const c = document.querySelector<HTMLElement>('.card[data-id="alpha"]');
        return c !== null && c.dataset.state === 'ready' && c.dataset.version !== old;
      },
      before,
      { timeout: 20_000 },
    );
    expect(await page.textContent('.card[data-id="alpha"] .title')).toBe('Alpha Two');
    expect(await page.getAttribute('.card[data-id="beta"]', 'data-version')).toBe(betaBefore);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    // beta's draft deleted from the cache: made again, byte for byte the same, and the card says it was rebuilt.
    const beta = await page.$eval('.card[data-id="beta"]', (c) => ({ key: (c as HTMLElement).dataset.key!, built: (c as HTMLElement).dataset.built! }));
    expect(beta.built).not.toBe('');
    expect(await page.textContent('.card[data-id="beta"] .meta .built')).toMatch(/^built /);
    rmSync(join(dir, '.heygen/drafts', `${beta.key}.mp4`));
    await page.waitForFunction(
      (old) => {
        const c = document.querySelector<HTMLElement>('.card[data-id="beta"]');
        return c !== null && c.dataset.state === 'ready' && c.dataset.built !== old && c.classList.contains('rebuilt');
      },
      beta.built,
      { timeout: 20_000 },
    );
    expect(await page.getAttribute('.card[data-id="beta"]', 'data-version')).toBe(betaBefore);
    expect(existsSync(join(dir, '.heygen/drafts', `${beta.key}.mp4`))).toBe(true);

    // alpha's output deleted while the page had asked for it (a 404 here, whatever the timing): placed again
    // from the cache, and the broken video loads again by itself.
    await page.route('**/media/alpha?*', (route) => route.fulfill({ status: 404, body: 'video not on disk\n' }));
    await page.evaluate(() => document.querySelector<HTMLVideoElement>('.card[data-id="alpha"] > video')!.load());
    await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('.card[data-id="alpha"] > video')!.error !== null);
    await page.unroute('**/media/alpha?*');
    const alphaBuilt = await page.getAttribute('.card[data-id="alpha"]', 'data-built');
    rmSync(join(dir, 'out/alpha.draft.mp4'));
    await page.waitForFunction(
      (old) => {
        const c = document.querySelector<HTMLElement>('.card[data-id="alpha"]')!;
        const v = c.querySelector<HTMLVideoElement>(':scope > video')!;
        return c.dataset.built !== old && v.error === null && v.readyState >= 1;
      },
      alphaBuilt,
      { timeout: 20_000 },
    );
    expect(existsSync(join(dir, 'out/alpha.draft.mp4'))).toBe(true);

    // An invalid edit shows the error with its location, and marks the video.
    writeFileSync(join(dir, 'videos/alpha.yaml'), readFileSync(join(dir, 'videos/alpha.yaml'), 'utf8').replace('scenes:', 'scenes: [oops'));
    await page.waitForSelector('.card[data-id="alpha"][data-state="invalid"]', { timeout: 20_000 });
    expect(await page.textContent('#errors')).toMatch(/videos\/alpha\.yaml:\d+:\d+ error E_/);
  });

  it.skipIf(!hasChromium)('groups the rows of a rows: manifest under their id pattern; a one-cell edit updates that row only', async () => {
    const dir = fixtureProject();
    cleanup.push(dir);
    writeFileSync(join(dir, 'videos', 'people.csv'), 'id,name\np1,Ann\np2,Bo\np3,Cy\n');
    writeFileSync(join(dir, 'videos', 'hi.yaml'), 'rows: people.csv\nid: hi/{{ id }}\ntitle: Hi {{ name }}\nscenes:\n  - script: Hello {{ name }}.\n');
    w = spawnWatch(['--serve', '0', '--debounce', '50'], dir);
    const url = /Preview: (http:\/\/127\.0\.0\.1:\d+)/.exec(await w.waitFor(/Preview: http:\/\/127\.0\.0\.1:\d+\n/))?.[1];
    await w.waitFor(/done: 5 drafts ready/);
    const profile = mkdtempSync(join(tmpdir(), 'hb-chromium-'));
    cleanup.push(profile);
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url!);

    const group = '#groups section.group[data-group="hi/*"]';
    await page.waitForSelector(`${group} .card[data-id="hi/p3"][data-state="ready"]`);
    expect(await page.textContent(`${group} .group-title`)).toBe('hi/* · 3 rows · 3 ready');
    const ids = (sel: string): Promise<string[]> => page.locator(sel).evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.id ?? ''));
    expect(await ids(`${group} .rows > .card`)).toEqual(['hi/p1', 'hi/p2', 'hi/p3']);
    // The other videos stay in the plain list, the rows only in their group.
    expect(await ids('#videos > .card')).toEqual(['alpha', 'beta']);

    const versions = async (): Promise<string[]> => page.locator(`${group} .rows > .card`).evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.version ?? ''));
    const before = await versions();
    // A longer name makes a longer draft: a new file, so a new version of that card.
    writeFileSync(join(dir, 'videos', 'people.csv'), 'id,name\np1,Ann\np2,Bartholomew of the very long name\np3,Cy\n');
    await page.waitForFunction(
      (old) => {
        const c = document.querySelector<HTMLElement>('.card[data-id="hi/p2"]');
        return c !== null && c.dataset.state === 'ready' && c.dataset.version !== old;
      },
      before[1],
      { timeout: 20_000 },
    );
    expect(await page.textContent('.card[data-id="hi/p2"] .title')).toBe('Hi Bartholomew of the very long name');
    const after = await versions();
    expect([after[0], after[2]]).toEqual([before[0], before[2]]);
  });

  it.skipIf(!hasChromium)('shows posters, scenes, the plan, captions, a filter and the connection state (screenshot)', async () => {
    const dir = fixtureProject();
    cleanup.push(dir);
    writeFileSync(
      join(dir, 'videos/alpha.yaml'),
      'title: Alpha\ncaption: true\nscenes:\n  - script: Hello there from alpha.\n  - silence: 1\n  - script: And goodbye.\n',
    );
    w = spawnWatch(['--serve', '0', '--debounce', '50'], dir);
    const url = /Preview: (http:\/\/127\.0\.0\.1:\d+)/.exec(await w.waitFor(/Preview: http:\/\/127\.0\.0\.1:\d+\n/))?.[1];
    await w.waitFor(/done: 2 drafts ready/);
    const profile = mkdtempSync(join(tmpdir(), 'hb-chromium-'));
    cleanup.push(profile);
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 } });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url!);
    await page.waitForSelector('.card[data-id="alpha"][data-state="ready"]');
    await page.waitForSelector('.card[data-id="beta"][data-state="ready"]');

    // Connection state: visible, and live once the event stream is open.
    await page.waitForSelector('#conn[data-state="live"]');
    expect(await page.textContent('#conn')).toBe('live');

    // Poster frames: a real image of the draft (its #112233 background), not a black box.
    const poster = await page.getAttribute('.card[data-id="alpha"] > video', 'poster');
    expect(poster).toMatch(/^\/poster\/alpha\?v=[0-9a-f]{64}$/);
    const pixel = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const bmp = await createImageBitmap(await r.blob());
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const g = c.getContext('2d')!;
      g.drawImage(bmp, 0, 0);
      const [red, green, blue] = g.getImageData(2, 2, 1, 1).data;
      return { type: r.headers.get('content-type'), width: bmp.width, rgb: [red, green, blue] };
    }, poster!);
    expect(pixel.type).toBe('image/jpeg');
    expect(pixel.width).toBeGreaterThan(100);
    expect(pixel.rgb[2]).toBeGreaterThan(30); // #112233's blue, give or take JPEG

    // Scenes with their scripts, in order.
    expect(await page.locator('.card[data-id="alpha"] .scene .script').allTextContents()).toEqual(['Hello there from alpha.', '1 s of silence', 'And goodbye.']);
    expect(await page.textContent('.card[data-id="alpha"] .scenes summary')).toBe('3 scenes');
    expect(await page.locator('.card[data-id="alpha"] .scene .who').first().textContent()).toContain('narrator');

    // The plan's action, reasons and estimate.
    expect(await page.textContent('.card[data-id="alpha"] .plan .action')).toMatch(/^(create|update)$/);
    expect(await page.textContent('.card[data-id="alpha"] .plan .estimate')).toMatch(/^~\d+s · [\d.]+ cr$/);
    expect((await page.textContent('.card[data-id="alpha"] .plan .reasons'))!.length).toBeGreaterThan(0);

    // The .srt as a caption track the browser loads (WebVTT on the fly).
    const cues = await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('.card[data-id="alpha"] > video')!;
        const t = v.textTracks[0];
        if (!t) return null;
        t.mode = 'showing';
        return t.cues && t.cues.length > 0 ? Array.from(t.cues, (c) => (c as VTTCue).text) : null;
      },
      null,
      { timeout: 20_000 },
    );
    expect((await cues.jsonValue())!.join(' ')).toContain('Hello there from alpha.');
    expect(await page.locator('.card[data-id="beta"] > video track').count()).toBe(0);

    // The screenshot: every element above on screen.
    const shot = await page.screenshot({ path: join(profile, 'preview.png'), fullPage: true });
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    for (const sel of ['#conn', '#filter', '.card[data-id="alpha"] > video', '.card[data-id="alpha"] .scenes', '.card[data-id="alpha"] .plan', '.card[data-id="beta"] > video']) {
      expect(await page.locator(sel).isVisible(), sel).toBe(true);
      const box = await page.locator(sel).boundingBox();
      expect(box && box.width > 0 && box.height > 0, sel).toBe(true);
    }
    if (process.env.PREVIEW_SCREENSHOT) writeFileSync(process.env.PREVIEW_SCREENSHOT, shot);

    // The filter box: by title or id, and by a script's words.
    await page.fill('#filter', 'beta');
    expect(await page.locator('.card:visible').evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.id))).toEqual(['beta']);
    expect(await page.textContent('#shown')).toBe('1 of 2 shown');
    await page.fill('#filter', 'goodbye');
    expect(await page.locator('.card:visible').evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.id))).toEqual(['alpha']);
    await page.fill('#filter', '');
    expect(await page.locator('.card:visible').count()).toBe(2);

    // The watch goes away: the page says so.
    w.kill();
    await page.waitForSelector('#conn[data-state="down"]', { timeout: 10_000 });
    expect(await page.textContent('#conn')).toMatch(/disconnected/);
  });
});
