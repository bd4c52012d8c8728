/** Sends one journaled record: its blobs first, then the record, then clears the journal entry. */
import { resolve } from 'node:path';
import { pushBlob } from './blobs.js';
import { clearPush, type PendingPush } from './journal.js';
import { claimKey, recordKey } from './layout.js';
import type { TransferMeter } from './meter.js';
import type { RemoteStore } from './store.js';

/** How a push ended: sent, or dropped because a file changed since it was recorded. */
export type PushOutcome = 'pushed' | 'stale';

/**
 * Pushes `p` (blobs, then record: a record never names a blob the store lacks). Throws on store errors,
 * leaving the journal entry for a later try.
 */
export async function pushPending(store: RemoteStore, root: string, p: PendingPush, meter?: TransferMeter, signal?: AbortSignal): Promise<PushOutcome> {
  for (const [role, file] of Object.entries(p.files)) {
    const f = p.record.files[role];
    if (!f) continue;
    if (!(await pushBlob(store, resolve(root, file), f.sha256, meter?.add, signal))) {
      await clearPush(root, p.record.key);
      return 'stale';
    }
    if (meter) meter.objects++;
  }
  await store.put(recordKey(p.record.key), JSON.stringify(p.record, null, 2) + '\n');
  // The record now stops any second render of the key, so its claim has done its job: removed, claims/
  // holds only renders in flight (or stuck), and `plan` reads it in one short listing. A machine that
  // claims the key after this finds the record on its check right after claiming (claims.ts).
  await store.delete(claimKey(p.record.key)).catch(() => undefined);
  await clearPush(root, p.record.key);
  return 'pushed';
}
