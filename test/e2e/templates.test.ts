/**
 * HeyGen templates through the real CLI against the emulator: variables checked at plan time against
 * `GET /v3/templates/{id}` (placed at file:line:col, with did-you-mean), a build through
 * `POST /v3/templates/{id}` paid exactly once, and an edit of the template in "HeyGen's app" (the
 * emulator's definition) re-rendering the video with the reason "template changed".
 * One emulator for the file.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emulator, RecordedRequest } from '../../src/emulator/index.js';
import { sharedEmulator } from './emulator.js';
import { defaultTemplates } from '../../src/emulator/templates.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { projectFactory, runCli } from '../helpers/cli.js';

const KEY = 'test-key-templates-3c9';
let emu: Emulator;
let env: Record<string, string>;

sharedEmulator({ apiKey: KEY, renderMs: 150, translateMs: 150 }, (e, v) => ((emu = e), (env = v)));

const project = projectFactory(`export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  defaults: { dimension: '720p' },
};
`);

const WELCOME = `title: Welcome Ada
template:
  id: tpl_welcome
  variables:
    first_name: Ada
    company: Acme
    logo: https://example.com/acme.png
caption: true
`;

/** POSTs to a template since `since` (an index into the request log). */
function templatePosts(since: number): RecordedRequest[] {
  return emu.requests.slice(since).filter((r) => r.method === 'POST' && r.path.startsWith('/v3/templates/'));
}

interface JsonPlan {
  items: { id: string; action: string; reasons: string[]; estimate: { seconds: number; credits: number } }[];
}

interface JsonError {
  error: { code: string; file?: string; line?: number; column?: number };
  diagnostics: { code: string; message: string; file: string; line: number; column: number }[];
}

