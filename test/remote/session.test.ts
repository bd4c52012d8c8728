/**
 * The push journal through a build's session: a push journaled but never finished (a killed build, an
 * unreachable store) is sent by the next session, blobs before the record.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../../src/execute/events.js';
import type { ResolvedConfig } from '../../src/model/config.js';
import { journalPush, PUSH_DIR } from '../../src/remote/journal.js';
import { RemoteSession } from '../../src/remote/session.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'hb-session-'));
}

describe('push journal', () => {
  it('a push left in the journal is sent when the next build opens the store', async () => {
    const root = tmp();
    const store = tmp();
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out', 'a.mp4'), 'video bytes');
    const sha256 = createHash('sha256').update('video bytes').digest('hex');
    await journalPush(root, {
      record: { version: 1, key: 'k'.repeat(16), kind: 'video', api: 'v3', composed: true, files: { video: { sha256, size: 11, ext: 'mp4' } }, at: '2026-01-01T00:00:00Z' },
      files: { video: 'out/a.mp4' },
    });
    const events: BuildEvent[] = [];
    const config = { root, remote: { url: `file://${store}` } } as ResolvedConfig;
    const session = (await RemoteSession.open(config, (e) => events.push(e)))!;
    expect(session.claims).toBe(true);
    const summary = await session.finish();
    expect(summary).toMatchObject({ pushed: 1, pending: 0 });
    expect(existsSync(join(store, 'records', `${'k'.repeat(16)}.json`))).toBe(true);
    expect(existsSync(join(store, 'cas', 'sha256', sha256))).toBe(true);
    expect(readdirSync(join(root, PUSH_DIR))).toEqual([]);
    expect(events).toEqual([]);
  });
});

describe('lookup', () => {
  it('a damaged record is answered as absent, with a warning that the key will be paid for', async () => {
    const root = tmp();
    const store = tmp();
    const key = 'k'.repeat(16);
    mkdirSync(join(store, 'records'), { recursive: true });
    writeFileSync(join(store, 'records', `${key}.json`), '{"version":1,"key":"kkk');
    const events: BuildEvent[] = [];
    const config = { root, remote: { url: `file://${store}` } } as ResolvedConfig;
    const session = (await RemoteSession.open(config, (e) => events.push(e)))!;
    expect(await session.lookup(key)).toBeUndefined();
    expect(events).toEqual([{ type: 'warning', message: expect.stringMatching(/records\/k+\.json in the remote store is damaged .*so this key is rendered and paid for$/) }]);
    await session.finish();
  });
});

describe('restore', () => {
  it('a corrupt blob is refused with a warning and answered as missing, so the build fetches the file another way', async () => {
    const root = tmp();
    const store = tmp();
    const sha256 = createHash('sha256').update('video bytes').digest('hex');
    mkdirSync(join(store, 'cas', 'sha256'), { recursive: true });
    writeFileSync(join(store, 'cas', 'sha256', sha256), 'video bytes, damaged');
    const events: BuildEvent[] = [];
    const config = { root, remote: { url: `file://${store}` } } as ResolvedConfig;
    const session = (await RemoteSession.open(config, (e) => events.push(e)))!;
    expect(await session.restore(sha256, 'out/a.mp4')).toBe(false);
    expect(existsSync(join(root, 'out', 'a.mp4'))).toBe(false);
    expect(events).toEqual([{ type: 'warning', message: expect.stringMatching(/is corrupt: .*: fetching out\/a\.mp4 another way/) }]);
    await session.finish();
  });

  it('a damaged blob is replaced by the good copy the build fetched another way, and said; without one it stays, and that is said', async () => {
    const root = tmp();
    const store = tmp();
    const good = 'video bytes';
    const sha256 = createHash('sha256').update(good).digest('hex');
    const other = createHash('sha256').update('other bytes').digest('hex');
    mkdirSync(join(store, 'cas', 'sha256'), { recursive: true });
    writeFileSync(join(store, 'cas', 'sha256', sha256), 'video bytes, damaged');
    writeFileSync(join(store, 'cas', 'sha256', other), 'other bytes, damaged');
    const events: BuildEvent[] = [];
    const config = { root, remote: { url: `file://${store}` } } as ResolvedConfig;
    const session = (await RemoteSession.open(config, (e) => events.push(e)))!;
    expect(await session.restore(sha256, 'out/a.mp4')).toBe(false);
    expect(await session.restore(other, 'out/b.mp4')).toBe(false);
    // The build fetched a good copy of a.mp4 from HeyGen; b.mp4 came back with other bytes.
    mkdirSync(join(root, 'out'), { recursive: true });
    writeFileSync(join(root, 'out', 'a.mp4'), good);
    writeFileSync(join(root, 'out', 'b.mp4'), 'a different render');
    await session.finish();
    expect(readFileSync(join(store, 'cas', 'sha256', sha256), 'utf8')).toBe(good);
    expect(readFileSync(join(store, 'cas', 'sha256', other), 'utf8')).toBe('other bytes, damaged');
    expect(events.filter((e) => e.type === 'repaired')).toEqual([{ type: 'repaired', blob: `cas/sha256/${sha256}`, path: 'out/a.mp4' }]);
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`cas/sha256/${sha256} was damaged: replaced with this build's copy of out/a\\.mp4`)));
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`cas/sha256/${other} stays damaged`)));
    // The next machine restores it.
    const next = (await RemoteSession.open({ root: tmp(), remote: { url: `file://${store}` } } as ResolvedConfig, () => undefined))!;
    expect(await next.restore(sha256, 'out/a.mp4')).toBe(true);
    await next.finish();
  });
});
