// npm run bench: runs every benchmark in turn and prints its figures.
// Figures are ratios or per-item costs with the target next to them; nothing here fails a build.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const only = process.argv.slice(2);
const all = ['plan.js', 'process.js', 'validate.js', 'estimate.js', 'draft.js', 'build.js', 'watch.js', 'fs.js', 'compose.js', 'asset-check.js', 'credits.js', 'voiceover.js', 'rows.js', 'catalog.js', 'scale.js', 'shards.js', 'remote.js', 'reporter.js'];
for (const name of only.length ? only.map((n) => (n.endsWith('.js') ? n : `${n}.js`)) : all) {
  const file = fileURLToPath(new URL(`./${name}`, import.meta.url));
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(${name} exited with ${r.status})`);
}
