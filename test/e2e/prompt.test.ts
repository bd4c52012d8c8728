/**
 * Prompt videos through the real CLI against the emulator (one emulator for the file): a prompt with
 * two local files is built through a Video Agent session with each file uploaded once; a build
 * SIGKILLed mid-session resumes that session instead of opening a second; a deleted output is restored
 * with no new session; new bytes in a file change the key; schema errors point at file:line:col.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { sharedEmulator } from './emulator.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import type { Lockfile } from '../../src/model/lock.js';
import { BIN, cleanEnv, projectFactory, runCli } from '../helpers/cli.js';

const KEY = 'test-key-prompt-7d2';
let emu: Emulator;
let env: Record<string, string>;

/** Long enough that a build can be killed while the agent is still thinking or generating. */
const KILLABLE_RENDER_MS = 1500;

// Quick renders; the SIGKILL test slows them down (emu.timing) for its own build only.
sharedEmulator({ apiKey: KEY, renderMs: 150, translateMs: 150 }, (e, v) => ((emu = e), (env = v)));

const project = projectFactory(`export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  defaults: { avatar: { id: 'Daisy-inskirt-20220818' }, voice: { id: '2d5b0e6cf36f460aa7fc47e3eee4ba54' } },
};
`);

const LAUNCH = `title: Launch
prompt: |
  Create a 30-second launch video for our calendar app.
  Open on the logo, show the screenshot, end with a call to action.
orientation: portrait
files:
  - assets/logo.png
  - assets/shot.png
  - https://example.com/brief.pdf
caption: true
`;

/** Two tiny "images": bytes are all the key and the upload care about. */
let projects = 0;
/**
 * Each project's shot has bytes of its own: the same content would have the same Idempotency-Key, and
 * the emulator (as HeyGen) would answer with the earlier test's session.
 */
function launchProject(extra: Record<string, string> = {}): string {
  projects++;
  return project({ 'videos/launch.yaml': LAUNCH, 'videos/assets/logo.png': 'logo-bytes-1', 'videos/assets/shot.png': `shot-bytes-of-project-${projects}`, ...extra });
}

function readLock(dir: string): Lockfile | undefined {
  const file = join(dir, 'heygen.lock.yaml');
  return existsSync(file) ? parseLockfile(readFileSync(file, 'utf8'), 'heygen.lock.yaml') : undefined;
}

/** Sessions the emulator opened for prompts since the test began (replays of a key open none). */
function sessions(): number {
  return emu.jobs().filter((j) => typeof (j.body as { prompt?: unknown }).prompt === 'string').length;
}

interface JsonPlan {
  items: { id: string; action: string; reasons: string[]; estimate: { seconds: number; credits: number }; prompt?: { assumed_seconds: number; stated_as: string | null; actual_seconds: number | null } }[];
}

async function planJson(dir: string): Promise<JsonPlan> {
  const r = await runCli(['plan', '--json'], { cwd: dir, env });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as JsonPlan;
}

