/**
 * Issue #13: the account's catalog (avatar looks and voices) is known before anything is spent. Each
 * rule is shown against the emulator, which fails the same renders HeyGen would, at its place in the
 * manifest; the catalog is fetched once per time-to-live, every page followed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';
import { API_KEY, emulator, posts } from './emulator.js';

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
});
