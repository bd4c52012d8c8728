/**
 * Which lockfile entries a change may have touched, so a save re-serializes only those (serialize.ts
 * `LockfileWriter`) instead of the whole file: a build saves after every state change, ~260 times for
 * 200 videos, and each full serialization walked every entry.
 *
 * The store hands its mutators the lockfile through a proxy. Any entry a mutator reads, writes, defines
 * or deletes through it is marked, before the mutator can change it: everything a mutator may change in
 * place it must first get from the lockfile. Replacing or deleting a whole section (`l.clips = {}`)
 * marks the section. The entries themselves are handed out as they are (no proxy), so identities hold.
 */
import type { Lockfile } from '../model/lock.js';

/** The lockfile's maps of entries, each saved entry by entry. */
export const SECTIONS = ['videos', 'assets', 'clips'] as const;

/** One of the lockfile's maps of entries. */
export type Section = (typeof SECTIONS)[number];

/** What changed since the last serialization: per section, the keys touched, or `all`. */
export type Touched = Record<Section, Set<string> | 'all'>;

/** Every entry, as for a first serialization. */
export function touchedAll(): Touched {
  return { videos: 'all', assets: 'all', clips: 'all' };
}

function isSection(p: string | symbol): p is Section {
  return p === 'videos' || p === 'assets' || p === 'clips';
}

/** Proxy traps that call `mark` with the property before every write, definition or deletion. */
function writesMarking<T extends object>(mark: (p: string | symbol) => void): ProxyHandler<T> {
  return {
    set: (t, p, v, r) => {
      mark(p);
      return Reflect.set(t, p, v, r);
    },
    defineProperty: (t, p, d) => {
      mark(p);
      return Reflect.defineProperty(t, p, d);
    },
    deleteProperty: (t, p) => {
      mark(p);
      return Reflect.deleteProperty(t, p);
    },
  };
}

/** Records the entries touched through `lock` (a proxy of the state) until `take()`. */
export class ChangeTracker {
  /** The state as mutators see it: reads and writes go to the state, and are recorded. */
  readonly lock: Lockfile;
  private touched: Touched = touchedAll();
  /** The proxy of each section object, made once per object. */
  private readonly proxies = new WeakMap<object, object>();

  constructor(state: Lockfile) {
    const markSection = (p: string | symbol): void => {
      if (isSection(p)) this.touched[p] = 'all';
    };
    this.lock = new Proxy(state, {
      ...writesMarking<Lockfile>(markSection),
      get: (t, p, r) => {
        const v: unknown = Reflect.get(t, p, r);
        return isSection(p) && typeof v === 'object' && v !== null ? this.section(p, v) : v;
      },
    });
  }

  /** What was touched since the last call (everything before the first), and starts afresh. */
  take(): Touched {
    const t = this.touched;
    this.touched = { videos: new Set(), assets: new Set(), clips: new Set() };
    return t;
  }

  private section(name: Section, target: object): object {
    let proxy = this.proxies.get(target);
    if (proxy) return proxy;
    const mark = (p: string | symbol): void => {
      const set = this.touched[name];
      if (set !== 'all' && typeof p === 'string') set.add(p);
    };
    proxy = new Proxy(target, {
      ...writesMarking<object>(mark),
      get: (t, p, r) => {
        mark(p);
        return Reflect.get(t, p, r) as unknown;
      },
      getOwnPropertyDescriptor: (t, p) => {
        mark(p);
        return Reflect.getOwnPropertyDescriptor(t, p);
      },
    });
    this.proxies.set(target, proxy);
    return proxy;
  }
}
