/**
 * The worker thread of a parallel cold load (see parallel.ts): started before its work is known, it
 * loads its modules, then waits for its input; it takes chunks of manifests from the
 * shared counter, loads each cleanly (one-clean.ts) with its own asset store, and posts the results
 * of each chunk with the asset digests it made for them. It ends when no chunk is left, or when
 * the main thread, which has everything it needs, ends it.
 */

import { parentPort } from 'node:worker_threads';
import { derivedCache } from '../../plan/derived.js';
import type { ResolvedConfig } from '../../model/config.js';
import type { VideoSpec } from '../../model/spec.js';
import type { AnalyzeContext } from '../analyze.js';
import { AssetStore, type AssetRecord } from '../assets.js';
import { SharedTexts } from '../cache-pack.js';
import { parseFast } from '../parse-fast.js';
import { prepareValidation } from '../schema.js';
import { loadClean, type CleanFile } from './one-clean.js';

/** What the main thread posts the worker once it knows the work (structured-cloned; `bytes`, `offsets` and `counter` are shared). */
export interface WorkerInput {
  config: ResolvedConfig;
  priorAssets: Record<string, AssetRecord>;
  /** Whether to compute the planner's keys (the load was given the derived hook). */
  derive: boolean;
  defaultsInvalid: boolean;
  /** Whether the load checks translation languages (the main thread has a list). */
  languages: boolean;
  /** Every file's bytes, one after the other in one shared buffer: `offsets[i]` to `offsets[i + 1]`. */
  bytes: SharedArrayBuffer;
  offsets: Int32Array;
  rels: string[];
  /** Each file's sha256, when the load keeps a warm cache: the worker then packs each entry (cache-pack.ts). */
  sha256s?: string[];
  defaultIds: string[];
  /** Int32Array over a SharedArrayBuffer: the index of the next chunk not yet taken. */
  counter: Int32Array;
  chunk: number;
}

/**
 * A cleanly loaded manifest as posted: when its entry is packed, the entry's text stands for the
 * spec too (the main thread parses it: cheaper than cloning the objects, see unpackSpec); the
 * numbers in it refer to the shared texts this worker has posted so far (`WorkerMessage.shared`,
 * in order), so each is cloned once, not once per manifest that uses it (the same avatar, voice
 * and images).
 */
export type PostedClean = Omit<CleanFile, 'packed' | 'spec'> & { index: number } & ({ spec: VideoSpec; packed?: undefined } | { spec?: undefined; packed: string });

/**
 * One chunk's results: the manifests loaded cleanly (the others of start..end are handed back), the
 * asset digests made since the last message, and the time spent per phase on this chunk.
 */
export interface WorkerMessage {
  start: number;
  end: number;
  clean: PostedClean[];
  /** JSON texts of shared values first used by this chunk's packed entries; `PostedClean.packed` refers to them by number. */
  shared: string[];
  assets: [string, AssetRecord][];
  timings: AnalyzeContext['timings'];
}

async function run(input: WorkerInput, post: (m: WorkerMessage) => void): Promise<void> {
  const { config, rels, counter, chunk } = input;
  let asked: string[] = [];
  const ctx: AnalyzeContext = {
    config,
    defaults: { file: '', pos: { line: 1, column: 1 }, invalid: input.defaultsInvalid },
    timings: { parse: 0, validate: 0, resolve: 0 },
  };
  // Every language is fine here; the main thread checks the ones asked about against its own list.
  if (input.languages) {
    ctx.languages = {
      from: 'shipped',
      digest: '',
      check: (language: string) => {
        asked.push(language);
        return undefined;
      },
    };
  }
  const store = new AssetStore(config.root, input.priorAssets);
  const derive = input.derive ? (spec: VideoSpec): unknown => derivedCache.store(spec) : undefined;
  let posted = 0;
  const table = new SharedTexts();
  let sent = 0;
  for (let start = Atomics.add(counter, 0, chunk); start < rels.length; start = Atomics.add(counter, 0, chunk)) {
    const end = Math.min(rels.length, start + chunk);
    const clean: PostedClean[] = [];
    const timings = { ...ctx.timings };
    for (let i = start; i < end; i++) {
      asked = [];
      // A view of the shared bytes, not a copy: loadClean only validates and decodes them.
      const bytes = Buffer.from(input.bytes, input.offsets[i], input.offsets[i + 1]! - input.offsets[i]!);
      const sha256 = input.sha256s?.[i];
      const r = await loadClean(rels[i]!, bytes, input.defaultIds[i]!, ctx, store, derive, sha256 !== undefined ? { sha256, table } : undefined);
      if (!r) continue;
      const { packed, spec, ...rest } = r;
      const more = { index: i, ...rest, ...(asked.length > 0 ? { languages: asked } : {}) };
      clean.push(packed ? { ...more, packed: packed.text } : { ...more, spec });
    }
    const seen = [...store.seen];
    const t = ctx.timings;
    const shared = table.texts.slice(sent);
    sent = table.texts.length;
    post({ start, end, clean, shared, assets: seen.slice(posted), timings: { parse: t.parse - timings.parse, validate: t.validate - timings.validate, resolve: t.resolve - timings.resolve } });
    posted = seen.length;
  }
}

if (parentPort) {
  const port = parentPort;
  // Ready the schema and the parser before the input comes (the main thread is still reading the
  // files): a chunk taken and then held through start-up could be the last one it waits for.
  prepareValidation();
  parseFast('warm: up\n');
  port.once('message', (input: WorkerInput) => void run(input, (m) => port.postMessage(m)));
}
