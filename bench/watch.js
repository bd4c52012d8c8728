// Watch latency: from a saved manifest to its re-render starting (target < 300 ms), over 10 saves.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watch } from '../dist/watch/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hb-bench-watch-'));
mkdirSync(join(dir, 'videos'));
writeFileSync(join(dir, 'heygen.config.ts'), `export default { manifests: ['videos/*.yaml'], voices: { narrator: 'v1' }, avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } } };\n`);
const manifest = (n) => `avatar: presenter\ndimension: {width: 320, height: 180}\nscenes:\n  - script: Edit number ${n} of the watched script.\n`;
writeFileSync(join(dir, 'videos', 'a.yaml'), manifest(0));
writeFileSync(join(dir, 'videos', 'b.yaml'), manifest(100));

let waiting;
const handle = await watch({
  cwd: dir,
  emit: (e) => {
    if (e.type === 'run-start' && waiting) waiting(e);
  },
});
await handle.whenIdle();
const latencies = [];
const internal = [];
for (let i = 1; i <= 10; i++) {
  const started = new Promise((res) => (waiting = res));
  const t = performance.now();
  writeFileSync(join(dir, 'videos', 'a.yaml'), manifest(i));
  const e = await started;
  latencies.push(performance.now() - t);
  internal.push(e.sinceEventMs);
  await handle.whenIdle();
}
await handle.close();
rmSync(dir, { recursive: true, force: true });
latencies.sort((a, b) => a - b);
internal.sort((a, b) => a - b);
console.log(`watch: save -> re-render start, median ${latencies[5].toFixed(0)} ms, max ${latencies[9].toFixed(0)} ms (target < 300 ms; 100 ms of it is the debounce)`);
console.log(`watch: first file event -> re-render start, median ${internal[5].toFixed(0)} ms`);
