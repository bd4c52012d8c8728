import fc from 'fast-check';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipLock, LockEntry, Lockfile } from '../../src/model/lock.js';
import { LockfileWriter, serializeLockfile } from '../../src/lockfile/serialize.js';
import { LockStore } from '../../src/lockfile/store.js';
import { ChangeTracker } from '../../src/lockfile/track.js';
import { hex, sampleLock } from './locks.js';

const ids = ['intro', 'outro', 'a', 'b'];
const clipKeys = [hex('7'), hex('1'), hex('2')];
const assetKeys = [hex('c'), hex('0'), hex('3')];

const newEntry = (n: number): LockEntry => ({ key: hex(String(n % 10)), parts: { x: `${n}`.padStart(8, '0') }, status: 'pending', attempt: 1, translations: {} });
const newClip = (n: number): ClipLock => ({ kind: 'avatar', status: 'pending', attempt: 1 + (n % 3), idempotencyKey: `hb-${String(n % 10).repeat(40)}-1` });

/** One change a build's mutators could make, each the way the executor writes them. */
type Change = (l: Lockfile, n: number) => void;
const changes: Record<string, Change> = {
  'a field of an entry, in place': (l, n) => {
    const e = l.videos[ids[n % ids.length]!];
    if (e) e.remoteId = `r-${n}`;
  },
  'a nested translation, in place': (l, n) => {
    const e = l.videos[ids[n % ids.length]!];
    if (e) e.translations.es = { key: hex('f'), language: 'Spanish', status: 'submitted', attempt: 1, remoteId: `t-${n}` };
  },
  'an entry replaced': (l, n) => {
    l.videos[ids[n % ids.length]!] = newEntry(n);
  },
  'an entry deleted': (l, n) => {
    delete l.videos[ids[n % ids.length]!];
  },
  'a clip added or changed': (l, n) => {
    const c = (l.clips ??= {})[clipKeys[n % clipKeys.length]!];
    if (c) c.status = n % 2 ? 'submitted' : 'failed';
    else l.clips[clipKeys[n % clipKeys.length]!] = newClip(n);
  },
  'the clips replaced whole': (l, n) => {
    l.clips = n % 2 ? {} : { [clipKeys[0]!]: newClip(n) };
  },
  'the clips dropped': (l) => {
    delete l.clips;
  },
  'every entry, through Object.entries': (l, n) => {
    for (const [, e] of Object.entries(l.videos)) e.durationSeconds = n;
  },
  'every entry, through Object.values of the assets': (l, n) => {
    for (const a of Object.values(l.assets)) a.size = n;
  },
  'an asset added': (l, n) => {
    l.assets[assetKeys[n % assetKeys.length]!] = { path: `assets/${n}.png`, size: n, api: 'v3', remoteId: `asset-${n}` };
  },
  'the base': (l, n) => {
    l.base = hex(String(n % 10));
  },
  'the videos replaced whole': (l, n) => {
    l.videos = { [ids[n % ids.length]!]: newEntry(n) };
  },
};

describe('LockfileWriter: saves re-serialize only the entries touched', () => {
  it('writes the same bytes as a full serialization after any sequence of changes (property)', () => {
    const change = fc.tuple(fc.constantFrom(...Object.keys(changes)), fc.nat(50));
    fc.assert(
      fc.property(fc.array(fc.array(change, { maxLength: 3 }), { maxLength: 12 }), (saves) => {
        const state = sampleLock();
        const tracker = new ChangeTracker(state);
        const writer = new LockfileWriter();
        expect(writer.serialize(state, tracker.take())).toBe(serializeLockfile(state));
        for (const save of saves) {
          for (const [name, n] of save) changes[name]!(tracker.lock, n);
          expect(writer.serialize(state, tracker.take())).toBe(serializeLockfile(state));
        }
      }),
      { numRuns: 300 },
    );
  });

  for (const [name, change] of Object.entries(changes)) {
    it(`sees ${name}`, () => {
      const state = sampleLock();
      const tracker = new ChangeTracker(state);
      const writer = new LockfileWriter();
      const before = writer.serialize(state, tracker.take());
      change(tracker.lock, 1);
      const after = writer.serialize(state, tracker.take());
      expect(after).toBe(serializeLockfile(state));
      expect(after).not.toBe(before);
    });
  }

  it('reuses the text of an entry nothing touched, and only that', () => {
    const state = sampleLock();
    const tracker = new ChangeTracker(state);
    const writer = new LockfileWriter();
    writer.serialize(state, tracker.take());
    // Changed behind the tracker's back: an untouched entry's text is reused, so the file lags...
    state.videos.outro!.remoteId = 'unseen';
    expect(writer.serialize(state, tracker.take())).not.toContain('unseen');
    // ...until a mutator touches the entry (even only reading it).
    void tracker.lock.videos.outro;
    expect(writer.serialize(state, tracker.take())).toContain('remoteId: unseen');
  });
});

describe('LockStore with the incremental writer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hb-store-inc-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves every change made through update(), save after save', async () => {
    const path = join(dir, 'heygen.lock.yaml');
    const store = await LockStore.open(path);
    for (let i = 0; i < 20; i++) {
      await store.update((l) => {
        (l.clips ??= {})[hex(String(i % 10))] = newClip(i);
        const v = (l.videos[`v${i % 7}`] ??= newEntry(i));
        v.status = i % 2 ? 'submitted' : 'pending';
        v.remoteId = `r-${i}`;
      });
      expect(await readFile(path, 'utf8')).toBe(serializeLockfile(store.lock));
    }
  });

  it('saves, at the end of a build, a change made outside update() before leaving the parsed cache', async () => {
    const path = join(dir, 'outside.lock.yaml');
    const cache = join(dir, 'outside.cache.json');
    const store = await LockStore.open(path);
    await store.update((l) => {
      l.videos.intro = newEntry(1);
      l.videos.outro = newEntry(2);
    });
    // A bug the journal must survive: an entry changed without update(), then another saved.
    (store.lock.videos.outro as LockEntry).remoteId = 'changed-outside';
    await store.update((l) => {
      l.videos.intro!.remoteId = 'changed-inside';
    });
    expect(await readFile(path, 'utf8')).not.toContain('changed-outside');
    await store.leaveCache(cache);
    const text = await readFile(path, 'utf8');
    expect(text).toBe(serializeLockfile(store.lock));
    expect(text).toContain('changed-outside');
  });
});
