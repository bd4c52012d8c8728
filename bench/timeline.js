// Where a build's render slots sit idle, from the emulator's side of the wire: every request's arrival
// (and, through `onRequest`, its answer's end) and every job's acceptance and finish. HeyGen's cap frees
// a slot when a render finishes; the client learns it from a status poll, releases its slot, and the next
// video in line POSTs. So the k-th render seen finished hands its slot to the (cap + k)-th POST, and each
// hand-over splits into: detect (finish -> the poll's answer that says so), react (that answer -> the next
// POST arriving) and accept (the POST's arrival -> the job's acceptance, i.e. the API's latency).

/** Collects request end times; pass `onRequest` to startEmulator. */
export function recorder() {
  const ends = new WeakMap();
  return { onRequest: (r) => ends.set(r, Date.now()), endOf: (r) => ends.get(r) ?? r.at };
}

const avg = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/**
 * Per-slot idle time of one build against the emulator.
 * @param {{ requests: any[], jobs: () => any[] }} emu
 * @param {(r: any) => number} endOf
 * @param {{ start: number, end: number, cap: number }} run  process spawn and exit (Date.now()), and the job cap
 */
export function idleReport(emu, endOf, run) {
  // This run's jobs only: an emulator serving several builds keeps the earlier ones.
  const jobs = emu.jobs().filter((j) => j.kind === 'video' && j.createdAt >= run.start);
  const byKey = new Map(jobs.map((j) => [j.idempotencyKey, j]));
  const t = new Map(jobs.map((j) => [j.id, { job: j }]));
  for (const r of emu.requests) {
    if (r.method === 'POST' && r.path === '/v3/videos') {
      const j = byKey.get(r.headers['idempotency-key']);
      if (j) t.get(j.id).postAt ??= r.at;
    } else if (r.method === 'GET' && r.path.startsWith('/v3/videos/')) {
      // The emulator answers right after handling (its latency comes first): the job is seen done by
      // the first poll answered after its finish, bulk or (a job alone in flight) GET /v3/videos/{id}.
      const ids = r.path === '/v3/videos/statuses' ? (r.query.video_ids ?? '').split(',') : [r.path.slice('/v3/videos/'.length)];
      for (const id of ids) {
        const x = t.get(id);
        if (x && endOf(r) >= x.job.finishAt && (x.seenAt === undefined || endOf(r) < x.seenAt)) x.seenAt = endOf(r);
      }
    } else if (r.path.startsWith('/files/')) {
      const x = t.get(r.path.slice('/files/'.length).split('.')[0]);
      if (x) x.downloadedAt = endOf(r);
    }
  }
  const all = [...t.values()];
  const byPost = [...all].sort((a, b) => a.postAt - b.postAt);
  const bySeen = [...all].sort((a, b) => a.seenAt - b.seenAt);
  const detect = [];
  const react = [];
  const accept = all.map((x) => x.job.createdAt - x.postAt);
  // Slot chains: the first `cap` POSTs open them; each later POST follows the next render seen done.
  const slots = byPost.slice(0, run.cap).map((x) => [x]);
  const free = [...slots];
  for (let k = run.cap; k < byPost.length; k++) {
    const prev = bySeen[k - run.cap];
    const next = byPost[k];
    detect.push(prev.seenAt - prev.job.finishAt);
    react.push(next.postAt - prev.seenAt);
    const chain = free.find((c) => c[c.length - 1] === prev);
    chain.push(next);
  }
  const wall = run.end - run.start;
  const firstSubmit = byPost[0].postAt - run.start;
  const idle = slots.map((c) => wall - c.reduce((s, x) => s + (x.job.finishAt - x.job.createdAt), 0));
  const lastFinish = Math.max(...all.map((x) => x.job.finishAt));
  const lastDownload = Math.max(...all.map((x) => x.downloadedAt ?? 0));
  const afterSeen = all.map((x) => (x.downloadedAt ?? x.seenAt) - x.seenAt);
  return {
    wall,
    firstSubmit,
    idlePerSlot: avg(idle),
    idleMax: Math.max(...idle),
    handovers: detect.length,
    detect: avg(detect),
    detectMax: Math.max(...detect),
    react: avg(react),
    reactMax: Math.max(...react),
    accept: avg(accept),
    tail: run.end - lastFinish,
    lastDownloadToExit: run.end - lastDownload,
    seenToDownloaded: avg(afterSeen),
  };
}

/** One line per figure, in milliseconds. */
export function formatIdle(r) {
  const ms = (n) => `${Math.round(n)} ms`;
  return [
    `idle per slot: ${ms(r.idlePerSlot)} on average (worst ${ms(r.idleMax)}) of ${(r.wall / 1000).toFixed(2)} s; where it goes:`,
    `  before the first submit (process start, config, manifests, catalog): ${ms(r.firstSubmit)}`,
    `  each of ${r.handovers} hand-overs: detect ${ms(r.detect)} (worst ${ms(r.detectMax)}) + react ${ms(r.react)} (worst ${ms(r.reactMax)}) + accept ${ms(r.accept)} (API latency)`,
    `  after the last render finished: ${ms(r.tail)} (last download end to exit ${ms(r.lastDownloadToExit)}); completion seen -> file downloaded ${ms(r.seenToDownloaded)} per video, outside the slot`,
  ].join('\n');
}
