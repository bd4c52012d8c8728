/**
 * A render HeyGen failed is reported where the manifest declares it: a scene clip at its scene, a video
 * rendered whole at its `prompt:` or `template:`, a row's video at its row. In the human log, the JSON
 * events (`file`, `line`, `column`) and GitHub annotations. The real CLI against one emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { projectFactory, runCli } from '../helpers/cli.js';
import { sharedEmulator } from './emulator.js';

const KEY = 'test-key-failure-place-4c2';
/** A look the emulator cannot render transparent: a scene that needs it fails (avatar_matting_not_supported). */
const STIFF = 'Stiff-no-matting-2024';
let emu: Emulator;
let env: Record<string, string>;
sharedEmulator({ apiKey: KEY, renderMs: 150, translateMs: 150, noMattingAvatars: [STIFF] }, (e, v) => ((emu = e), (env = v)));

const project = projectFactory(`export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' }, stiff: { id: '${STIFF}', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
};
`);

/** The second scene (line 6) needs a transparent avatar the look cannot give. */
const WELCOME = `title: Welcome
avatar: presenter
background: "#101010"
scenes:
  - script: Fine as HeyGen composes it.
  - script: Needs a transparent avatar.
    avatar: { alias: stiff, style: circle }
`;

interface Failed {
  type: 'failed';
  id: string;
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

const failures = (stdout: string): Failed[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string })
    .filter((e): e is Failed => e.type === 'failed');

describe('a render HeyGen failed, placed in its manifest', () => {
  it("a scene clip: at its scene, in the log, the JSON event and a GitHub annotation; the lockfile's record stays unplaced", async () => {
    const dir = project({ 'videos/welcome.yaml': WELCOME });
    const human = await runCli(['build'], { cwd: dir, env });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/failed welcome \[E_RENDER_FAILED\] videos\/welcome\.yaml:6:5: welcome#2: HeyGen failed the scene \(avatar_matting_not_supported\): /);

    const json = await runCli(['build', '--json'], { cwd: dir, env });
    expect(json.code).toBe(1);
    const [failed] = failures(json.stdout);
    expect(failed).toMatchObject({ id: 'welcome', code: 'E_RENDER_FAILED', file: 'videos/welcome.yaml', line: 6, column: 5 });
    expect(failed!.message).toMatch(/^videos\/welcome\.yaml:6:5: welcome#2: HeyGen failed the scene/);

    // Inside GitHub Actions, the default: an annotation on the scene's line (the project is no git work tree: its own path).
    const gh = await runCli(['build'], { cwd: dir, env: { ...env, GITHUB_ACTIONS: 'true' } });
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=videos\/welcome\.yaml,line=6,col=5,title=E_RENDER_FAILED welcome::welcome#2: HeyGen failed the scene \(avatar_matting_not_supported\)/m);
    expect((await runCli(['build', '--format', 'human'], { cwd: dir, env: { ...env, GITHUB_ACTIONS: 'true' } })).stdout).not.toContain('::error');

    // A line number goes stale with the next edit: the lockfile keeps the failure without it.
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(lock.videos.welcome).toMatchObject({ status: 'failed', error: { code: 'E_RENDER_FAILED', message: expect.stringMatching(/^welcome#2: HeyGen failed the scene/) } });
  });

  it('a video rendered whole: a prompt video at `prompt:`, a template video at `template:` (its code ours, HeyGen\'s in the message)', async () => {
    const dir = project({
      'videos/agent.yaml': '# A tour, written by Video Agent.\ntitle: Agent\nprompt: A 20-second product tour.\n',
      'videos/promo.yaml': 'title: Promo\ntemplate:\n  id: tpl_welcome\n  variables:\n    first_name: Ana\n    company: Acme\n    logo: https://example.com/logo.png\n',
    });
    // The fault fails the first two renders asked for: the agent's session (or the video it started) and the template video.
    emu.faults.failRender = { count: 2, code: 'avatar_not_found', message: 'the avatar could not be rendered' };
    const json = await runCli(['build', '--json'], { cwd: dir, env });
    delete emu.faults.failRender;
    expect(json.code).toBe(1);
    const byId = new Map(failures(json.stdout).map((f) => [f.id, f]));
    expect(byId.get('agent')).toMatchObject({ code: 'E_RENDER_FAILED', file: 'videos/agent.yaml', line: 3, column: 1, message: expect.stringMatching(/^videos\/agent\.yaml:3:1: agent: (Video Agent failed|HeyGen failed the video \(avatar_not_found\)): the avatar could not be rendered/) });
    expect(byId.get('promo')).toMatchObject({
      code: 'E_RENDER_FAILED',
      file: 'videos/promo.yaml',
      line: 2,
      column: 1,
      message: expect.stringMatching(/^videos\/promo\.yaml:2:1: promo: HeyGen failed the video \(avatar_not_found\): the avatar could not be rendered \(hint: /),
    });
  });

  it("a row's scene, when the manifest picks scenes per row with `when:`: at the row in its data file", async () => {
    const dir = project({
      'videos/people.csv': 'name,plan\nana,free\nbob,pro\n',
      'videos/welcome.yaml': `rows: people.csv
id: welcome/{{ name }}
avatar: presenter
background: "#101010"
scenes:
  - script: Hi {{ name }}.
  - script: Your pro plan, in a circle.
    avatar: { alias: stiff, style: circle }
    when: {column: plan, equals: pro}
`,
    });
    const json = await runCli(['build', '--json'], { cwd: dir, env });
    expect(json.code).toBe(1);
    expect(failures(json.stdout)).toEqual([
      expect.objectContaining({ id: 'welcome/bob', file: 'videos/people.csv', line: 3, column: 1, message: expect.stringMatching(/^videos\/people\.csv:3:1: welcome\/bob#2: HeyGen failed the scene/) }),
    ]);
  });
});
