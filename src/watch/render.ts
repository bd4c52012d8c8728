/**
 * The render step of a run. Drafts go through `buildLocal` with only the videos that changed; HeyGen
 * goes through `build()` limited to the changed manifests, so its plan against the lockfile still
 * decides what is paid for, and an unchanged video is never sent.
 */
import { resolve } from 'node:path';
import { build } from '../api/build.js';
import type { EventSink } from '../execute/events.js';
import { buildLocal } from '../execute/local.js';
import type { ResolvedConfig } from '../model/config.js';
import type { VideoSpec } from '../model/spec.js';

export interface RenderOutcome {
  rendered: string[];
  cached: string[];
  failed: string[];
  interrupted: boolean;
}

/** Collects per-item outcomes from the build events while passing them on. */
export function outcomeTap(emit: EventSink): { sink: EventSink; outcome: RenderOutcome } {
  const outcome: RenderOutcome = { rendered: [], cached: [], failed: [], interrupted: false };
  const add = (list: string[], id: string): void => {
    if (!list.includes(id)) list.push(id);
  };
  const sink: EventSink = (e) => {
    // A video and its caption file are two downloads of one item.
    if (e.type === 'downloaded') add(e.cached ? outcome.cached : outcome.rendered, e.id);
    else if (e.type === 'failed') add(outcome.failed, e.id);
    emit(e);
  };
  return { sink, outcome };
}

export async function renderLocal(config: ResolvedConfig, specs: VideoSpec[], emit: EventSink, signal: AbortSignal): Promise<RenderOutcome> {
  // The result, not the events: a draft already in place is counted without an event.
  const r = await buildLocal({ config, specs, emit, signal });
  return { rendered: r.rendered, cached: r.cached, failed: r.failed, interrupted: r.interrupted };
}

export interface HeygenRenderOptions {
  cwd: string;
  configFile?: string;
  /** Manifests to build: every one (the initial run) or the changed ones. */
  paths: string[];
  env?: NodeJS.ProcessEnv;
}

export async function renderHeygen(opts: HeygenRenderOptions, emit: EventSink, signal: AbortSignal): Promise<RenderOutcome> {
  const { sink, outcome } = outcomeTap(emit);
  const r = await build({
    cwd: opts.cwd,
    ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
    paths: opts.paths.map((p) => resolve(opts.cwd, p)),
    provider: 'heygen',
    signal,
    emit: sink,
    ...(opts.env ? { env: opts.env } : {}),
  });
  outcome.interrupted = r.interrupted;
  return outcome;
}
