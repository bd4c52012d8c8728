// Offline draft render time: a 30-second 720p three-scene video, rendered from scratch (no cache).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDraft } from '../dist/providers/local/index.js';
import { estimateVideoSeconds } from '../dist/plan/estimate.js';

const words = (n, seed) => Array.from({ length: n }, (_, i) => ['our', 'videos', 'build', 'themselves', 'from', 'plain', 'files', 'every', 'day'][(i + seed) % 9]).join(' ') + '.';
const spec = (caption) => ({
  id: 'bench-tour',
  source: 'videos/bench-tour.yaml',
  tags: [],
  output: 'out/bench-tour.mp4',
  dimension: { width: 1280, height: 720 },
  caption,
  avatar: { id: 'Daisy-inskirt-20220818', label: 'presenter', style: 'normal', scale: 1, offset: { x: 0, y: 0 } },
  voice: { id: 'v1', label: 'narrator', speed: 1, pitch: 0 },
  background: { type: 'color', color: '#0F172A' },
  scenes: [
    { input: { type: 'script', text: words(25, 0) } },
    { input: { type: 'script', text: words(25, 3) }, avatar: { id: 'x', label: 'host', style: 'circle', scale: 0.8, offset: { x: 0.2, y: 0 } } },
    { input: { type: 'script', text: words(25, 5) }, background: { type: 'color', color: '#312E81' } },
  ],
  translations: [],
});

const dir = mkdtempSync(join(tmpdir(), 'hb-bench-draft-'));
for (const caption of ['none', 'file', 'burn']) {
  const s = spec(caption);
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await renderDraft(s, { root: dir, outFile: join(dir, `d-${caption}-${i}.mp4`) });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    `draft, 720p, 3 scenes, ${estimateVideoSeconds(s)} s of video, captions ${caption}: median ${(times[1] / 1000).toFixed(2)} s ` +
      `(${(times[1] / 1000 / estimateVideoSeconds(s)).toFixed(3)} s per second of video; target < 3 s)`,
  );
}
rmSync(dir, { recursive: true, force: true });
