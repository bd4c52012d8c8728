/**
 * `heygen-build plan` and `build`, in-process: exit codes (0, 1, 2 with --detailed-exitcode), and
 * --json documents a script can parse, carrying the provider and the warnings.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { previewPng } from '../../src/emulator/png.js';
import { silence } from '../../src/execute/heygen/clip-assets.js';
import { projectFactory } from '../helpers/cli.js';
import { cli, ndjson } from './run.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
};
`;
const INTRO = 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello and welcome.\n';
/** Voice emotion: the one thing v3 cannot express even scene by scene (a build refuses this video alone). */
const MOODY = 'avatar: presenter\nbackground: "#334455"\nvoice: { alias: narrator, emotion: Excited }\nscenes:\n  - script: So excited.\n';
/** A key that must never show up in any output; the URL is closed, so any request would fail loudly. */
const SECRET = 'sk-cli-test-0f9e8d7c';
const HEYGEN_ENV = { HEYGEN_API_KEY: SECRET, HEYGEN_API_BASE_URL: 'http://127.0.0.1:9', HEYGEN_UPLOAD_BASE_URL: 'http://127.0.0.1:9' };

const project = projectFactory(CONFIG);

interface PlanDoc {
  format_version: number;
  provider: string;
  warnings: string[];
  items: { id: string; action: string; output: string }[];
  totals: { credits: number };
}

describe('plan', () => {
  it('--json prints one parseable document with the provider and the warnings', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO, 'videos/moody.yaml': MOODY });
    const r = await cli(['plan', '-C', dir, '--json', '--provider', 'heygen', '--max-credits', '0.1']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as PlanDoc;
    expect(doc).toMatchObject({ format_version: 1, provider: 'heygen' });
    expect(doc.items.map((i) => [i.id, i.action])).toEqual([
      ['intro', 'create'],
      ['moody', 'create'],
    ]);
    expect(doc.warnings).toHaveLength(3);
    expect(doc.warnings.join('\n')).toMatch(/budget of 0.1/);
    expect(doc.warnings.join('\n')).toMatch(/avatar and voice ids were not checked/);
    expect(doc.warnings.join('\n')).toMatch(/cannot express moody: .*voice\.emotion/);
  });

  it('without a key plans drafts and says so on stderr, keeping stdout parseable', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO });
    const r = await cli(['plan', '-C', dir, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as PlanDoc;
    expect(doc).toMatchObject({ provider: 'local', warnings: [], totals: { credits: 0 } });
    expect(doc.items[0]?.output).toBe('out/intro.draft.mp4');
    expect(r.stderr).toMatch(/^note: No HEYGEN_API_KEY/);
  });

  it('prints the warnings and the hint a build would give, in human form', async () => {
    const dir = project({ 'videos/moody.yaml': MOODY });
    const r = await cli(['plan', '-C', dir, '--provider', 'heygen']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('moody');
    expect(r.stderr).toMatch(/warning: HeyGen API v3 cannot express moody: .*voice\.emotion/);
    // Only this video would be refused (not the whole build): the hint says what to change.
    expect(r.stderr).toMatch(/hint: remove what each warning names \(voice emotion.*refuses only those videos/);
    expect(r.stderr).not.toMatch(/a build refuses this/);
  });

  it('--detailed-exitcode exits 2 when there is something to build', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO });
    expect((await cli(['plan', '-C', dir, '--provider', 'heygen', '--detailed-exitcode'])).code).toBe(2);
    expect((await cli(['plan', '-C', dir, '--provider', 'heygen'])).code).toBe(0);
  });

  it('exits 1 on an error, with a JSON error document under --json', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO });
    const r = await cli(['plan', '-C', dir, '--json', '--provider', 'heygen', '--replace', 'intr']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ format_version: 1, error: { code: 'E_REPLACE_UNKNOWN', message: expect.stringContaining('did you mean "intro"') } });
    expect(r.stderr).toMatch(/error \[E_REPLACE_UNKNOWN\]/);
    expect(r.stderr).toMatch(/hint: /);
  });

  it('exits 1 on invalid manifests, diagnostics on stderr and a JSON error on stdout', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO, 'videos/bad.yaml': 'avatar: presenter\nscenes: nope\n' });
    const r = await cli(['plan', '-C', dir, '--json', '--detailed-exitcode']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'E_INVALID_MANIFESTS' }, diagnostics: [expect.objectContaining({ severity: 'error' })] });
    expect(r.stderr).toContain('videos/bad.yaml');
  });
});