describe('HeyGen templates (emulator)', () => {
  it('plan checks the variables against the template, at file:line:col with did-you-mean, before anything is paid', async () => {
    const dir = project({
      'videos/welcome.yaml': `template:
  id: tpl_welcome
  variables:
    frist_name: Ada
    logo: https://example.com/acme.png
  scenes: [scene_hello, scene_nxt]
`,
    });
    const since = emu.requests.length;
    const r = await runCli(['plan', '--json'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonError;
    expect(doc.error.code).toBe('E_TEMPLATE_VARIABLE');
    const at = doc.diagnostics.map((d) => [d.file, d.line, d.column, d.message]);
    expect(at).toEqual([
      ['videos/welcome.yaml', 4, 5, expect.stringContaining('no variable "frist_name" (did you mean "first_name"?)')],
      ['videos/welcome.yaml', 6, 25, expect.stringContaining('no scene "scene_nxt" (did you mean "scene_next"?)')],
      ['videos/welcome.yaml', 3, 3, expect.stringMatching(/needs variables "first_name", "company", missing/)],
    ]);
    // The human form names the same places.
    const human = await runCli(['plan'], { cwd: dir, env });
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('videos/welcome.yaml:4:5: template "Welcome" (tpl_welcome) has no variable "frist_name"');
    // Only free requests were made.
    expect(emu.requests.slice(since).every((q) => q.method === 'GET')).toBe(true);
    expect(emu.requests.slice(since).some((q) => q.path === '/v3/templates/tpl_welcome')).toBe(true);
  });

  it('an unknown template id is an error at the id, with what to check', async () => {
    const dir = project({ 'videos/promo.yaml': 'template:\n  id: tpl_nope\n  variables: { product: Widget }\n' });
    const r = await runCli(['plan'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [E_TEMPLATE]');
    expect(r.stderr).toContain('videos/promo.yaml:2:7: HeyGen has no template "tpl_nope"');
  });

  it('builds through POST /v3/templates/{id} once; a rerun sends no POST; a lost answer is replayed, not paid twice', async () => {
    const dir = project({ 'videos/welcome.yaml': WELCOME });
    // The first answer is lost after HeyGen accepted the job: the retry must carry the same key.
    emu.faults.dropConnection = { count: 1, afterProcessing: true, paths: /^\/v3\/templates\/tpl_welcome$/, method: 'POST' };
    const jobsBefore = emu.jobs().length;
    const since = emu.requests.length;
    const first = await runCli(['build'], { cwd: dir, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const posted = templatePosts(since);
    expect(posted).toHaveLength(2);
    expect(posted[0]!.headers['idempotency-key']).toMatch(/^hb-/);
    expect(posted[1]!.headers['idempotency-key']).toBe(posted[0]!.headers['idempotency-key']);
    expect(emu.jobs().length - jobsBefore).toBe(1);
    expect(posted[0]!.body).toMatchObject({
      variables: {
        first_name: { name: 'first_name', type: 'text', properties: { content: 'Ada' } },
        company: { name: 'company', type: 'text', properties: { content: 'Acme' } },
        logo: { name: 'logo', type: 'image', properties: { url: 'https://example.com/acme.png' } },
      },
      caption: true,
      title: 'Welcome Ada',
    });
    // The defaults' 720p is not sent: the template renders at its own size.
    expect(posted[0]!.body).not.toHaveProperty('dimension');
    expect(readFileSync(join(dir, 'out', 'welcome.mp4')).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(existsSync(join(dir, 'out', 'welcome.srt'))).toBe(true);
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(lock.videos.welcome).toMatchObject({ status: 'completed', api: 'v3' });
    expect(lock.videos.welcome!.parts['template definition']).toMatch(/^[0-9a-f]{64}$/);

    const again = emu.requests.length;
    const rerun = await runCli(['build'], { cwd: dir, env });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('0 rendered, 1 unchanged');
    expect(emu.requests.slice(again).filter((q) => q.method === 'POST')).toHaveLength(0);

    // A deleted output comes back from the finished render: downloaded, not rendered again.
    rmSync(join(dir, 'out', 'welcome.mp4'));
    const restoreFrom = emu.requests.length;
    const restore = await runCli(['build'], { cwd: dir, env });
    expect(restore.stdout).toContain('1 restored');
    expect(emu.requests.slice(restoreFrom).filter((q) => q.method === 'POST')).toHaveLength(0);
    expect(existsSync(join(dir, 'out', 'welcome.mp4'))).toBe(true);

    // Offline, the draft is made from the definition this build cached in .heygen/templates/.
    const draft = await runCli(['build', '--provider', 'local'], { cwd: dir, env: {} });
    expect(draft.code).toBe(0);
    expect(existsSync(join(dir, 'out', 'welcome.draft.mp4'))).toBe(true);
  });

  it('sends scene_ids, fps and a dimension the manifest sets; its draft is one card per template scene, speaking the filled script', async () => {
    const manifest = `title: Promo
template:
  id: tpl_welcome
  variables:
    first_name: Ada
    company: Acme
    logo: https://example.com/acme.png
  scenes: [scene_next, scene_hello]
  fps: 60
dimension: 1080p
caption: true
`;
    const dir = project({ 'videos/promo.yaml': manifest });
    const since = emu.requests.length;
    const built = await runCli(['build'], { cwd: dir, env });
    expect(built.code, built.stdout + built.stderr).toBe(0);
    const [post] = templatePosts(since);
    expect(post!.body).toMatchObject({ scene_ids: ['scene_next', 'scene_hello'], fps: 60, dimension: { width: 1920, height: 1080 }, caption: true });
    expect(post!.headers['idempotency-key']).toMatch(/^hb-/);

    // Offline: a card per chosen scene, in the manifest's order, each speaking its script with the text variables filled in.
    const draft = await runCli(['build', '--provider', 'local'], { cwd: dir, env: {} });
    expect(draft.code, draft.stdout + draft.stderr).toBe(0);
    const cues = readFileSync(join(dir, 'out', 'promo.draft.srt'), 'utf8').split(/\r?\n/).filter((l) => /[a-z]/i.test(l) && !l.includes('-->'));
    expect(cues.join(' ')).toBe('Here is what happens next at Acme. Your account is ready. Hi Ada, welcome to Acme!');
  });

  it('rows of a data file give one template video per row, each POSTed once with its own variables; a one-cell edit renders one', async () => {
    const manifest = `id: welcome/{{ id }}
rows: people.csv
title: Welcome {{ first_name }}
template:
  id: tpl_welcome
  variables:
    first_name: "{{ first_name }}"
    company: "{{ company }}"
    logo: https://example.com/{{ company | slug }}.png
`;
    const csv = 'id,first_name,company\nada,Ada,Acme\ngrace,Grace,Navy Labs\n';
    const dir = project({ 'videos/welcome.yaml': manifest, 'videos/people.csv': csv });
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('welcome/* (2 rows): 2 create');
    const since = emu.requests.length;
    const first = await runCli(['build'], { cwd: dir, env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const posted = templatePosts(since);
    expect(posted).toHaveLength(2);
    const sent = posted.map((p) => (p.body as { title: string; variables: Record<string, { properties: { content?: string; url?: string } }> }));
    expect(sent.map((b) => [b.title, b.variables.first_name?.properties.content, b.variables.company?.properties.content, b.variables.logo?.properties.url]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['Welcome Ada', 'Ada', 'Acme', 'https://example.com/acme.png'],
      ['Welcome Grace', 'Grace', 'Navy Labs', 'https://example.com/navy-labs.png'],
    ]);
    expect(existsSync(join(dir, 'out', 'welcome', 'ada.mp4'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'welcome', 'grace.mp4'))).toBe(true);

    writeFileSync(join(dir, 'videos', 'people.csv'), csv.replace('Navy Labs', 'Navy Research'));
    const planned = JSON.parse((await runCli(['plan', '--json'], { cwd: dir, env })).stdout) as JsonPlan;
    expect(planned.items.filter((i) => i.action !== 'unchanged').map((i) => [i.id, i.action, i.reasons])).toEqual([['welcome/grace', 'update', ['row changed (videos/people.csv:3)']]]);
    const edit = emu.requests.length;
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(templatePosts(edit).map((p) => (p.body as { title: string }).title)).toEqual(['Welcome Grace']);
  });

  it('editing the template in HeyGen re-renders its videos, and the plan says "template changed"', async () => {
    const dir = project({ 'videos/welcome.yaml': WELCOME, 'videos/other.yaml': `${WELCOME.replace('Ada', 'Bob')}translations: [es]\n` });
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const unchanged = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(unchanged.code).toBe(0);

    const original = defaultTemplates().tpl_welcome!;
    try {
      // As if someone edited the first scene's script in HeyGen's editor.
      emu.settings.templates.tpl_welcome = {
        ...original,
        updatedAt: original.updatedAt + 60,
        scenes: original.scenes.map((s, i) => (i === 0 ? { ...s, script: 'Hello {{first_name}}! Great to have you at {{company}}.' } : s)),
      };
      const plan = await runCli(['plan', '--json'], { cwd: dir, env });
      expect(plan.code).toBe(0);
      const items = (JSON.parse(plan.stdout) as JsonPlan).items;
      expect(items.map((i) => [i.id, i.action, i.reasons])).toEqual([
        ['other', 'update', ['template changed (edited in HeyGen)']],
        ['other@es', 'update', ['source video changed']],
        ['welcome', 'update', ['template changed (edited in HeyGen)']],
      ]);
      expect(items[0]!.estimate.credits).toBeGreaterThan(0);

      const since = emu.requests.length;
      expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
      expect(templatePosts(since)).toHaveLength(2);
      // The translation follows its source: translated again from the new render, by URL.
      expect(existsSync(join(dir, 'out', 'other.es.mp4'))).toBe(true);
      const again = emu.requests.length;
      expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
      expect(templatePosts(again)).toHaveLength(0);

      // A variable edit in the manifest names the variable.
      const file = join(dir, 'videos', 'welcome.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('company: Acme', 'company: Initech'));
      const edited = JSON.parse((await runCli(['plan', '--json'], { cwd: dir, env })).stdout) as JsonPlan;
      expect(edited.items.find((i) => i.id === 'welcome')).toMatchObject({ action: 'update', reasons: ['template.variables.company'] });
    } finally {
      emu.settings.templates.tpl_welcome = original;
    }
  });

  it('without a key and with no cached definition, the plan says so in one line and keys on the manifest', async () => {
    const dir = project({ 'videos/welcome.yaml': WELCOME });
    const r = await runCli(['plan', '--provider', 'heygen'], { cwd: dir, env: {} });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+ create');
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([expect.stringContaining('template definition unknown (no API key and no copy in .heygen/templates/) for tpl_welcome')]);
  });
});
