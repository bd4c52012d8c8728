/**
 * Renders and translations. A job's status is a pure function of the clock: accepted at
 * `createdAt`, terminal at `finishAt` (= + renderMs / translateMs). Unfinished jobs count against
 * the concurrency cap; over it, HeyGen answers 429 with Retry-After, so we never queue.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from './envelopes.js';
import { round2 } from './estimate.js';
import type { Faults, JobView, RenderInfo } from './types.js';

/** How a job's captions are delivered: none, a sidecar file, or burnt into the video. */
export type CaptionKind = 'none' | 'sidecar' | 'burned';

/** One emulated render, translation or speech job; its status follows from the clock and its timestamps. */
export interface Job {
  id: string;
  /** `proofread`: a v3 proofread session (src/emulator/proofreads.ts); its `text` is the SRT it serves. */
  kind: 'video' | 'translation' | 'speech' | 'proofread';
  api: 'v2' | 'v3';
  body: Record<string, unknown>;
  idempotencyKey?: string;
  callbackId?: string;
  title?: string;
  createdAt: number;
  finishAt: number;
  duration: number;
  credits: number;
  failure?: { code: string | number; message: string };
  outputLanguage?: string;
  /** What the captions say. */
  text: string;
  /** v3 `caption` (sidecar SRT, `style` burns in too), v2 `caption: true`, translation `enable_caption`. */
  captions: CaptionKind;
  outputFormat: 'mp4' | 'webm' | 'mp3';
  downloads: number;
  render?: RenderInfo;
  /** Accepted while renders were held (`timing.holdRenders`): in progress, `finishAt` Infinity, until `release()`. */
  held?: true;
}

/** Time-derived phase, in v1's words for videos (waiting|pending|processing) and v3's for translations. */
export type Phase = 'waiting' | 'pending' | 'processing' | 'running' | 'completed' | 'failed';

/** What a route supplies to create a job; the store fills in id, timing, credits and outcome. */
export type NewJob = Omit<Job, 'id' | 'createdAt' | 'finishAt' | 'credits' | 'failure' | 'downloads'> & {
  /** Credits per second of `duration`; 0 for `test: true`. */
  rate: number;
  /** Defaults to 32 random hex digits. */
  id?: string;
  /** Decided at acceptance (e.g. an avatar without matting); otherwise a `failRender` fault may decide. */
  failure?: Job['failure'];
};

/** Credits are kept to 1e-6: TTS costs 0.000333 a second, which two decimals would lose. */
function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** A new random job id, 32 hex digits like HeyGen's. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** The emulator's jobs and credit balance, enforcing the concurrency cap and charging credits as HeyGen would. */
export class JobStore {
  readonly byId = new Map<string, Job>();
  credits: number;
  /** Told when a render's or translation's end is set: at acceptance, or a held render's at `release()` (the webhook hub schedules its event). */
  onScheduled?: (job: Job) => void;

  constructor(
    private readonly opts: { concurrency: number; renderMs: number; translateMs: number; credits: number; holdRenders?: boolean },
    private readonly faults: Faults,
  ) {
    this.credits = opts.credits;
  }

  get(id: string): Job | undefined {
    return this.byId.get(id);
  }

  phase(job: Job, now = Date.now()): Phase {
    const span = job.finishAt - job.createdAt;
    const done = now >= job.finishAt;
    const f = span > 0 ? (now - job.createdAt) / span : 1;
    if (job.kind === 'speech') return 'completed';
    if (job.kind === 'proofread') return done ? (job.failure ? 'failed' : 'completed') : 'processing';
    if (job.kind === 'translation') {
      if (done) return job.failure ? 'failed' : 'completed';
      return f < 0.3 ? 'pending' : 'running';
    }
    if (done) return job.failure ? 'failed' : 'completed';
    return f < 0.15 ? 'waiting' : f < 0.35 ? 'pending' : 'processing';
  }

