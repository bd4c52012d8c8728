import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/hash/canonical.js';
import { sha256File } from '../../src/fsx/digest.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-hash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sha256File', () => {
  it('matches the digest of the bytes for an empty, a small and a multi-chunk file', async () => {
    for (const size of [0, 10, 3 * 1024 * 1024 + 17]) {
      const bytes = randomBytes(size);
      const file = join(dir, `f${size}`);
      await writeFile(file, bytes);
      expect(await sha256File(file)).toEqual({ sha256: sha256Hex(bytes), size });
    }
  });

  it('rejects with ENOENT for a missing file', async () => {
    await expect(sha256File(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
