// The compositor's speed, as seconds of output video per second of work, next to its targets:
// - joining 1080p scene clips that already match the output (stream copy, no video encode);
// - laying a transparent 1080p WebM avatar over an image background (decode VP9 + alpha, overlay, x264);
// Fixtures are generated first and not timed. The machine is shared: next to the wall-clock ratio
// each line gives the CPU seconds ffmpeg used (children's user+sys), which load does not inflate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose, findFfmpeg } from '../dist/compose/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hb-bench-compose-'));
const { ffmpeg } = await findFfmpeg();
const make = (args) => {
  const r = spawnSync(ffmpeg, ['-v', 'error', '-y', ...args]);
  if (r.status !== 0) throw new Error(`fixture failed: ${r.stderr}`);
};
const spec = (n) => ({
  id: 'bench-compose',
  source: 'videos/bench-compose.yaml',
  tags: [],
  output: 'out/bench-compose.mp4',
  dimension: { width: 1920, height: 1080 },
  caption: 'none',
  avatar: { id: 'a', label: 'presenter', style: 'closeUp', scale: 1, offset: { x: 0.2, y: 0 } },
  background: { type: 'image', fit: 'cover', source: { kind: 'local', path: 'bg.png', sha256: 'x', size: 1 } },
  scenes: Array.from({ length: n }, () => ({ input: { type: 'silence', seconds: 1 } })),
  translations: [],
});
/** CPU seconds used by waited-for child processes so far (Linux /proc; 0 elsewhere). */
const childCpu = () => {
  try {
    const rest = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(rest[13]) + Number(rest[14])) / 100; // cutime + cstime, in clock ticks of 1/100 s
  } catch {
    return 0;
  }
};
let mark;
const start = () => {
  mark = { t: performance.now(), cpu: childCpu() };
};
const report = (label, seconds, target) => {
  const wall = (performance.now() - mark.t) / 1000;
  const cpu = childCpu() - mark.cpu;
  console.log(
    `${label}: ${seconds.toFixed(1)} s of video in ${wall.toFixed(2)} s = ${(seconds / wall).toFixed(1)}x real time ` +
      `(target ${target}); ffmpeg CPU ${cpu.toFixed(2)} s = ${(seconds / cpu).toFixed(1)} s of video per CPU second`,
  );
};

// 1. Three 8 s 1080p25 clips with moving content (a realistic bitrate), as HeyGen would send them.
const clips = [0, 1, 2].map((i) => {
  const file = join(dir, `scene${i}.mp4`);
  make(['-f', 'lavfi', '-i', `testsrc2=s=1920x1080:r=25:d=8`, '-f', 'lavfi', '-i', `sine=frequency=${300 + 100 * i}:duration=8`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ar', '48000', '-ac', '2', file]);
  return { kind: 'scene', path: file };
});
start();
let r = await compose(spec(3), clips, { root: dir, outFile: join(dir, 'joined.mp4') });
report(`join 3 matching 1080p clips (reencoded: ${r.reencoded})`, r.seconds, '>= 20x');

// 2. A 6 s transparent 1080p avatar over an image.
make(['-f', 'lavfi', '-i', 'testsrc2=s=1920x1080', '-frames:v', '1', join(dir, 'bg.png')]);
make(['-f', 'lavfi', '-i', 'color=c=black@0:s=1920x1080:r=25:d=6,format=yuva420p[base];testsrc2=s=700x900:r=25,format=yuva420p[box];[base][box]overlay=x=610:y=180:shortest=1',
  '-f', 'lavfi', '-i', 'sine=duration=6', '-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p', '-auto-alt-ref', '0', '-deadline', 'realtime', '-cpu-used', '8',
  '-b:v', '2M', '-c:a', 'libopus', '-shortest', join(dir, 'avatar.webm')]);
start();
r = await compose(spec(1), [{ kind: 'alpha', path: join(dir, 'avatar.webm') }], { root: dir, outFile: join(dir, 'alpha.mp4'), fps: 25 });
report('transparent 1080p WebM avatar over an image (closeUp, offset)', r.seconds, '>= 1.5x');

rmSync(dir, { recursive: true, force: true });
