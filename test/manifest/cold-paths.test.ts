/**
 * The cold path (js-yaml's fast parse, the build's yes/no validator, analyzeClean) gives exactly
 * what the full path (`yaml`'s parse, analyzeParsed) gives: the same unresolved spec, the same
 * local files to digest, the same places of `id:` and `output:`, and so the same finished specs and
 * keys, for every example and for manifests shaped like the benchmark's generated project.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { analyzeFast, analyzeParsed, type Analysis, type AnalyzeContext } from '../../src/manifest/analyze.js';
import { usesRows } from '../../src/manifest/rows/expand.js';
import { makeConfig } from './config.js';
import { REPO } from './helpers.js';

/** What a later step reads of an analysis (placePending is a closure: compared by what it places, elsewhere). */
function outcome(a: Analysis | undefined): unknown {
  if (!a) return undefined;
  return { diagnostics: a.diagnostics, spec: a.spec, pending: a.pending, idAt: a.idAt, outputAt: a.outputAt };
}

function context(config: AnalyzeContext['config']): AnalyzeContext {
  return { config, defaults: { file: 'heygen.config.ts', pos: { line: 1, column: 1 }, invalid: false }, timings: { parse: 0, validate: 0, resolve: 0 } };
}

/** A manifest as bench/project.js writes it (three scenes, shared images, a comment, a flow list, a break tag). */
function benchManifest(i: number): string {
  const words = 'the quick brown fox jumps over a lazy dog while our product helps teams ship videos faster'.split(' ');
  const script = (k: number): string => Array.from({ length: 40 }, (_, j) => words[(i + j * k) % words.length]).join(' ');
  return (
    `# yaml-language-server: $schema=../../schema/video.schema.json\ntitle: Video ${i}\ntags: [bench]\navatar: presenter\ncaption: ${i % 2 === 0}\n` +
    (i % 3 === 0 ? `id: bench/v${i}\noutput: out/v${i}.mp4\n` : '') +
    `scenes:\n  - script: ${script(1)}\n    background: "#112233"\n` +
    `  - script: ${script(2)} <break time="1s"/> done.\n    background:\n      image: ../assets/bg${i % 4}.png\n      fit: cover\n` +
    `  - script: ${script(3)}\n    voice:\n      alias: narrator\n      speed: 1.1\n`
  );
}

describe('the cold path', () => {
  it('gives what the full yaml path gives for every example', async () => {
    const config = await loadConfig({ cwd: REPO, env: {} });
    const dir = path.join(REPO, 'examples');
    let fast = 0;
    for (const f of readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.ya?ml$/.test(f))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      if (usesRows(text)) continue;
      const rel = `examples/${f}`;
      const id = f.replace(/\.ya?ml$/, '');
      const cold = analyzeFast(rel, text, id, context(config));
      if (cold) fast++;
      // Declined (undefined) is fine; a cold answer must be the full path's.
      if (cold) expect(outcome(cold), f).toEqual(outcome(analyzeParsed(rel, text, id, context(config))));
    }
    expect(fast).toBeGreaterThan(4);
  });

  it("gives what the full yaml path gives for the benchmark's manifests", () => {
    const config = makeConfig('/project', { defaults: { dimension: '720p' } });
    for (let i = 0; i < 12; i++) {
      const rel = `videos/g${i}/v${i}.yaml`;
      const text = benchManifest(i);
      const cold = analyzeFast(rel, text, `g${i}/v${i}`, context(config));
      expect(cold, rel).toBeDefined();
      expect(outcome(cold), rel).toEqual(outcome(analyzeParsed(rel, text, `g${i}/v${i}`, context(config))));
    }
  });
});