describe('plan, HeyGen v3 against the emulator: files HeyGen would not take', () => {
  const KEY = 'test-key-plan-uploads-5e1';
  let emu: Emulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    emu = await startEmulator({ apiKey: KEY });
    env = { HEYGEN_API_KEY: KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url };
  });
  afterAll(() => emu.stop());

  /** A WebP header (VP8X, 64x64) saved under a PNG's name, as an export with the wrong extension leaves it. */
  const webp = Buffer.alloc(30);
  webp.write('RIFF', 0, 'latin1');
  webp.writeUInt32LE(22, 4);
  webp.write('WEBPVP8X', 8, 'latin1');
  webp.writeUInt32LE(10, 16);
  webp.writeUIntLE(63, 24, 3);
  webp.writeUIntLE(63, 27, 3);
  const m4a = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A '), Buffer.alloc(64)]);

  /** A photo avatar's video, and an avatar's video whose second scene speaks an audio file. */
  function withAssets(photo: Buffer, audio: { name: string; bytes: Buffer }): string {
    const dir = project({
      'videos/photo.yaml': 'voice: narrator\navatar: {photo: assets/me.png}\nbackground: "#102030"\nscenes:\n  - script: Hello from a photo.\n',
      'videos/voice.yaml': `avatar: presenter\nbackground: "#102030"\nscenes:\n  - script: First, a script.\n  - audio: assets/${audio.name}\n`,
    });
    mkdirSync(join(dir, 'videos/assets'));
    writeFileSync(join(dir, 'videos/assets/me.png'), photo);
    writeFileSync(join(dir, 'videos/assets', audio.name), audio.bytes);
    return dir;
  }

  it('--json lists a WebP saved as .png and an M4A voice track as warnings naming the manifest, the scene and the file', async () => {
    const dir = withAssets(webp, { name: 'voice.m4a', bytes: m4a });
    const r = await cli(['plan', '-C', dir, '--json', '--provider', 'heygen'], env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as PlanDoc;
    expect(doc.items.map((i) => [i.id, i.action])).toEqual([
      ['photo', 'create'],
      ['voice', 'create'],
    ]);
    expect(doc.warnings).toEqual([
      "videos/photo.yaml, scene 1's avatar photo: HeyGen would not take videos/assets/me.png: it is a WebP picture, and HeyGen takes only PNG and JPEG pictures",
      "videos/voice.yaml, scene 2's audio: HeyGen would not take videos/assets/voice.m4a: it is an M4A (MP4 audio) file, and HeyGen takes only MP3 and WAV audio",
    ]);
    // In human form each is followed by the build's own hint; nothing was sent to HeyGen but free lookups.
    const human = await cli(['plan', '-C', dir, '--provider', 'heygen', '--no-snapshot'], env);
    expect(human.stderr).toContain(
      "warning: videos/photo.yaml, scene 1's avatar photo: HeyGen would not take videos/assets/me.png: it is a WebP picture, and HeyGen takes only PNG and JPEG pictures\n" +
        'hint: re-export it as PNG or JPEG (`ffmpeg -i videos/assets/me.png videos/assets/me-fixed.png`) and point the manifest at the new file\n',
    );
    expect(human.stderr).toContain('hint: re-export it as MP3 or WAV (`ffmpeg -i videos/assets/voice.m4a videos/assets/voice.wav`) and point the manifest at the new file\n');
    expect(emu.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('a project whose photo is a PNG and whose voice track a WAV has no such warning', async () => {
    const dir = withAssets(previewPng(64, 64, [200, 120, 40]), { name: 'voice.wav', bytes: silence(1) });
    const r = await cli(['plan', '-C', dir, '--json', '--provider', 'heygen'], env);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as PlanDoc).warnings).toEqual([]);
  });
});

describe('plan --format github', () => {
  it('annotates each finding of a failed template check at its place', async () => {
    const v2 = projectFactory("export default { manifests: ['videos/**/*.yaml'], heygen: { api: 'v2' } };\n");
    const dir = v2({ 'videos/t.yaml': '# a template\ntemplate:\n  id: tpl_welcome\n  variables: { first_name: Ada }\n' });
    const r = await cli(['plan', '-C', dir, '--provider', 'heygen', '--format', 'github'], HEYGEN_ENV);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error file=videos/t.yaml,line=2,col=1,title=E_TEMPLATE::HeyGen templates are rendered through API v3');
    expect(r.stdout).toContain("%0Ahint: remove heygen.api (v3 is the default), or set heygen: { api: 'v3' }");
  });
});

