/** A small project for e2e builds against the emulator: v3-expressible videos, fast polling. */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { tempProject } from '../helpers/cli.js';

export const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { api: process.env.TEST_HEYGEN_API ?? 'v3', concurrency: 10, poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
};
`;

export const MANIFESTS: Record<string, string> = {
  'videos/intro.yaml': `title: Intro
avatar: presenter
background: "#112233"
scenes:
  - script: Hello and welcome to our product. It helps teams make videos.
`,
  'videos/tour.yaml': `title: Tour
avatar: presenter
background: "#223344"
caption: true
scenes:
  - script: First, the dashboard shows everything at a glance.
  - script: Then the reports tell you what changed this week.
`,
  'videos/hello.yaml': `title: Hello
avatar: presenter
background:
  image: assets/bg.png
scenes:
  - script: A short hello in front of a picture.
translations: [es]
`,
};

export function makeProject(extra: Record<string, string> = {}): string {
  const dir = tempProject({ 'heygen.config.mjs': CONFIG, ...MANIFESTS, ...extra });
  mkdirSync(join(dir, 'videos', 'assets'), { recursive: true });
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x336699:s=320x180', '-frames:v', '1', join(dir, 'videos', 'assets', 'bg.png')]);
  return dir;
}
