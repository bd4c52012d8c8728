/**
 * How long a render takes in this build, learned from the polls themselves, so that a job can be asked
 * about when it is likely to have just finished rather than up to a whole backoff interval later.
 *
 * Each job submitted by this build and seen finished leaves a bracket: it was not done `lo` ms after its
 * submit (the last poll that said so) and done `hi` ms after it (the poll that said so). Over the last
 * WINDOW jobs, `hi` is a fast render (the first quartile of the upper bounds: the very fastest is often
 * latency jitter, and asking there would miss most jobs) and `lo` the longest "not yet" below it.
 * While that gap is wide, a job is probed in its middle (bisection: whatever the answer, the next jobs'
 * gap halves); once it is narrow, a job is asked at `hi`, then, if it is not done, at `hi` + 1, 2, 4...
 * × the resolution, until the ordinary backoff takes over. With regular renders, a job's own "not yet"
 * past `lo` narrows its gap, so it is probed again in the middle of what is left, a round trip later:
 * the bisection goes on within the first renders instead of halving once per round of renders (the
 * bench's first rounds were seen ~40 ms late for four rounds; now for one or two).
 *
 * Politeness: the requests this adds are bulk status requests that also carry every other job in
 * flight, a few probes and follow-ups per job. When renders vary (real HeyGen: 5-15 min), `hi` is a
 * fast render and slower jobs get those few extra polls, then back off as before.
 */

/** Jobs remembered: recent enough to follow a change of pace, enough to smooth out jitter. */
const WINDOW = 32;
/** Which upper bound stands for "a fast render": the first quartile (0 would be the fastest). */
const QUANTILE = 0.25;
/** Bisection stops when the gap is within this share of a render (0.25 %: 2.5 ms of a 1 s render, 0.75 s of 5 min). */
const RESOLUTION = 0.0025;
/** Renders are regular when the median render is within this share of a fast one (2 %: 20 ms of 1 s). */
const REGULAR = 0.02;

/** Learned bounds on the render time of this build's jobs, and the poll times they suggest. */
export class RenderTimes {
  private readonly brackets: { lo: number; hi: number }[] = [];
  /** `bounds()` and `regular()` until the next `add`. */
  private learned?: { lo: number; hi: number; regular: boolean };

  /** A job seen done `hi` ms after its submit, last seen not done `lo` ms after it (0: never asked before). */
  add(lo: number, hi: number): void {
    if (!(hi > 0) || !(lo >= 0) || lo > hi) return;
    this.brackets.push({ lo, hi });
    if (this.brackets.length > WINDOW) this.brackets.shift();
    this.learned = undefined;
  }

  /** The learned bounds, or undefined before any job of this build finished. */
  bounds(): { lo: number; hi: number } | undefined {
    const l = this.learn();
    return l && { lo: l.lo, hi: l.hi };
  }

  /**
   * Whether this build's renders take about the same time (the median within REGULAR of a fast one):
   * then a job not done at `hi` is most likely done a step later (an emulator, a batch of one-scene
   * videos), and asking again before the first answer is back pays off. With renders of 5 to 15 minutes
   * it is false.
   */
  regular(): boolean {
    return this.learn()?.regular ?? false;
  }

  private learn(): { lo: number; hi: number; regular: boolean } | undefined {
    if (this.brackets.length === 0) return undefined;
    if (this.learned) return this.learned;
    const his = this.brackets.map((b) => b.hi).sort((a, b) => a - b);
    const hi = his[Math.floor((his.length - 1) * QUANTILE)]!;
    const median = his[Math.floor((his.length - 1) / 2)]!;
    // A "not yet" past `hi` comes from a slower job (or jitter): it says nothing here.
    const lo = Math.max(0, ...this.brackets.map((b) => b.lo).filter((l) => l < hi));
    this.learned = { lo, hi, regular: median - hi <= hi * REGULAR };
    return this.learned;
  }

  /** The learned resolution (ms): a share of a fast render; 0 before any render was seen finished. */
  private step(): number {
    const b = this.bounds();
    return b ? Math.max(1, b.hi * RESOLUTION) : 0;
  }

  /**
   * The next moment after `after` (ms since the job's submit) worth asking about a job, or Infinity.
   * `until`: the job's ordinary backoff interval; follow-ups past `hi` stop growing beyond it.
   * `notDone`: ms after the submit of the last answer that found this job not done (0: none yet).
   */
  nextAsk(after: number, until: number, notDone = 0): number {
    const b = this.bounds();
    if (!b) return Infinity;
    const step = this.step();
    // Regular renders: this job's own "not yet" past `lo` narrows the gap for it, so the bisection goes
    // on within its render (a probe a round trip) instead of one probe per round of renders.
    const lo = this.regular() && notDone > b.lo && notDone < b.hi ? notDone : b.lo;
    if (b.hi - lo > 2 * step) {
      const mid = (lo + b.hi) / 2;
      if (mid > after) return mid;
    }
    if (b.hi > after) return b.hi;
    // Past `hi` and still not done: a few quick follow-ups, growing until the backoff's.
    for (let k = step; k <= until; k *= 2) if (b.hi + k > after) return b.hi + k;
    return Infinity;
  }
}
