/**
 * The compositor (ffmpeg, probes, text layers: two dozen modules), imported on first use. A build whose
 * videos are each one scene HeyGen composited never composes or probes; the modules of every run load
 * while the free lookups wait on the network, and each build process (every shard) paid for these too.
 */
let loading: Promise<typeof import('../../compose/index.js')> | undefined;

/** The compose module, imported once. */
export function composer(): Promise<typeof import('../../compose/index.js')> {
  loading ??= import('../../compose/index.js');
  return loading;
}
