/**
 * Manifests with thousands of problems (issue #15): the fuzz cases that hung finish, every
 * problem is still found (JSON lists them all), people see the first 50 per file and a count.
 */

import { describe, expect, it } from 'vitest';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import { MAX_MANIFEST_BYTES } from '../../src/manifest/limits.js';
import { formatDiagnostics, type JsonDiagnostics } from '../../src/reporters/diagnostics.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject } from './helpers.js';

async function load(text: string): Promise<LoadResult> {
  const root = makeProject({ 'big.yaml': text });
  try {
    return await loadManifests(['big.yaml'], { config: makeConfig(root), manifestsRoot: '.', cache: false });
  } finally {
    cleanup(root);
  }
}

function unknownKeys(n: number): string {
  const lines = ['scenes:', '  - script: hello', '    voice: narrator'];
  for (let i = 0; i < n; i++) lines.push(`unknown_key_${i}: ${i}`);
  return `${lines.join('\n')}\n`;
}

/** A first line indented by one space: yaml then reports an error on nearly every line after it. */
function badIndent(scenes: number): string {
  const lines = [' title: one bad indent', 'voice: narrator', 'scenes:'];
  for (let i = 0; i < scenes; i++) lines.push(`  - script: scene ${i}`, '    background: "#112233"');
  return `${lines.join('\n')}\n`;
}

describe('a manifest with 20,000 unknown keys', () => {
  it('reports each key at its line; human output shows 50 and counts the rest; JSON has all', async () => {
    const r = await load(unknownKeys(20_000));
    expect(r.diagnostics).toHaveLength(20_000);
    expect(r.diagnostics.every((d) => d.code === 'E_UNKNOWN_KEY')).toBe(true);
    // Key i is on line i + 4: placing the last ones is no less exact than the first.
    expect(r.diagnostics[19_999]?.message).toContain('"unknown_key_19999"');
    expect(r.diagnostics[19_999]?.location).toMatchObject({ file: 'big.yaml', line: 20_003, column: 1 });
    expect(r.diagnostics[19_999]?.frame).toContain('> 20003 | unknown_key_19999: 19999');

    const human = formatDiagnostics(r.diagnostics, 'human');
    expect(human.match(/ error E_UNKNOWN_KEY /g)).toHaveLength(50);
    expect(human).toContain('unknown_key_49"');
    expect(human).not.toContain('unknown_key_50"');
    expect(human).toContain('… and 19,950 more errors in big.yaml');
    expect(human.trimEnd().endsWith('20,000 errors in 1 file')).toBe(true);

    const github = formatDiagnostics(r.diagnostics, 'github');
    expect(github.match(/^::error /gm)).toHaveLength(50);
    expect(github).toMatch(/^::notice file=big\.yaml,title=more::… and 19,950 more errors in big\.yaml/m);

    const json = JSON.parse(formatDiagnostics(r.diagnostics, 'json')) as JsonDiagnostics;
    expect(json.summary.errors).toBe(20_000);
    expect(json.diagnostics).toHaveLength(20_000);
    expect(json.diagnostics[19_999]).toMatchObject({ code: 'E_UNKNOWN_KEY', line: 20_003 });
  });
});

describe('one bad indent in a manifest of many scenes', () => {
  it('reports only the YAML errors: no schema or semantic checks cascade from them', async () => {
    const r = await load(badIndent(5_000));
    expect(r.diagnostics.length).toBeGreaterThan(5_000);
    expect(new Set(r.diagnostics.map((d) => d.code))).toEqual(new Set(['E_YAML_SYNTAX']));
    expect(r.diagnostics[0]?.location?.line).toBeLessThanOrEqual(2);
    expect(r.specs).toEqual([]);
    const human = formatDiagnostics(r.diagnostics, 'human');
    expect(human.match(/ error E_YAML_SYNTAX /g)).toHaveLength(50);
    expect(human).toContain(`… and ${(r.diagnostics.length - 50).toLocaleString('en-US')} more errors in big.yaml`);
  });

  it('refuses a 100,000-scene manifest over the size limit before parsing it', async () => {
    const text = badIndent(100_000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_MANIFEST_BYTES);
    const r = await load(text);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'E_MANIFEST_TOO_LARGE', location: { file: 'big.yaml', line: 1, column: 1 } });
    expect(r.diagnostics[0]?.message).toMatch(/^the manifest is 4\.\d MB; the limit is 2 MB$/);
    expect(r.diagnostics[0]?.hint).toContain('split it');
  });
});

describe('duplicate keys (our linear check instead of yaml uniqueKeys)', () => {
  it('reports each repeat at its key, in block and flow maps, at any depth', async () => {
    const r = await load(
      ['scenes:', '  - script: hi', '    voice: narrator', '    script: again', 'scenes: []', 'voice: {id: a, id: b}', 'tags: [a, a]', ''].join('\n'),
    );
    const dups = r.diagnostics.filter((d) => d.message.endsWith('(YAML: Map keys must be unique)'));
    expect(dups.map((d) => [d.code, d.location?.line, d.location?.column])).toEqual([
      ['E_YAML_SYNTAX', 4, 5],
      ['E_YAML_SYNTAX', 5, 1],
      ['E_YAML_SYNTAX', 6, 16],
    ]);
    // The key named, and where its first copy is.
    expect(dups.map((d) => d.message.split(':')[0])).toEqual([
      '"script" is written twice in the same map (first at line 2)',
      '"scenes" is written twice in the same map (first at line 1)',
      '"id" is written twice in the same map (first at line 6)',
    ]);
    expect(r.diagnostics).toHaveLength(3); // a repeated list item is not a key; nothing cascades
  });

  it('allows several `<<` merge keys and keys that only look alike', async () => {
    const r = await load(
      ['x-a: &a {title: A}', 'x-b: &b {description: B}', '<<: *a', '<<: *b', '"1": x', '1: y'].join('\n') + '\n',
    );
    expect(r.diagnostics.filter((d) => d.message.includes('Map keys must be unique'))).toEqual([]);
  });
});
