/** The repository's examples/ project loaded as `npx heygen-build` loads it, with the repo's own heygen.config.ts. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import { REPO } from './helpers.js';

/** Every manifest under examples/, loaded without the manifest cache. */
export async function loadExamples(): Promise<LoadResult> {
  const dir = path.join(REPO, 'examples');
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(dir, f));
  const config = await loadConfig({ cwd: REPO, env: {} });
  return loadManifests(files, { config, manifestsRoot: 'examples', cache: false });
}
