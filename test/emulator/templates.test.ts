/**
 * The emulator's HeyGen templates: definitions served in TemplateGet's shape, TemplateGenerate bodies
 * checked against the official schema and against the definition, a render polled like any video, and a
 * definition edited at run time (as in HeyGen's app).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOfficialSchema } from '../../src/emulator/validate.js';
import { start, type Api } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

const text = (name: string, content: string) => ({ name, type: 'text', properties: { content } });
const welcome = (extra: Record<string, unknown> = {}) => ({
  variables: { first_name: text('first_name', 'Ada'), company: text('company', 'Acme') },
  ...extra,
});

describe('emulator templates', () => {
  it('lists templates and serves a definition whose variable defaults can be posted back', async () => {
    const list = await api.get('/v3/templates');
    expect(list.status).toBe(200);
    expect(list.json.data.map((t: { id: string }) => t.id)).toEqual(['tpl_welcome', 'tpl_promo']);
    const got = await api.get('/v3/templates/tpl_welcome');
    expect(got.json.data).toMatchObject({
      id: 'tpl_welcome',
      aspect_ratio: '16:9',
      scene_ids: ['scene_hello', 'scene_next'],
      scenes: [{ scene_id: 'scene_hello', variables: [{ name: 'first_name', variable_type: 'text' }, { name: 'company', variable_type: 'text' }, { name: 'logo', variable_type: 'image' }] }, { scene_id: 'scene_next' }],
    });
    // "Variable defaults are returned in the same shape the generate request accepts."
    const back = await api.post('/v3/templates/tpl_welcome', { variables: got.json.data.variables }, { 'Idempotency-Key': 'echo-1' });
    expect(back.status).toBe(200);
    expect((await api.get('/v3/templates/tpl_nope')).status).toBe(404);
  });

  it('the copied TemplateGenerate schema is the official one', () => {
    const s = loadOfficialSchema('TemplateGenerate');
    expect([s.Method, s.Endpoint]).toEqual(['POST', '/v3/templates/{template_id}']);
  });

  it('refuses bodies the schema or the template rejects, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'variables'],
      [welcome({ fps: 'fast' }), 'fps'],
      [welcome({ fps: 24 }), 'fps'],
      [welcome({ scene_ids: ['scene_hello', 'scene_gone'] }), 'scene_ids[1]'],
      [{ variables: { frist_name: text('frist_name', 'Ada') } }, 'variables.frist_name'],
      [{ variables: { logo: text('logo', 'x') } }, 'variables.logo'],
      [welcome({ dimension: { width: 1080, height: 1920 } }), 'dimension'],
      [welcome({ dimension: { width: 1281, height: 720 } }), 'dimension'],
    ];
    for (const [body, param] of cases) {
      const r = await api.post('/v3/templates/tpl_welcome', body);
      expect([r.status, r.json.error.code, r.json.error.param], JSON.stringify(body)).toEqual([400, 'validation_error', param]);
    }
  });

  it('renders a video polled at /v3/videos/{id}, as long as the filled-in scripts, at the requested size', async () => {
    const created = await api.post('/v3/templates/tpl_welcome', welcome({ dimension: { width: 1920, height: 1080 }, caption: true }), { 'Idempotency-Key': 'tpl-1' });
    expect(created.status).toBe(200);
    const id = created.json.data.id as string;
    const job = api.emu.jobs().find((j) => j.id === id)!;
    expect(job.render).toMatchObject({ width: 1920, height: 1080, outputFormat: 'mp4' });
    // "Hi Ada, welcome to Acme!" + "Here is what happens next at Acme. Your account is ready." = 16 words.
    expect(job.duration).toBeCloseTo((16 / 150) * 60, 1);
    const replay = await api.post('/v3/templates/tpl_welcome', welcome(), { 'Idempotency-Key': 'tpl-1' });
    expect(replay.json.data.id).toBe(id);
    const status = await api.get(`/v3/videos/${id}`);
    expect(status.status).toBe(200);
    expect(['pending', 'processing', 'completed']).toContain(status.json.data.status);
  });

  it('serves an edited definition at once', async () => {
    const before = (await api.get('/v3/templates/tpl_promo')).json.data;
    api.emu.settings.templates.tpl_promo = { ...api.emu.settings.templates.tpl_promo!, variables: { product: 'text' }, updatedAt: 1 };
    const after = (await api.get('/v3/templates/tpl_promo')).json.data;
    expect(Object.keys(before.variables)).toEqual(['product', 'price', 'presenter']);
    expect(Object.keys(after.variables)).toEqual(['product']);
    const removed = await fetch(`${api.emu.url}/__emulator/settings`, { method: 'POST', body: JSON.stringify({ templates: { tpl_promo: null } }) });
    expect(removed.status).toBe(200);
    expect((await api.get('/v3/templates/tpl_promo')).status).toBe(404);
  });

  it('refuses a definition of the wrong shape when it is given, naming the field, and keeps the one it had', async () => {
    const good = { name: 'Demo', aspectRatio: '16:9', updatedAt: 5, variables: { who: 'text' }, scenes: [{ id: 's1', script: 'Hi {{who}}', variables: ['who'] }] };
    const set = (def: unknown): Promise<Response> => fetch(`${api.emu.url}/__emulator/settings`, { method: 'POST', body: JSON.stringify({ templates: { tpl_demo: def } }) });
    expect((await set(good)).status).toBe(200);
    for (const [bad, field] of [
      [{ ...good, variables: ['who'] }, 'variables'],
      [{ ...good, variables: { who: 'string' } }, 'variables.who'],
      [{ ...good, scenes: [{ id: 's1', script: 'Hi' }] }, 'scenes[0].variables'],
      [{ ...good, aspectRatio: 'wide' }, 'aspectRatio'],
    ] as const) {
      const r = await set(bad);
      expect(r.status, field).toBe(400);
      expect(JSON.stringify(await r.json()), field).toContain(`templates.tpl_demo: ${field}`);
    }
    expect((await api.get('/v3/templates/tpl_demo')).json.data.variables).toHaveProperty('who');
  });
});