  /** Accepts `jobs` all together or none: 429 over the cap, 402 without the credits. */
  create(jobs: NewJob[]): Job[] {
    const now = Date.now();
    const active = [...this.byId.values()].filter((j) => j.finishAt > now);
    if (active.length + jobs.length > this.opts.concurrency) {
      const soonest = Math.min(...active.map((j) => j.finishAt), now + 1000);
      const retryAfter = Math.max(1, Math.ceil((soonest - now) / 1000));
      throw new ApiError(
        429,
        'rate_limit_exceeded',
        `Concurrency limit reached: ${active.length} of ${this.opts.concurrency} jobs are in progress`,
        undefined,
        { 'Retry-After': String(retryAfter) },
      );
    }
    const cost = round2(jobs.reduce((sum, j) => sum + j.duration * j.rate, 0));
    if (cost > this.credits) {
      throw new ApiError(402, 'insufficient_credit', `Insufficient credits: ${cost} needed, ${round2(this.credits)} left`);
    }
    return jobs.map((spec) => {
      const { rate, id, failure: decided, ...rest } = spec;
      const failure = decided ?? this.takeFailure(spec.kind);
      // A failed render is not charged.
      const credits = failure ? 0 : round2(spec.duration * rate);
      this.credits = round6(this.credits - credits);
      const span = spec.kind === 'video' ? this.opts.renderMs : this.opts.translateMs;
      const held = spec.kind === 'video' && this.opts.holdRenders === true;
      const job: Job = { ...rest, id: id ?? newId(), createdAt: now, finishAt: held ? Infinity : now + span, credits, downloads: 0 };
      if (failure) job.failure = failure;
      if (held) job.held = true;
      this.byId.set(job.id, job);
      this.onScheduled?.(job);
      return job;
    });
  }

  /** Lets every held render run: each finishes `renderMs` from `now`. Returns how many were held. */
  release(now = Date.now()): number {
    let released = 0;
    for (const job of this.byId.values()) {
      if (!job.held) continue;
      delete job.held;
      job.finishAt = now + this.opts.renderMs;
      released++;
      this.onScheduled?.(job);
    }
    return released;
  }

  /**
   * A finished-on-answer job (TTS): charged `duration * rate` to 1e-6 credits, never counted
   * against the concurrency cap (HeyGen's cap covers renders, translations and agent sessions).
   */
  addSpeech(spec: Omit<NewJob, 'kind' | 'failure'>): Job {
    const credits = round6(spec.duration * spec.rate);
    if (credits > this.credits) {
      throw new ApiError(402, 'insufficient_credit', `Insufficient credits: ${credits} needed, ${round2(this.credits)} left`);
    }
    const { rate: _rate, id, ...rest } = spec;
    const now = Date.now();
    const job: Job = { ...rest, kind: 'speech', id: id ?? newId(), createdAt: now, finishAt: now, credits, downloads: 0 };
    this.credits = round6(this.credits - credits);
    this.byId.set(job.id, job);
    return job;
  }

  private takeFailure(kind: Job['kind']): Job['failure'] {
    if (kind === 'speech') return undefined;
    if (kind === 'video') {
      const f = this.faults.failRender;
      if (!f || f.count <= 0) return undefined;
      if (--f.count <= 0) delete this.faults.failRender;
      // Set over HTTP with a count alone: a reason of HeyGen's shape rather than "undefined".
      return { code: f.code ?? 'render_failed', message: f.message ?? 'The render failed (emulator fault failRender)' };
    }
    if (kind === 'proofread') {
      const p = this.faults.failProofread;
      if (!p || p.count <= 0) return undefined;
      if (--p.count <= 0) delete this.faults.failProofread;
      return { code: 'proofread_failed', message: p.message };
    }
    const f = this.faults.failTranslation;
    if (!f || f.count <= 0) return undefined;
    if (--f.count <= 0) delete this.faults.failTranslation;
    return { code: 'translation_failed', message: f.message };
  }

  view(job: Job, now = Date.now()): JobView {
    const phase = this.phase(job, now);
    const view: JobView = {
      id: job.id,
      kind: job.kind,
      api: job.api,
      status: phase === 'waiting' ? 'pending' : phase,
      body: job.body,
      duration: job.duration,
      credits: job.credits,
      createdAt: job.createdAt,
      finishAt: job.finishAt,
      downloads: job.downloads,
    };
    if (job.idempotencyKey !== undefined) view.idempotencyKey = job.idempotencyKey;
    if (job.callbackId !== undefined) view.callbackId = job.callbackId;
    if (job.title !== undefined) view.title = job.title;
    if (job.outputLanguage !== undefined) view.outputLanguage = job.outputLanguage;
    if (job.failure) view.failure = { ...job.failure };
    if (job.render) view.render = structuredClone(job.render);
    return view;
  }

  views(): JobView[] {
    const now = Date.now();
    return [...this.byId.values()].map((j) => this.view(j, now));
  }
}
