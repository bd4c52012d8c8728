// The voiceover compositor's speed, as seconds of audio per second of work, per output format:
// ten 6 s speech clips (MP3, as POST /v3/voices/speech sends them) with a 1 s silence between each,
// joined and encoded once. Fixtures are generated first and not timed. The machine is shared: next to
// the wall-clock ratio each line gives the CPU seconds ffmpeg used, which load does not inflate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeAudio, findFfmpeg } from '../dist/compose/index.js';

const TARGET = 10; // x real time: a 10-minute voiceover joined in under a minute
const dir = mkdtempSync(join(tmpdir(), 'hb-bench-voiceover-'));
const { ffmpeg } = await findFfmpeg();
const childCpu = () => {
  try {
    const rest = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(rest[13]) + Number(rest[14])) / 100;
  } catch {
    return 0;
  }
};
const clips = [];
const scenes = [];
for (let i = 0; i < 10; i++) {
  const file = join(dir, `speech${i}.mp3`);
  const r = spawnSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${200 + 20 * i}:duration=6`, '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', file]);
  if (r.status !== 0) throw new Error(`fixture failed: ${r.stderr}`);
  scenes.push({ input: { type: 'script', text: `Scene ${i}` } }, { input: { type: 'silence', seconds: 1 } });
  clips.push({ kind: 'audio', path: file, seconds: 6 }, { kind: 'audio', seconds: 1 });
}
const spec = { id: 'bench-voiceover', source: 'v.yaml', tags: [], output: 'out/v.mp3', dimension: { width: 1280, height: 720 }, caption: 'file', scenes, translations: [] };
for (const ext of ['mp3', 'm4a', 'wav']) {
  const t = performance.now();
  const cpu = childCpu();
  const r = await composeAudio(spec, clips, { root: dir, outFile: join(dir, `out.${ext}`) });
  const wall = (performance.now() - t) / 1000;
  const used = childCpu() - cpu;
  console.log(
    `voiceover .${ext}: ${r.seconds.toFixed(1)} s of audio in ${wall.toFixed(2)} s = ${(r.seconds / wall).toFixed(1)}x real time ` +
      `(target ${TARGET}x); ffmpeg CPU ${used.toFixed(2)} s = ${(r.seconds / used).toFixed(1)} s of audio per CPU second`,
  );
}
rmSync(dir, { recursive: true, force: true });