describe('build', () => {
  it('--json prints NDJSON from the plan to done, exits 0; the next plan has nothing to do', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO });
    const r = await cli(['build', '-C', dir, '--json', '--provider', 'local']);
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    expect(events[0]).toMatchObject({ type: 'plan', provider: 'local' });
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true, counts: { rendered: 1, done: 1 } });
    expect(events.every((e) => typeof e.at === 'string')).toBe(true);
    expect(existsSync(join(dir, 'out', 'intro.draft.mp4'))).toBe(true);

    const plan = await cli(['plan', '-C', dir, '--provider', 'local', '--detailed-exitcode']);
    expect(plan.code).toBe(0);

    // A flag that cannot act here is said, not silently ignored: claims live in a remote store.
    const again = ndjson((await cli(['build', '-C', dir, '--json', '--provider', 'local', '--take-over-stale'])).stdout);
    expect(again).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining('--take-over-stale does nothing here: no remote store') }));
  });

  it('--concurrency sets how many drafts render at once: one at a time with 1, all three with 3', async () => {
    const files = Object.fromEntries([1, 2, 3].map((n) => [`videos/v${n}.yaml`, INTRO.replace('Hello', `Hello ${n}`)]));
    /** The most drafts between their 'rendering' and 'done' events at one time. */
    const mostAtOnce = (stdout: string): number => {
      let now = 0;
      let most = 0;
      for (const e of ndjson(stdout)) {
        if (e.type !== 'status') continue;
        if (e.state === 'rendering') most = Math.max(most, ++now);
        if (e.state === 'done') now--;
      }
      return most;
    };
    const one = await cli(['build', '-C', project(files), '--json', '--provider', 'local', '--concurrency', '1']);
    expect(one.code).toBe(0);
    expect(mostAtOnce(one.stdout)).toBe(1);
    const three = await cli(['build', '-C', project(files), '--json', '--provider', 'local', '--concurrency', '3']);
    expect(three.code).toBe(0);
    expect(mostAtOnce(three.stdout)).toBe(3);
  });

  it('refuses over budget with exit 1 and an error event, before any request and without leaking the key', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO });
    const r = await cli(['build', '-C', dir, '--json', '--max-credits', '0.01'], HEYGEN_ENV);
    expect(r.code).toBe(1);
    const events = ndjson(r.stdout);
    expect(events.map((e) => e.type)).toEqual(['plan', 'error']);
    expect(events[1]).toMatchObject({ code: 'E_BUDGET', hint: expect.stringContaining('--max-credits') });
    expect(r.stderr).toMatch(/error \[E_BUDGET\]/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('exits 1 with E_NO_API_KEY for --provider heygen without a key', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO });
    const r = await cli(['build', '-C', dir, '--provider', 'heygen']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error \[E_NO_API_KEY\][^\n]*\n\s+hint: export HEYGEN_API_KEY=\.\.\. \(or put it in \.env; find your key at app\.heygen\.com > Settings > API\)/);
  });

  it('exits 1 when a render fails, with the failure in the events', async () => {
    // A background ffmpeg cannot decode: the manifest is valid, the render is not.
    const dir = project({ 'videos/odd.yaml': 'avatar: presenter\nbackground: { image: bg.png }\nscenes:\n  - script: Odd.\n', 'videos/bg.png': 'not a png' });
    const r = await cli(['build', '-C', dir, '--json', '--provider', 'local']);
    expect(r.code).toBe(1);
    const events = ndjson(r.stdout);
    expect(events.find((e) => e.type === 'failed')).toMatchObject({ id: 'odd', code: expect.stringMatching(/^E_/) });
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: false, counts: { failed: 1 } });
  });

  it('--lock-out naming the project lockfile is refused before anything is built, with what to do instead', async () => {
    const dir = project({ 'videos/intro.yaml': INTRO });
    const r = await cli(['build', '-C', dir, '--shard', '0/2', '--lock-out', 'heygen.lock.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [E_LOCK_OUT] --lock-out heygen.lock.yaml is the project lockfile');
    expect(r.stderr).toContain('hint: name a file of its own, e.g. --lock-out heygen.lock.shard-0-of-2.yaml (the default), and merge the partials with `heygen-build lock merge`');
    expect(existsSync(join(dir, 'heygen.lock.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
