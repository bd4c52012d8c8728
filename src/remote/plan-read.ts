/**
 * What `plan` reads of the store for the keys it would pay for: which have a record a build can restore
 * from, which have one it cannot (damaged, from a newer heygen-build, of another kind, naming no file),
 * and the claims of those with none. A record is priced free only once read and checked the way a build
 * checks it before restoring (remote-item.ts `fromStore`): a plan that trusted a record's mere presence
 * priced as free a key the build then paid for.
 */
import type { Plan } from '../model/plan.js';
import { sceneLabel } from '../plan/scenes.js';
import { mapLimit } from '../util/limit.js';
import { parseClaim, type Claim } from './claims.js';
import { isUnreachable } from './errors.js';
import { claimKey, keyOfRecord, recordKey } from './layout.js';
import { parseRecord, type RecordKind } from './record.js';
import { namesOutput, ROLES } from './roles.js';
import type { RemoteStore } from './store.js';
import { HeygenBuildError } from '../errors.js';

/** Up to this many keys, a GET each (at REQUEST_LIMIT at once) is cheaper than listing a large store. */
const GET_AT_MOST = 64;
const REQUEST_LIMIT = 16;

/** A paid key of the plan: the kind of record that can serve it, and the items (ids) it is for. */
export interface PaidKey {
  kind: RecordKind;
  ids: string[];
}

/** What the store says of the plan's paid keys. */
export interface StoreView {
  /** Keys whose record a build can restore from. */
  recorded: Set<string>;
  /** Keys whose record a build cannot use, with why (priced as renders). */
  damaged: Map<string, string>;
  /** Claims of keys without a record. */
  claims: Map<string, Claim>;
}


/** Why the record `bytes` of `key` cannot serve a `kind` item, or undefined when it can. */
export function recordProblem(bytes: Buffer, key: string, kind: RecordKind): string | undefined {
  const r = parseRecord(bytes, key);
  if (!r) return 'is damaged (not a record of this key that this heygen-build can read), or was written by a newer heygen-build';
  if (r.kind !== kind) return `is the record of a ${r.kind}, not of a ${kind}`;
  if (!namesOutput(r, kind)) return `names no ${ROLES[kind].serve.join(' or ')} file`;
  return undefined;
}

/**
 * Reads the store for `keys`: a GET of the record per key when few, else one listing of records/ and a
 * GET of each record listed (a record is a few hundred bytes); beside either, one listing of claims/
 * (short: a claim is removed once its record is pushed), then a GET per claimed key without a record.
 * A record that cannot be read (the store answers an error for that object alone) counts as damaged;
 * an unreachable store, or refused credentials, throw (the plan says W_REMOTE_OFFLINE).
 */
export async function readStore(store: RemoteStore, keys: ReadonlyMap<string, PaidKey>, signal?: AbortSignal, withClaims = true): Promise<StoreView> {
  const view: StoreView = { recorded: new Set(), damaged: new Map(), claims: new Map() };
  const check = async (k: string): Promise<void> => {
    let bytes: Buffer | undefined;
    try {
      bytes = await store.get(recordKey(k), signal);
    } catch (e) {
      if (isUnreachable(e) || !(e instanceof HeygenBuildError) || e.code !== 'E_REMOTE') throw e;
      // The store's error name (`HTTP 500 InternalError`, `EISDIR`) ends its message: the object is named apart.
      const name = /\(([^()]*)\)$/.exec(e.message)?.[1];
      view.damaged.set(k, `could not be read${name ? ` (${name})` : ''}`);
      return;
    }
    if (!bytes) return;
    const why = recordProblem(bytes, k, keys.get(k)!.kind);
    if (why) view.damaged.set(k, why);
    else view.recorded.add(k);
  };
  const claimed: string[] = [];
  const records = async (): Promise<void> => {
    if (keys.size <= GET_AT_MOST) return mapLimit([...keys.keys()], REQUEST_LIMIT, check);
    const listed: string[] = [];
    for await (const o of store.list('records/', signal)) {
      const k = keyOfRecord(o);
      if (k !== undefined && keys.has(k)) listed.push(k);
    }
    await mapLimit(listed, REQUEST_LIMIT, check);
  };
  const claims = async (): Promise<void> => {
    if (!withClaims) return;
    for await (const o of store.list('claims/', signal)) {
      const k = o.slice('claims/'.length);
      if (keys.has(k)) claimed.push(k);
    }
  };
  await Promise.all([records(), claims()]);
  await mapLimit(
    claimed.filter((k) => !view.recorded.has(k)),
    REQUEST_LIMIT,
    async (k) => {
      const c = parseClaim(await store.get(claimKey(k), signal), k);
      if (c) view.claims.set(c.key, c);
    },
  );
  return view;
}

/**
 * The keys of `plan` that a build would pay for, with the record kind that serves each: paid items, and
 * the new clips of composed videos. Not `--replace`d items (rendered with HeyGen, as promised), nor a
 * deliberate re-render of the same key (a failed render retried).
 */
export function paidKeys(plan: Plan): Map<string, PaidKey> {
  const keys = new Map<string, PaidKey>();
  const add = (key: string, kind: RecordKind, id: string): void => {
    const k = keys.get(key);
    if (k) k.ids.push(id);
    else keys.set(key, { kind, ids: [id] });
  };
  for (const it of plan.items) {
    if ((it.action !== 'create' && it.action !== 'update') || !it.key || it.previousKey === it.key || it.replace) continue;
    add(it.key, it.kind === 'video' ? 'video' : it.review === 'proofread' ? 'proofread' : 'translation', it.id);
    for (const s of it.scenes ?? []) if (s.action === 'create' && s.key) add(s.key, 'clip', sceneLabel(it.id, s.index));
  }
  return keys;
}
