// Validation cost against the number of errors in one manifest (issue #15): µs per error at 1k,
// 5k and 20k unknown keys, and the ratio to the 1k figure (target: 20k within 2x of 1k, i.e.
// linear). Then the cascade of one bad indent in a manifest just under the size cap, and a
// 100,000-scene manifest over it (refused before parsing): errors, time and peak memory of the
// whole CLI. CPU time is printed next to wall time: on a shared machine it is the steadier one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openProject } from '../dist/api/project.js';
import { formatDiagnostics } from '../dist/reporters/diagnostics.js';
import { MAX_MANIFEST_BYTES } from '../dist/manifest/limits.js';

const bin = fileURLToPath(new URL('../bin/heygen-build.js', import.meta.url));
const maxrss = fileURLToPath(new URL('./maxrss.mjs', import.meta.url));

function project(text) {
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-validate-'));
  writeFileSync(join(dir, 'heygen.config.mjs'), `export default { manifests: ['*.yaml'], voices: { narrator: 'abc123def456' } };\n`);
  writeFileSync(join(dir, 'big.yaml'), text);
  return dir;
}

function unknownKeys(n) {
  const lines = ['scenes:', '  - script: hello', '    voice: narrator'];
  for (let i = 0; i < n; i++) lines.push(`unknown_key_${i}: ${i}`);
  return `${lines.join('\n')}\n`;
}

/** Scenes with one bad indent on the first line: yaml reports errors on nearly every line after it. */
function badIndent(scenes) {
  const lines = [' title: one bad indent', 'voice: narrator', 'scenes:'];
  for (let i = 0; i < scenes; i++) lines.push(`  - script: scene ${i}`, '    background: "#112233"');
  return `${lines.join('\n')}\n`;
}

async function validateOnce(dir) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const p = await openProject({ cwd: dir, cache: false });
  const human = formatDiagnostics(p.diagnostics, 'human');
  const json = formatDiagnostics(p.diagnostics, 'json');
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, errors: p.diagnostics.length, bytes: human.length + json.length };
}

// Warm up (ajv compile, JIT of the parser and the reporters): a cold first run would make the
// smallest size look several times dearer per error than it is.
const warm = project(unknownKeys(5000));
for (let i = 0; i < 3; i++) await validateOnce(warm);
rmSync(warm, { recursive: true, force: true });

// The same manifest without unknown keys: the fixed cost (config, discovery, one parse) that
// the per-error figures leave out, so they show what each further error costs.
const clean = project(unknownKeys(0));
globalThis.gc?.();
const zero = await validateOnce(clean);
rmSync(clean, { recursive: true, force: true });
console.log(`validate without errors: ${(zero.wall / 1000).toFixed(2)} s (cpu ${(zero.cpu / 1000).toFixed(2)} s), subtracted below`);

let base;
for (const n of (process.env.BENCH_VALIDATE_SIZES ?? '1000,5000,20000').split(',').map(Number)) {
  const dir = project(unknownKeys(n));
  globalThis.gc?.();
  const r = await validateOnce(dir);
  const perWall = ((r.wall - zero.wall) * 1000) / r.errors;
  const perCpu = ((r.cpu - zero.cpu) * 1000) / r.errors;
  base ??= { perWall, perCpu };
  console.log(
    `validate ${n} unknown keys: ${r.errors} errors, ${(r.wall / 1000).toFixed(2)} s (cpu ${(r.cpu / 1000).toFixed(2)} s), ` +
      `${perWall.toFixed(0)} µs/error (cpu ${perCpu.toFixed(0)}), vs first size x${(perWall / base.perWall).toFixed(2)} (cpu x${(perCpu / base.perCpu).toFixed(2)})  (target <= x2)`,
  );
  rmSync(dir, { recursive: true, force: true });
}

function cli(dir) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', maxrss, bin, 'validate', '-C', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = performance.now() - t;
  const rss = Number(/maxrss (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  const out = JSON.parse(r.stdout);
  return { wall, rss, out };
}

// Largest cascade the cap lets in: as many scenes as fit under it.
let scenes = 1000;
while (badIndent(scenes + 1000).length <= MAX_MANIFEST_BYTES) scenes += 1000;
let dir = project(badIndent(scenes));
let r = cli(dir);
console.log(
  `one bad indent, ${scenes} scenes (${(badIndent(scenes).length / 1048576).toFixed(1)} MB, under the ${MAX_MANIFEST_BYTES / 1048576} MB cap): ` +
    `${r.out.summary.errors} YAML errors, ${(r.wall / 1000).toFixed(2)} s, peak ${r.rss.toFixed(0)} MB  (whole CLI, json output)`,
);
rmSync(dir, { recursive: true, force: true });

dir = project(badIndent(100_000));
r = cli(dir);
console.log(
  `one bad indent, 100000 scenes (${(badIndent(100_000).length / 1048576).toFixed(1)} MB): ${r.out.diagnostics.map((d) => d.code).join(', ')}, ` +
    `${(r.wall / 1000).toFixed(2)} s, peak ${r.rss.toFixed(0)} MB`,
);
rmSync(dir, { recursive: true, force: true });
