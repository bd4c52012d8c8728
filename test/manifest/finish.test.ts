/** Resolution returns an unresolved spec plus the files it needs; the VideoSpec is built once digests are known. */

import { describe, expect, it } from 'vitest';
import { finishSpec } from '../../src/manifest/finish.js';
import { resolveManifest } from '../../src/manifest/resolve/index.js';
import type { ManifestInput } from '../../src/manifest/types.js';
import { localAssets } from '../../src/model/spec.js';
import { makeConfig } from './config.js';

const config = makeConfig('/project', { voices: { narrator: 'v1' } });
const manifest: ManifestInput = {
  voice: 'narrator',
  background: { image: 'bg.png' },
  scenes: [{ audio: '../audio/a.mp3' }, { script: 'hi', background: { video: 'https://example.com/v.mp4' } }, { audio: '../audio/a.mp3' }],
};

function resolve() {
  return resolveManifest(manifest, { config, source: 'videos/intro.yaml', defaultId: 'intro', fromDefaults: () => false });
}

describe('resolveManifest and finishSpec', () => {
  it('resolution lists the local files to digest, and its spec has no digests to fill in later', () => {
    const r = resolve();
    expect(r.issues).toEqual([]);
    expect(r.pending.map((p) => [p.file, p.what, p.value])).toEqual([
      ['videos/bg.png', 'background image', 'bg.png'],
      ['audio/a.mp3', 'audio', '../audio/a.mp3'],
      ['audio/a.mp3', 'audio', '../audio/a.mp3'],
    ]);
    expect(r.spec.background).toEqual({ type: 'image', source: { kind: 'local', path: 'videos/bg.png' }, fit: 'cover' });
    expect(JSON.stringify(r.spec)).not.toContain('sha256');
  });

  it('the finished spec carries each digest and leaves the unresolved one as it was', () => {
    const r = resolve();
    const before = JSON.stringify(r.spec);
    const digests: Record<string, { sha256: string; size: number }> = {
      'videos/bg.png': { sha256: 'a'.repeat(64), size: 10 },
      'audio/a.mp3': { sha256: 'b'.repeat(64), size: 20 },
    };
    const spec = finishSpec(r.spec, (file) => digests[file]!);
    expect(JSON.stringify(r.spec)).toBe(before);
    expect(localAssets(spec)).toEqual([
      { kind: 'local', path: 'videos/bg.png', sha256: 'a'.repeat(64), size: 10 },
      { kind: 'local', path: 'audio/a.mp3', sha256: 'b'.repeat(64), size: 20 },
    ]);
    expect(spec.scenes[1]?.background).toEqual({ type: 'video', source: { kind: 'url', url: 'https://example.com/v.mp4' }, play: 'loop', fit: 'cover' });
    // Same keys in the same order as before the split, so caches and snapshots read the same.
    expect(Object.keys(spec)).toEqual(['id', 'source', 'tags', 'output', 'dimension', 'caption', 'voice', 'background', 'scenes', 'translations']);
  });
});
