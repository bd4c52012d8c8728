/**
 * One 'abort' listener per shared signal, however many operations wait on it.
 *
 * A build's Ctrl-C signal reaches every queued job, request, sleep and download. Each of them adding
 * its own listener to that one signal made node print `MaxListenersExceededWarning ... 11 abort
 * listeners added to [AbortSignal]` in any build with more jobs than slots. Raising the limit would
 * hide a real pile-up (a 10,000-video build queues 10,000 waiters), so instead each operation takes a
 * child signal here: the parent carries a single listener that aborts the live children, and a child
 * is forgotten as soon as its operation ends.
 */

export interface LinkedSignal {
  /** Aborted with the parent's reason when the parent aborts; undefined without a parent. */
  readonly signal: AbortSignal | undefined;
  /** The operation is over: stop forwarding to it (idempotent). */
  release(): void;
}

interface Hub {
  children: Set<AbortController>;
  onAbort: () => void;
}

const hubs = new WeakMap<AbortSignal, Hub>();
const NONE: LinkedSignal = { signal: undefined, release: () => undefined };

/** A child of `parent` for one operation, as described above; call `release` when the operation ends. */
export function linkSignal(parent: AbortSignal | undefined): LinkedSignal {
  if (!parent) return NONE;
  if (parent.aborted) return { signal: AbortSignal.abort(parent.reason), release: () => undefined };
  let hub = hubs.get(parent);
  if (!hub) {
    const children = new Set<AbortController>();
    const onAbort = (): void => {
      hubs.delete(parent);
      for (const c of children) c.abort(parent.reason);
      children.clear();
    };
    hub = { children, onAbort };
    hubs.set(parent, hub);
    parent.addEventListener('abort', onAbort, { once: true });
  }
  const child = new AbortController();
  hub.children.add(child);
  const owner = hub;
  return {
    signal: child.signal,
    release: () => {
      if (!owner.children.delete(child) || owner.children.size > 0) return;
      // The last child is gone: leave the parent as we found it.
      parent.removeEventListener('abort', owner.onAbort);
      if (hubs.get(parent) === owner) hubs.delete(parent);
    },
  };
}

/** Runs `fn` with a child of `parent` (see linkSignal), released when `fn` settles. */
export async function withLinkedSignal<T>(parent: AbortSignal | undefined, fn: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const link = linkSignal(parent);
  try {
    return await fn(link.signal);
  } finally {
    link.release();
  }
}
