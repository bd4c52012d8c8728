// Script duration estimates, per script. English (every plan of 10,000 videos estimates each scene)
// must cost what the plain word count cost before scripts without spaces were timed per character:
// the baseline below is that estimator, interleaved with the real one so both see the same machine.
// Then the per-character path: Japanese, Chinese, and Thai (ICU word segmentation).
import { breakSeconds, estimateInputSeconds, wordCount } from '../dist/plan/estimate.js';

const N = 20_000;
// The fastest of several rounds: the machine is shared, and slower rounds measure the neighbours.
const ROUNDS = 60;

const en = 'the quick brown fox jumps over a lazy dog while our product helps teams ship videos faster'.split(' ');
const ja = ['こんにちは、', '製品へようこそ。', 'このツールは', '動画の作成を', '簡単にします。', '毎週の', 'レポートが', '変化を示します。'];
const zh = ['你好，', '欢迎使用', '我们的产品。', '这个工具', '帮助团队', '更快地', '制作视频。', '每周报告', '显示变化。'];
const th = ['สวัสดีครับ ', 'ยินดีต้อนรับสู่', 'ผลิตภัณฑ์ของเรา ', 'เครื่องมือนี้', 'ช่วยทีม', 'สร้างวิดีโอ', 'ได้เร็วขึ้น '];

/** N distinct scripts (so nothing is cached). */
function scripts(parts, count, join, extra = '') {
  return Array.from({ length: N }, (_, i) => ({
    type: 'script',
    text: Array.from({ length: count }, (_, j) => parts[(i + j * 7) % parts.length]).join(join) + extra + ` ${i}`,
  }));
}

/** The estimator before: words by spaces at 150 wpm. */
const wordsOnly = (input) => Math.max(1, (wordCount(input.text) / 150) * 60 + breakSeconds(input.text));

let sink = 0;
/** Best ns/script of each estimator over the same inputs, rounds interleaved. */
function race(inputs, fns) {
  const best = fns.map(() => Infinity);
  for (const f of fns) for (const x of inputs.slice(0, 2000)) sink += f(x); // warm up the JIT
  for (let r = 0; r < ROUNDS; r++) {
    fns.forEach((f, k) => {
      const t = process.hrtime.bigint();
      for (const x of inputs) sink += f(x);
      best[k] = Math.min(best[k], Number(process.hrtime.bigint() - t) / inputs.length);
    });
  }
  return best;
}

for (const [name, inputs] of [
  ['English, 40 words', scripts(en, 40, ' ')],
  ['English, 40 words with typographic quotes and a dash', scripts(en, 40, ' ', ' \u201cquoted\u201d \u2014 done\u2026')],
]) {
  const [now, before] = race(inputs, [estimateInputSeconds, wordsOnly]);
  console.log(`estimate ${name}: ${now.toFixed(0)} ns/script, word count alone ${before.toFixed(0)} ns: ratio ${(now / before).toFixed(2)}  (target <= 1.15)`);
}
for (const [name, inputs, target] of [
  ['Japanese, ~100 characters', scripts(ja, 16, ''), '< 5 µs'],
  ['Chinese, ~100 characters', scripts(zh, 22, ''), '< 5 µs'],
  // Intl.Segmenter is most of this: it only runs on scripts that have these characters.
  ['Thai, ~150 characters (ICU word segmentation)', scripts(th, 14, ''), '< 200 µs: 10,000 such scenes in 2 s'],
]) {
  const [now] = race(inputs, [estimateInputSeconds]);
  console.log(`estimate ${name}: ${(now / 1000).toFixed(1)} µs/script  (target ${target})`);
}
if (sink < 0) console.log(sink);
