// Credits paid scene by scene: a scripted sequence of 20 edits over a 5-scene video, planned against
// a lockfile that records every clip as rendered. Prints the avatar-seconds paid against the
// avatar-seconds that changed (target: equal) and against re-rendering whole videos (the old way).
import { emptyLockfile } from '../dist/model/lock.js';
import { plan, PLAN_ENGINE } from '../dist/plan/plan.js';
import { estimateSceneSeconds } from '../dist/plan/estimate.js';
import { scenePlans } from '../dist/plan/scenes.js';
import { videoKey } from '../dist/hash/index.js';

const avatar = { id: 'Daisy-inskirt-20220818', label: 'presenter', style: 'normal', scale: 1, offset: { x: 0, y: 0 } };
const voice = { id: 'narrator', label: 'narrator', speed: 1, pitch: 0 };
const words = 'our product helps teams ship videos faster with fewer meetings and clearer plans every week'.split(' ');
const line = (n, k) => Array.from({ length: 18 + k }, (_, i) => words[(n + i * k) % words.length]).join(' ') + '.';

function spec(scripts, extra = {}) {
  return {
    id: 'tour', source: 'videos/tour.yaml', tags: [], output: 'out/tour.mp4', dimension: { width: 1280, height: 720 }, caption: 'none',
    avatar, voice, background: { type: 'color', color: '#112233' }, translations: [],
    scenes: scripts.map((text) => ({ input: { type: 'script', text } })), ...extra,
  };
}

// 20 edits: rewrite one scene, two scenes, reorder, revert, change the whole video's background...
let scripts = [1, 2, 3, 4, 5].map((n) => line(n, 1));
const edits = [];
for (let e = 0; e < 20; e++) {
  const next = [...scripts];
  if (e % 5 === 3) next.reverse(); // reorder: nothing new to render
  else if (e % 5 === 4) next[e % 5] = scripts[(e + 1) % 5]; // a scene copied from another: reused
  else next[e % 5] = line(100 + e, 2 + (e % 3)); // one scene rewritten
  if (e % 7 === 6) next[(e + 2) % 5] = line(200 + e, 3); // and sometimes a second
  edits.push(next);
  scripts = next;
}

const lock = emptyLockfile();
lock.clips = {};
const record = (s) => {
  const { key, parts } = videoKey(s);
  lock.videos[s.id] = { key, parts, status: 'completed', api: 'v3', attempt: 1, composed: true, translations: {}, output: { path: s.output, sha256: '0'.repeat(64), size: 1 } };
  for (const p of scenePlans(s)) if (p.key) lock.clips[p.key] = { kind: 'avatar', status: 'completed', attempt: 1, remoteId: p.key.slice(0, 8) };
};
const first = spec(scripts.length ? [1, 2, 3, 4, 5].map((n) => line(n, 1)) : []);
record(first);
let previous = first;
let paid = 0;
let changed = 0;
let whole = 0;
for (const next of edits) {
  const s = spec(next);
  const item = plan({ specs: [s], lock, outputs: new Map([[s.output, 1]]), engine: PLAN_ENGINE, scenes: true }).items[0];
  paid += (item.scenes ?? []).filter((x) => x.action === 'create').reduce((t, x) => t + x.estimate.seconds, 0);
  // What really changed: scenes whose content no earlier render had.
  const seen = new Set(Object.keys(lock.clips));
  changed += scenePlans(s).filter((p) => p.key && !seen.has(p.key)).reduce((t, p) => t + p.seconds, 0);
  if (item.action !== 'unchanged') whole += s.scenes.reduce((t, _, i) => t + estimateSceneSeconds(s, i), 0);
  record(s);
  previous = s;
}
void previous;
console.log(`20 edits over a 5-scene video: ${paid.toFixed(1)} avatar-seconds paid, ${changed.toFixed(1)} changed (target: equal, ratio ${(paid / changed).toFixed(2)})`);
console.log(`re-rendering whole videos would pay ${whole.toFixed(1)} avatar-seconds: scene by scene pays ${((paid / whole) * 100).toFixed(0)}% of that (${(whole * 0.1 - paid * 0.1).toFixed(2)} credits saved at 0.1 cr/s)`);
