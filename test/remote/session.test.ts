/**
 * The push journal through a build's session: a push journaled but never finished (a killed build, an
 * unreachable store) is sent by the next session, blobs before the record.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
});