describe('prompt videos (emulator)', () => {
  it('builds through one Video Agent session, each file uploaded once, the body as HeyGen documents it', async () => {
    const dir = launchProject();
    const before = sessions();
    const uploadsBefore = emu.assets().length;
    const plan = await planJson(dir);
    const item = plan.items.find((i) => i.id === 'launch')!;
    expect(item.action).toBe('create');
    // 30 s at Video Agent's 0.0667 cr/s, stated in the prompt; said not to be reproducible.
    expect(item.estimate).toEqual({ seconds: 30, credits: 2 });
    expect(item.prompt).toEqual({ assumed_seconds: 30, stated_as: '30-second', actual_seconds: null });
    expect(item.reasons.join('\n')).toMatch(/not reproducible/);

    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(sessions() - before).toBe(1);
    // The two local files were uploaded once each; the URL was passed through.
    expect(emu.assets().length - uploadsBefore).toBe(2);
    const bySize = (a: number, b: number): number => a - b;
    expect(emu.assets().slice(uploadsBefore).map((a) => a.sizeBytes).sort(bySize)).toEqual([12, 'shot-bytes-of-project-1'.length].sort(bySize));
    const post = emu.requests.filter((q) => q.method === 'POST' && q.path === '/v3/video-agents').at(-1)!;
    expect(post.headers['idempotency-key']).toMatch(/.+/);
    const body = post.body as Record<string, unknown>;
    expect(body).toMatchObject({ prompt: expect.stringContaining('30-second launch video'), mode: 'generate', orientation: 'portrait' });
    // Config defaults do not choose for the agent: only what the manifest writes is sent.
    expect(body.avatar_id).toBeUndefined();
    expect(body.voice_id).toBeUndefined();
    expect((body.files as { type: string }[]).map((f) => f.type)).toEqual(['asset_id', 'asset_id', 'url']);
    // Progress went through the session, then the video.
    expect(emu.requests.some((q) => q.method === 'GET' && q.path.startsWith('/v3/video-agents/'))).toBe(true);

    const lock = readLock(dir)!.videos.launch!;
    expect(lock).toMatchObject({ status: 'completed', sessionId: expect.stringMatching(/^sess_/), remoteId: expect.any(String) });
    expect(lock.durationSeconds).toBe(33);
    expect(existsSync(join(dir, 'out/launch.mp4'))).toBe(true);
    expect(existsSync(join(dir, 'out/launch.srt'))).toBe(true);

    // Unchanged: nothing to do, and the plan shows the estimate against the real length.
    const again = (await planJson(dir)).items.find((i) => i.id === 'launch')!;
    expect(again.action).toBe('unchanged');
    expect(again.prompt).toEqual({ assumed_seconds: 30, stated_as: '30-second', actual_seconds: 33 });
    expect(again.reasons).toEqual(['rendered 33 s (estimated 30 s, "30-second" in the prompt)']);

    // Restore: the output deleted, the build downloads it again with no new session.
    rmSync(join(dir, 'out/launch.mp4'));
    const posts = emu.requests.filter((q) => q.method === 'POST').length;
    const restored = await runCli(['build'], { cwd: dir, env });
    expect(restored.code, restored.stderr).toBe(0);
    expect(emu.requests.filter((q) => q.method === 'POST').length).toBe(posts);
    expect(sessions() - before).toBe(1);
    expect(existsSync(join(dir, 'out/launch.mp4'))).toBe(true);

    // --replace renders it again on purpose: a new session.
    const replaced = await runCli(['build', '--replace', 'launch'], { cwd: dir, env });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(sessions() - before).toBe(2);
  });

  it('new bytes in an attached file change the key and name the file; the same file twice is uploaded once', async () => {
    const dir = launchProject();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(join(dir, 'videos/assets/shot.png'), 'shot-bytes-changed');
    const item = (await planJson(dir)).items.find((i) => i.id === 'launch')!;
    expect(item.action).toBe('update');
    expect(item.reasons[0]).toContain('asset videos/assets/shot.png');
    // A second prompt video attaching the same logo: no new upload for it.
    writeFileSync(join(dir, 'videos/teaser.yaml'), 'prompt: A short teaser in 15 seconds.\nfiles: [assets/logo.png]\n');
    const uploads = emu.assets().length;
    const built = await runCli(['build'], { cwd: dir, env });
    expect(built.code, built.stderr).toBe(0);
    // Only shot.png's new bytes were uploaded.
    expect(emu.assets().length - uploads).toBe(1);
  });

  it('a PDF over 32 MB in files: goes up by direct upload declared as application/pdf, and the agent gets its asset', async () => {
    const dir = project({ 'videos/brief.yaml': 'prompt: A 20-second summary of the attached brief.\nfiles: [assets/brief.pdf]\n' });
    // A PDF's header and trailer, then padding past POST /v3/assets's 32 MB: the direct upload's path.
    const pdf = Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1');
    mkdirSync(join(dir, 'videos/assets'));
    writeFileSync(join(dir, 'videos/assets/brief.pdf'), Buffer.concat([pdf, Buffer.alloc(33 * 1024 * 1024, 0x0a)]));
    const n = emu.requests.length;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const sent = emu.requests.slice(n);
    const direct = sent.filter((q) => q.method === 'POST' && q.path === '/v3/assets/direct-uploads');
    expect(direct.map((q) => (q.body as { content_type: string }).content_type)).toEqual(['application/pdf']);
    const put = sent.find((q) => q.method === 'PUT')!;
    expect(put.headers['content-type']).toBe('application/pdf');
    const agent = sent.find((q) => q.method === 'POST' && q.path === '/v3/video-agents')!.body as { files: { type: string; asset_id: string }[] };
    expect(agent.files).toHaveLength(1);
    expect(emu.assets().find((a) => a.id === agent.files[0]!.asset_id)).toMatchObject({ mimeType: 'application/pdf' });
  });

  it('SIGKILL while the session runs: the rerun follows the recorded session and opens no second one', async () => {
    const dir = launchProject();
    const before = sessions();
    emu.timing.renderMs = KILLABLE_RENDER_MS;
    onTestFinished(() => {
      emu.timing.renderMs = 150;
    });
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: dir, env: cleanEnv(env), stdio: 'ignore' });
    const exited = new Promise<void>((res) => child.on('exit', () => res()));
    const deadline = Date.now() + 30_000;
    let atKill: Lockfile | undefined;
    for (;;) {
      const l = readLock(dir);
      if (l?.videos.launch?.sessionId) {
        child.kill('SIGKILL');
        await exited;
        atKill = readLock(dir);
        break;
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error('the session was never recorded');
      }
      await new Promise((res) => setTimeout(res, 10));
    }
    expect(atKill!.videos.launch).toMatchObject({ status: 'pending', sessionId: expect.any(String) });
    expect(atKill!.videos.launch!.output).toBeUndefined();
    const plan = (await planJson(dir)).items.find((i) => i.id === 'launch')!;
    expect(plan.action).toBe('resume');
    expect(plan.reasons[0]).toMatch(/followed, not opened again/);
    expect(plan.estimate.credits).toBe(0);

    const sent = emu.requests.length;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    // Not even a replayed POST: the recorded session is followed.
    expect(emu.requests.slice(sent).filter((q) => q.method === 'POST' && q.path === '/v3/video-agents')).toHaveLength(0);
    expect(sessions() - before).toBe(1);
    expect(readLock(dir)!.videos.launch).toMatchObject({ status: 'completed', sessionId: atKill!.videos.launch!.sessionId });
    expect(existsSync(join(dir, 'out/launch.mp4'))).toBe(true);
  });

  it('a failed session is journaled as failed, and the next build retries it in a new session', async () => {
    const dir = project({ 'videos/doomed.yaml': 'prompt: A doomed teaser in 10 seconds.\n' });
    const before = sessions();
    emu.faults.failRender = { count: 1, code: 'agent_error', message: 'could not storyboard the prompt' };
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('could not storyboard the prompt');
    expect(readLock(dir)!.videos.doomed).toMatchObject({ status: 'failed', attempt: 1, error: { message: 'could not storyboard the prompt' } });
    const plan = (await planJson(dir)).items.find((i) => i.id === 'doomed')!;
    expect(plan.action).toBe('create');
    expect(plan.reasons[0]).toContain('retrying as attempt 2');
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(sessions() - before).toBe(2);
    expect(readLock(dir)!.videos.doomed).toMatchObject({ status: 'completed', attempt: 2 });
  });

  it('a recorded session HeyGen no longer has (404) fails clearly, and the next build opens a new one', async () => {
    const dir = project({ 'videos/gone.yaml': 'prompt: A teaser whose session is deleted, in 10 seconds.\n' });
    const detached = await runCli(['build', '--detach'], { cwd: dir, env });
    expect(detached.code, detached.stderr).toBe(0);
    const recorded = readLock(dir)!.videos.gone!.sessionId!;
    expect(recorded).toEqual(expect.any(String));
    // As if the build had been killed while the agent was still thinking (no video named yet), and the
    // session were then deleted in HeyGen's app: the recorded id now answers 404.
    const file = join(dir, 'heygen.lock.yaml');
    const text = readFileSync(file, 'utf8').replaceAll(recorded, 'deleted-session').replace(/^ +remoteId: .*\n/m, '').replace('status: submitted', 'status: pending');
    writeFileSync(file, text);
    const before = sessions();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('HeyGen no longer has Video Agent session deleted-session (404)');
    expect(readLock(dir)!.videos.gone).toMatchObject({ status: 'failed' });
    expect(sessions()).toBe(before);
    const plan = (await planJson(dir)).items.find((i) => i.id === 'gone')!;
    expect(plan.action).toBe('create');
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(sessions() - before).toBe(1);
    expect(readLock(dir)!.videos.gone).toMatchObject({ status: 'completed', attempt: 2 });
  });

  it("a style is checked against Video Agent's list before paying; `styles` lists them; offline, the cached list still checks", async () => {
    const dir = project({ 'videos/noir.yaml': 'prompt: A moody teaser in 10 seconds.\nstyle: style_cinematic_nior\n' });
    const agentPosts = (): number => emu.requests.filter((q) => q.method === 'POST' && q.path === '/v3/video-agents').length;
    const sent = agentPosts();
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('[E_UNKNOWN_AGENT_STYLE]');
    expect(plan.stderr).toContain('videos/noir.yaml:2:8');
    expect(plan.stderr).toContain('did you mean "style_cinematic_noir" (Cinematic Noir)');
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(1);
    expect(agentPosts()).toBe(sent);
    // No key: the copy in .heygen/ still catches it.
    const offline = await runCli(['plan', '--provider', 'heygen'], { cwd: dir });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain('videos/noir.yaml:2:8');

    const listed = await runCli(['styles', '--json'], { cwd: dir, env });
    expect(listed.code, listed.stderr).toBe(0);
    const doc = JSON.parse(listed.stdout) as { styles: { style_id: string; name: string; tags: string[] }[] };
    expect(doc.styles).toContainEqual(expect.objectContaining({ style_id: 'style_cinematic_noir', name: 'Cinematic Noir' }));
    const table = await runCli(['styles', '--tag', 'handmade'], { cwd: dir, env });
    expect(table.stdout.split('\n')[0]).toMatch(/^ID +NAME +TAGS +ASPECT$/);
    expect(table.stdout).toContain('style_paper_cutout');
    expect(table.stdout).not.toContain('style_cinematic_noir');

    writeFileSync(join(dir, 'videos/noir.yaml'), 'prompt: A moody teaser in 10 seconds.\nstyle: style_cinematic_noir\n');
    expect((await runCli(['plan'], { cwd: dir, env })).code).toBe(0);
  });

  it('a translation of a prompt video is made from its render', async () => {
    const dir = project({ 'videos/pitch.yaml': 'prompt: Pitch our app in 20 seconds.\ntranslations: [es]\n' });
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const lock = readLock(dir)!.videos.pitch!;
    expect(lock.translations.es).toMatchObject({ status: 'completed' });
    expect(existsSync(join(dir, 'out/pitch.es.mp4'))).toBe(true);
  });

  it('schema and kind errors point at file:line:col before any request', async () => {
    const dir = project({
      'videos/bad.yaml': 'prompt: Make a video.\norientation: square\n',
      'videos/escape.yaml': 'prompt: Make a video.\nfiles:\n  - ../../outside.png\nbackground: "#000000"\n',
      'videos/both.yaml': 'prompt: Make a video.\nscenes:\n  - script: Hello.\n',
      'videos/style-only.yaml': 'style: sty_1\nscenes:\n  - script: Hello.\n',
      'videos/long.yaml': `prompt: ${'x'.repeat(10_001)}\n`,
    });
    const requests = emu.requests.length;
    const r = await runCli(['validate', '--format', 'json'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; file: string; line: number; column: number; message: string }[] };
    const at = (file: string) => doc.diagnostics.filter((d) => d.file === `videos/${file}`).map((d) => [d.code, d.line, d.column]);
    expect(at('bad.yaml')).toEqual([['E_SCHEMA', 2, 14]]);
    expect(at('escape.yaml')).toEqual([['E_PATH_ESCAPE', 3, 5], ['E_SCHEMA', 4, 1]]);
    expect(at('both.yaml')).toEqual([['E_SCHEMA', 1, 1]]);
    expect(doc.diagnostics.find((d) => d.file === 'videos/both.yaml')!.message).toMatch(/"prompt" and "scenes"|"scenes" and "prompt"/);
    expect(at('style-only.yaml')).toEqual([['E_SCHEMA', 1, 1]]);
    expect(at('long.yaml')).toEqual([['E_SCHEMA', 1, 9]]);
    expect(emu.requests.length).toBe(requests);
  });
});
