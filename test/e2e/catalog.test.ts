/**
 * Issue #13: the account's catalog (avatar looks and voices) is known before anything is spent. Each
 * rule is shown against the emulator, which fails the same renders HeyGen would, at its place in the
 * manifest; the catalog is fetched once per time-to-live, every page followed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { lookColor } from '../../src/emulator/looks.js';
import { frameAt, near, pixel } from '../providers/local/helpers.js';
import { emulator, posts } from './emulator.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54', legacy: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d' },
  defaults: { dimension: '720p', background: '#112233' },
};
`;

function project(manifests: Record<string, string>, config = CONFIG): string {
  return tempProject({ 'heygen.config.mjs': config, ...manifests });
}

const catalogGets = (emu: { requests: { method: string; path: string }[] }): number =>
  emu.requests.filter((r) => r.method === 'GET' && /^\/v3\/(avatars\/looks|voices)$/.test(r.path)).length;

describe('catalog checks at plan time', () => {
  it('a one-character typo in an avatar id: plan names the place and the real id; build pays for nothing', async () => {
    const { emu, env } = await emulator();
    const dir = project({
      'videos/intro.yaml': 'title: Intro\nvoice: narrator\nscenes:\n  - script: Hello there.\n  - avatar: josh_lite3_2023071\n    script: And hello again.\n',
    });
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('[E_UNKNOWN_AVATAR]');
    expect(plan.stderr).toContain('videos/intro.yaml:5:13');
    expect(plan.stderr).toContain('did you mean "josh_lite3_20230714"');
    const build = await runCli(['build'], { cwd: dir, env });
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('videos/intro.yaml:5:13');
    expect(posts(emu)).toBe(0);
  });

  it("a prompt video's avatar and voice are the account's, checked before Video Agent is paid", async () => {
    const { emu, env } = await emulator();
    const dir = project({
      'videos/tour.yaml': 'prompt: A 20-second product tour.\navatar: {id: josh_lite3_2023071}\nvoice: {id: 2d5b0e6cf36f460aa7fc47e3eee4ba5}\n',
    });
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('[E_UNKNOWN_AVATAR]');
    expect(plan.stderr).toContain('videos/tour.yaml:2:9: avatar: avatar "josh_lite3_2023071" is not a look of this HeyGen account (did you mean "josh_lite3_20230714"');
    expect(plan.stderr).toContain('videos/tour.yaml:3:8: voice: voice "2d5b0e6cf36f460aa7fc47e3eee4ba5" is not a voice of this HeyGen account (did you mean "2d5b0e6cf36f460aa7fc47e3eee4ba54"');
    const build = await runCli(['build'], { cwd: dir, env });
    expect(build.code).toBe(1);
    expect(emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/video-agents')).toHaveLength(0);
  });

  it('an unknown look and an unknown voice in one scene: the error that stops plan and build says to look up both', async () => {
    const { emu, env } = await emulator();
    const dir = project({
      'videos/intro.yaml': 'title: Intro\nscenes:\n  - avatar: {id: josh_lite3_2023071}\n    voice: {id: 2d5b0e6cf36f460aa7fc47e3eee4ba5}\n    script: Hello there.\n',
    });
    // The command's own error comes last on stderr, after each finding with its own hint.
    const lastHint = (stderr: string): string => stderr.slice(stderr.lastIndexOf('error [')).split('\n').find((l) => l.trim().startsWith('hint:')) ?? '';
    const both = /heygen-build avatars.*heygen-build voices/;
    for (const command of ['plan', 'build']) {
      const r = await runCli([command], { cwd: dir, env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error [E_UNKNOWN_AVATAR] unknown avatar look:');
      expect(r.stderr).toMatch(/\nunknown voice:\n/);
      expect(lastHint(r.stderr)).toMatch(both);
    }
    const json = await runCli(['build', '--json'], { cwd: dir, env });
    const event = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { type: string; hint: string; diagnostics: { code: string; hint: string }[] };
    expect(event.type).toBe('error');
    expect(event.hint).toMatch(both);
    // Each finding keeps the one fix that is its own.
    expect(event.diagnostics.map((d) => [d.code, /avatars/.test(d.hint), /voices/.test(d.hint)])).toEqual([
      ['E_UNKNOWN_AVATAR', true, false],
      ['E_UNKNOWN_VOICE', false, true],
    ]);
    expect(posts(emu)).toBe(0);
  });
});

describe('each rule, at its place', () => {
  it('voice, training, engine, pauses, locale and Starfish problems stop plan and build before any request is paid', async () => {
    const { emu, env } = await emulator();
    const config = CONFIG.replace("avatars: {", "avatars: { ghost: 'Daisy-inskirt-2022081', ");
    const dir = project(
      {
        'videos/a-voice.yaml': 'avatar: presenter\nscenes:\n  - voice: 2d5b0e6cf36f460aa7fc47e3eee4ba5\n    script: Hi.\n',
        'videos/b-training.yaml': 'voice: narrator\nscenes:\n  - avatar: {id: look_twin_training_0002}\n    script: Hi.\n',
        'videos/c-engine.yaml': 'voice: narrator\nscenes:\n  - script: Hi.\n    avatar: {id: Edward-classic-20210115}\n',
        'videos/d-pause.yaml': 'avatar: presenter\nvoice: legacy\nscenes:\n  - script: Wait <break time="1s"/> for it.\n',
        'videos/e-locale.yaml': 'avatar: presenter\nscenes:\n  - voice: {id: 7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f, locale: de-AT}\n    script: Hallo.\n',
        'videos/f-starfish.yaml': 'scenes:\n  - voice: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\n    script: No avatar here.\n',
        'videos/g-alias.yaml': 'avatar: ghost\nvoice: narrator\nscenes:\n  - script: Hi.\n',
        'videos/i-novoice.yaml': 'scenes:\n  - avatar: {id: Edward-classic-20210115, engine: avatar_iii}\n    script: Who speaks?\n',
        'videos/h-express.yaml': 'voice: narrator\nscenes:\n  - avatar: {id: Daisy-inskirt-20220818, expressiveness: high}\n    script: Hi.\n',
      },
      config,
    );
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.code).toBe(1);
    const err = plan.stderr;
    expect(err).toMatch(/videos\/a-voice\.yaml:3:12: .*voice "2d5b0e6cf36f460aa7fc47e3eee4ba5" is not a voice .*did you mean "2d5b0e6cf36f460aa7fc47e3eee4ba54" \(Rachel\)/);
    expect(err).toMatch(/videos\/b-training\.yaml:3:13: .*look_twin_training_0002.*training status is "processing"/);
    expect(err).toMatch(/videos\/c-engine\.yaml:4:13: .*does not support the avatar_iv engine .*it supports avatar_iii/);
    expect(err).toMatch(/videos\/d-pause\.yaml:4:13: .*<break> pauses.*Legacy Mark/);
    expect(err).toMatch(/videos\/e-locale\.yaml:3:12: .*locale "de-AT".*Jonas/);
    expect(err).toMatch(/videos\/f-starfish\.yaml:2:12: .*no avatar.*not a Starfish voice/);
    expect(err).toMatch(/videos\/h-express\.yaml:3:13: .*expressiveness is set, and avatar "Daisy-inskirt-20220818" .* is a studio_avatar/);
    expect(err).toMatch(/videos\/i-novoice\.yaml:3:13: .*no voice, and avatar "Edward-classic-20210115" \(Edward Classic\) has no default voice/);
    // The alias is fixed in the config, once, wherever it is used.
    expect(err).toMatch(/heygen\.config\.mjs:4:14: avatars\.ghost: avatar "Daisy-inskirt-2022081" .*did you mean "Daisy-inskirt-20220818"/);

    const json = await runCli(['build', '--json'], { cwd: dir, env });
    expect(json.code).toBe(1);
    const event = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { code: string; diagnostics: { code: string; file?: string; line?: number }[] };
    const codes = new Set(event.diagnostics.map((d) => d.code));
    expect([...codes].sort()).toEqual(['E_AVATAR_ENGINE', 'E_AVATAR_EXPRESSIVENESS', 'E_AVATAR_NOT_READY', 'E_NO_VOICE', 'E_UNKNOWN_AVATAR', 'E_UNKNOWN_VOICE', 'E_VOICE_NOT_STARFISH', 'E_VOICE_NO_LOCALE', 'E_VOICE_NO_PAUSE']);
    expect(event.diagnostics.every((d) => d.file !== undefined && d.line !== undefined)).toBe(true);
    expect(posts(emu)).toBe(0);
  });

  it('the same project with the problems fixed builds, and the emulator renders every scene', async () => {
    const { emu, env } = await emulator();
    const dir = project({
      'videos/ok.yaml':
        'avatar: {id: Edward-classic-20210115}\nvoice: narrator\nscenes:\n  - avatar: presenter\n    script: Wait <break time="1s"/> for it.\n  - avatar: {id: look_twin_ready_0001}\n    voice: {id: 7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f}\n    script: Hallo.\n  - avatar: {id: Edward-classic-20210115, engine: avatar_iii}\n    script: The older engine.\n  - avatar: {id: look_photo_ready_0004, expressiveness: high}\n    script: A photo that moves.\n',
    });
    // A scene with an avatar and no voice is spoken by the look's default voice, and the plan says which.
    writeFileSync(join(dir, 'videos', 'default.yaml'), 'avatar: {id: josh_lite3_20230714}\nscenes:\n  - script: Josh speaks.\n');
    const plan = await runCli(['plan', '--json'], { cwd: dir, env });
    expect(plan.code).toBe(0);
    expect((JSON.parse(plan.stdout) as { notes: string[] }).notes).toEqual([
      "videos/default.yaml:3:13: scenes[0].script: no voice is set: Josh Lite's default voice, Paul (1bd001e7e50f421d891986aad5158bc8), will speak",
    ]);
    // Edward renders only with the engine he supports, asked for in the manifest.
    const build = await runCli(['build'], { cwd: dir, env });
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    const videos = emu.jobs().filter((j) => j.kind === 'video');
    expect(videos.map((j) => j.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    expect(videos.map((j) => j.body as { avatar_id: string; voice_id?: string }).find((b) => b.avatar_id === 'josh_lite3_20230714')?.voice_id).toBeUndefined();
    const bodies = videos.map((j) => j.body as { avatar_id: string; engine?: { type: string }; expressiveness?: string });
    expect(bodies.find((b) => b.avatar_id === 'Edward-classic-20210115')?.engine).toEqual({ type: 'avatar_iii' });
    expect(bodies.find((b) => b.avatar_id === 'look_photo_ready_0004')?.expressiveness).toBe('high');
  });
});

describe('a build without a cached catalog', () => {
  it('looks its few looks and voices up by id and refuses what the lists would, paying nothing; a locale needs the lists', async () => {
    const { emu, env } = await emulator();
    const dir = project({
      'videos/b-training.yaml': 'voice: narrator\nscenes:\n  - avatar: {id: look_twin_training_0002}\n    script: Hi.\n',
      'videos/c-engine.yaml': 'voice: narrator\nscenes:\n  - script: Hi.\n    avatar: {id: Edward-classic-20210115}\n',
    });
    const build = await runCli(['build', '--json'], { cwd: dir, env });
    expect(build.code).toBe(1);
    const event = JSON.parse(build.stdout.trim().split('\n').at(-1)!) as { diagnostics: { code: string }[] };
    expect(new Set(event.diagnostics.map((d) => d.code))).toEqual(new Set(['E_AVATAR_ENGINE', 'E_AVATAR_NOT_READY']));
    expect(posts(emu)).toBe(0);
    // By id, not by list: nothing was submitted, so the lists were never fetched for the cache either.
    expect(emu.requests.some((r) => r.path === '/v3/avatars/looks/Edward-classic-20210115')).toBe(true);
    expect(catalogGets(emu)).toBe(0);

    // A locale is checked against support_locale, which only the voice lists carry.
    emu.reset();
    const locale = project({ 'videos/e-locale.yaml': 'avatar: presenter\nscenes:\n  - voice: {id: 7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f, locale: de-AT}\n    script: Hallo.\n' });
    const refused = await runCli(['build'], { cwd: locale, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('E_VOICE_NO_LOCALE');
    expect(posts(emu)).toBe(0);
  });
});

describe('the catalog cache', () => {
  it('is fetched once per time-to-live across plan and build, every page followed; a stale copy is refreshed behind a plan', async () => {
    const { emu, env } = await emulator();
    const dir = project({ 'videos/intro.yaml': 'avatar: presenter\nscenes:\n  - script: Hello.\n' });
    expect((await runCli(['plan'], { cwd: dir, env })).code).toBe(0);
    const first = catalogGets(emu);
    // Looks: two pages of public looks and one of private; voices: public, private and both Starfish lists.
    expect(emu.requests.filter((r) => r.path === '/v3/avatars/looks' && r.query.token).length).toBe(1);
    expect(first).toBe(7);
    const cache = JSON.parse(readFileSync(join(dir, '.heygen', 'catalog.json'), 'utf8')) as { fetched_at: number; looks: { id: string }[] };
    expect(cache.looks.some((l) => l.id === 'Stock-presenter52-20240101')).toBe(true);

    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    // A new video to check: the cached copy answers.
    writeFileSync(join(dir, 'videos', 'more.yaml'), 'avatar: presenter\nscenes:\n  - script: More.\n');
    expect((await runCli(['plan'], { cwd: dir, env })).code).toBe(0);
    expect(catalogGets(emu)).toBe(first);

    // A day later the copy is stale: the plan answers from it and refreshes it for the next command.
    writeFileSync(join(dir, '.heygen', 'catalog.json'), JSON.stringify({ ...cache, format_version: 1, fetched_at: cache.fetched_at - 25 * 3600_000 }));
    expect((await runCli(['plan'], { cwd: dir, env })).code).toBe(0);
    expect(catalogGets(emu)).toBe(2 * first);
    const refreshed = JSON.parse(readFileSync(join(dir, '.heygen', 'catalog.json'), 'utf8')) as { fetched_at: number };
    expect(refreshed.fetched_at).toBeGreaterThan(cache.fetched_at - 1000);

    expect((await runCli(['plan', '--refresh-catalog'], { cwd: dir, env })).code).toBe(0);
    expect(catalogGets(emu)).toBe(3 * first);
  });

  it('with no key and no cache, the plan says in one line that the checks were skipped, and its hint how to have them', async () => {
    const dir = project({ 'videos/intro.yaml': 'avatar: {id: josh_lite3_2023071}\nvoice: narrator\nscenes:\n  - script: Hello.\n' });
    const plan = await runCli(['plan', '--provider', 'heygen'], { cwd: dir });
    expect(plan.code).toBe(0);
    const lines = plan.stderr.split('\n').filter((l) => /catalog|not checked/.test(l));
    expect(lines).toEqual([
      'warning: avatar and voice ids were not checked: no HEYGEN_API_KEY and no cached catalog (.heygen/catalog.json)',
      'hint: set HEYGEN_API_KEY (the catalog is a free request), or run `heygen-build avatars` once with a key to cache it in .heygen/catalog.json',
    ]);
  });

  it('with a key and HeyGen out of reach, the hint says what to check, not to set the key', async () => {
    const dir = project({ 'videos/intro.yaml': 'avatar: presenter\nscenes:\n  - script: Hello.\n' });
    // A port nothing listens on: the catalog cannot be fetched.
    const env = { HEYGEN_API_KEY: 'test-key', HEYGEN_API_BASE_URL: 'http://127.0.0.1:9', HEYGEN_UPLOAD_BASE_URL: 'http://127.0.0.1:9' };
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toMatch(/^warning: avatar and voice ids were not checked: the catalog could not be fetched \(.*ECONNREFUSED.*\)\nhint: HeyGen could not be asked for the catalog: check the network/m);
  });

  it('with no key, a cached catalog still catches the typo', async () => {
    const { env } = await emulator();
    const dir = project({ 'videos/intro.yaml': 'avatar: presenter\nscenes:\n  - script: Hello.\n' });
    expect((await runCli(['plan'], { cwd: dir, env })).code).toBe(0);
    writeFileSync(join(dir, 'videos', 'intro.yaml'), 'avatar: {id: josh_lite3_2023071}\nvoice: narrator\nscenes:\n  - script: Hello.\n');
    const plan = await runCli(['plan', '--provider', 'heygen'], { cwd: dir });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('videos/intro.yaml:1:9');
  });
});

describe('avatars and voices', () => {
  it('--json has the documented shapes, and --search matches names and ids', async () => {
    const { env } = await emulator();
    const dir = project({});
    const avatars = await runCli(['avatars', '--json', '--search', 'DAISY'], { cwd: dir, env });
    expect(avatars.code).toBe(0);
    const doc = JSON.parse(avatars.stdout) as { format_version: number; fetched_at: string; avatars: Record<string, unknown>[] };
    expect(doc.format_version).toBe(1);
    expect(Number.isNaN(Date.parse(doc.fetched_at))).toBe(false);
    expect(doc.avatars).toHaveLength(1);
    expect(Object.keys(doc.avatars[0]!)).toEqual([
      'id', 'name', 'avatar_type', 'ownership', 'status', 'supported_api_engines', 'preferred_orientation',
      'default_voice_id', 'default_voice_name', 'group_id', 'gender', 'preview_image_url', 'preview_video_url',
    ]);
    expect(doc.avatars[0]).toMatchObject({ id: 'Daisy-inskirt-20220818', name: 'Daisy in Skirt', avatar_type: 'studio_avatar', default_voice_name: 'Rachel' });
    const byId = JSON.parse((await runCli(['avatars', '--json', '--search', '20230714'], { cwd: dir, env })).stdout) as typeof doc;
    expect(byId.avatars.map((a) => a.id)).toEqual(['josh_lite3_20230714']);
    const twins = JSON.parse((await runCli(['avatars', '--json', '--type', 'digital_twin'], { cwd: dir, env })).stdout) as typeof doc;
    expect(twins.avatars.map((a) => a.status)).toEqual(['completed', 'processing', 'failed']);

    const voices = JSON.parse((await runCli(['voices', '--json', '--tts', '--language', 'english'], { cwd: dir, env })).stdout) as { voices: Record<string, unknown>[] };
    expect(voices.voices.map((v) => v.name)).toEqual(['Rachel', 'Paul']);
    expect(Object.keys(voices.voices[0]!)).toEqual(['voice_id', 'name', 'language', 'gender', 'type', 'support_pause', 'support_locale', 'starfish', 'preview_audio_url']);
    const searched = JSON.parse((await runCli(['voices', '--json', '--search', 'legacy'], { cwd: dir, env })).stdout) as typeof voices;
    expect(searched.voices.map((v) => v.voice_id)).toEqual(['9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d', '0f1e2d3c4b5a69788796a5b4c3d2e1f0']);
  });

  it('without a key or a cached catalog: E_CATALOG_UNAVAILABLE says the catalog is missing (not that ids went unchecked)', async () => {
    const dir = project({});
    for (const cmd of ['avatars', 'voices']) {
      const r = await runCli([cmd], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error [E_CATALOG_UNAVAILABLE] no avatar and voice catalog: no HEYGEN_API_KEY and no cached catalog (.heygen/catalog.json)');
    }
  });

  it('the table, --open without a browser, and --alias', async () => {
    const { env } = await emulator();
    const dir = project({});
    const table = await runCli(['avatars', '--search', 'josh'], { cwd: dir, env });
    expect(table.stdout.split('\n')[0]).toMatch(/^ID +NAME +TYPE +ENGINES +ORIENTATION +DEFAULT VOICE +PREVIEW$/);
    expect(table.stdout).toMatch(/josh_lite3_20230714 +Josh Lite +studio +avatar_iii,avatar_iv,avatar_v +landscape +Paul +http/);
    const open = await runCli(['avatars', '--open', 'josh_lite3_20230714'], { cwd: dir, env: { ...env, DISPLAY: '' } });
    expect(open.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/previews\/looks\/josh_lite3_20230714\.png$/);
    const typo = await runCli(['voices', '--open', 'legacy'], { cwd: dir, env });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('error [E_UNKNOWN_VOICE] "legacy" is not a voice of this HeyGen account');
    const badLook = await runCli(['avatars', '--open', 'josh_lite3_2023071'], { cwd: dir, env });
    expect(badLook.code).toBe(1);
    expect(badLook.stderr).toContain('error [E_UNKNOWN_AVATAR] "josh_lite3_2023071" is not an avatar look of this HeyGen account (did you mean');
    const alias = await runCli(['avatars', '--alias', 'host', 'josh_lite3_20230714'], { cwd: dir, env });
    expect(alias.stdout).toContain("    host: { id: 'josh_lite3_20230714', voice: '1bd001e7e50f421d891986aad5158bc8' },");
    expect(readFileSync(join(dir, 'heygen.config.mjs'), 'utf8')).toBe(CONFIG);
  });

  it("--alias given wrong is a command-line mistake (not the config's), with the usage, refused before the catalog is asked", async () => {
    const { emu, env } = await emulator();
    const dir = project({});
    for (const words of [['Host', 'josh_lite3_20230714'], ['host'], ['host', 'josh_lite3_20230714', 'extra']]) {
      const r = await runCli(['avatars', '--alias', ...words], { cwd: dir, env });
      expect(r.code, words.join(' ')).toBe(1);
      expect(r.stderr).toBe(
        `error: option '--alias <name-and-id...>' takes a NAME (lowercase letters, digits and dashes) and a look ID, not '${words.join(' ')}'\n` +
          "  usage: heygen-build avatars --alias presenter Daisy-inskirt-20220818 (`heygen-build avatars --search <text>` finds a look's id)\n" +
          '(run with --help for usage)\n',
      );
      expect(r.stdout).toBe('');
    }
    expect(emu.requests).toEqual([]);
  });
});

describe('drafts with the real avatar', () => {
  it("a draft frame shows the look's preview image where the placeholder was, downloaded once", async () => {
    const { emu, env } = await emulator();
    const dir = project({
      'videos/intro.yaml': 'avatar: presenter\nbackground: "#00FF00"\nscenes:\n  - script: Hello.\n  - avatar: {id: Daisy-inskirt-20220818, style: circle, offset: {x: 0.25, y: 0}}\n    script: Again.\n',
      'videos/other.yaml': 'avatar: {id: look_twin_training_0002}\nvoice: narrator\nbackground: "#00FF00"\nscenes:\n  - script: Not trained, no image.\n',
    });
    const draftOf = async (): Promise<Buffer> => frameAt(join(dir, 'out', 'intro.draft.mp4'), 0.2);
    // Without a catalog: the labelled placeholder (a grey box).
    expect((await runCli(['build', '--provider', 'local'], { cwd: dir })).code).toBe(0);
    const W = 1280;
    const before = pixel(await draftOf(), W, 640, 600);
    const daisy = lookColor('Daisy-inskirt-20220818');
    expect(near(before, [132, 178, 148], 20)).toBe(true); // the grey placeholder, 84% opaque over green
    expect(near(before, [daisy[0], daisy[1], daisy[2]], 20)).toBe(false);

    // A plan with a key caches the catalog; the next draft shows Daisy's picture in her place.
    expect((await runCli(['plan', '--provider', 'heygen'], { cwd: dir, env })).code).toBe(1); // the untrained look
    writeFileSync(join(dir, 'videos', 'intro.yaml'), readFileSync(join(dir, 'videos', 'intro.yaml'), 'utf8').replace('Hello.', 'Hello there.'));
    expect((await runCli(['build', '--provider', 'local'], { cwd: dir, env })).code).toBe(0);
    const frame = await draftOf();
    expect(pixel(frame, W, 640, 600)).toSatisfy((p: [number, number, number]) => near(p, [daisy[0], daisy[1], daisy[2]], 20));
    expect(near(pixel(frame, W, 40, 600), [0, 255, 0], 30)).toBe(true); // the background around her
    const images = emu.requests.filter((r) => r.path.startsWith('/previews/looks/')).length;
    expect(images).toBe(1);

    // The circle scene: the same picture, moved right by a quarter of the frame, cut to a circle.
    const circle = await frameAt(join(dir, 'out', 'intro.draft.mp4'), 1.6);
    expect(near(pixel(circle, W, 960, 420), [daisy[0], daisy[1], daisy[2]], 20)).toBe(true);
    expect(near(pixel(circle, W, 640, 600), [0, 255, 0], 30)).toBe(true);

    // Downloaded once: another draft of the same look fetches nothing.
    writeFileSync(join(dir, 'videos', 'intro.yaml'), readFileSync(join(dir, 'videos', 'intro.yaml'), 'utf8').replace('Again.', 'Once more.'));
    expect((await runCli(['build', '--provider', 'local'], { cwd: dir, env })).code).toBe(0);
    expect(emu.requests.filter((r) => r.path.startsWith('/previews/looks/')).length).toBe(1);
  });
});
