// The catalog checks' cost: a large account (2,000 looks, 1,500 voices) against 2,000 videos of
// 5 scenes each, all to be rendered, with a typo in every 100th video (its did-you-mean searches
// every id and name). Printed per scene, next to the target; run after `npm run build`.
import { catalogFindings } from '../dist/execute/heygen/catalog-checks.js';

// A no-change plan costs ~65 µs per manifest (RELIABILITY.md: 10k in ~0.65 s): valid scenes may add a fraction.
const TARGET_US_PER_SCENE = 20;
// A typo is the error path: its did-you-mean searches every id and name once (memoized per id).
const TARGET_MS_PER_TYPO = 15;

const looks = Array.from({ length: 2000 }, (_, i) => ({
  id: `Look-${i}-2024${String(i).padStart(4, '0')}`, name: `Look number ${i}`, avatar_type: i % 10 ? 'studio_avatar' : 'photo_avatar', ownership: 'public',
  group_id: `g${i % 300}`, gender: null, supported_api_engines: ['avatar_iii', 'avatar_iv'], default_voice_id: `voice-${i % 1500}`,
  preferred_orientation: 'landscape', preview_image_url: null, preview_video_url: null, status: null, error: null,
}));
const voices = Array.from({ length: 1500 }, (_, i) => ({
  voice_id: `voice-${i}`, name: `Voice ${i}`, language: 'English', gender: 'female', type: 'public', support_pause: true, support_locale: true, starfish: true, preview_audio_url: null,
}));
const catalog = { fetched_at: 0, looks, voices };
const config = { root: '/p', avatars: {}, voices: {} };
function project(typos) {
const specs = [];
const items = [];
for (let v = 0; v < 2000; v++) {
  const avatarId = typos && v % 100 === 99 ? `Look-${v}-2024${String(v).padStart(4, '0')}x` : looks[v % 2000].id;
  const avatar = { id: avatarId, label: avatarId, style: 'normal', scale: 1, offset: { x: 0, y: 0 } };
  const voice = { id: `voice-${v % 1500}`, label: 'v', speed: 1, pitch: 0 };
  specs.push({ id: `v${v}`, source: `videos/v${v}.yaml`, avatar, voice, scenes: Array.from({ length: 5 }, () => ({ input: { type: 'script', text: 'Hello <break time="1s"/> there.' } })) });
  items.push({ kind: 'video', id: `v${v}`, videoId: `v${v}`, action: 'create' });
}
return { plan: { items, totals: {} }, specs };
}
for (const typos of [false, true]) {
  const { plan, specs } = project(typos);
  catalogFindings(plan, specs, catalog, config); // warm up
  const t = performance.now();
  const found = catalogFindings(plan, specs, catalog, config);
  const ms = performance.now() - t;
  const perScene = (ms * 1000) / (specs.length * 5);
  const what = typos ? 'with 20 typos (did-you-mean over 3,500 ids and names each)' : 'all valid';
  const cost = typos
    ? `${(ms / found.length).toFixed(1)} ms/typo (target <= ${TARGET_MS_PER_TYPO})`
    : `${perScene.toFixed(2)} µs/scene (target <= ${TARGET_US_PER_SCENE})`;
  console.log(`catalog checks, ${what}: ${specs.length * 5} scenes, ${found.length} findings, ${ms.toFixed(1)} ms: ${cost}`);
}
