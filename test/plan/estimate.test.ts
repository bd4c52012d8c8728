import { describe, expect, it } from 'vitest';
import { breakSeconds, estimateInputSeconds, estimateVideoSeconds, videoCredits, wordCount } from '../../src/plan/estimate.js';
import { makeSpec } from '../helpers/specs.js';

describe('estimates', () => {
  it('counts spoken words, not break tags or extra whitespace', () => {
    expect(wordCount('  Hello   world.\nNext <break time="1.5s"/> line  ')).toBe(4);
    expect(wordCount('')).toBe(0);
  });

  it('adds breaks in seconds and milliseconds', () => {
    expect(breakSeconds('a <break time="1.5s"/> b <break time="500ms"/> c')).toBe(2);
  });

  it('speaks 150 words a minute, slower voices take longer, silences last their seconds', () => {
    const words = Array.from({ length: 150 }, () => 'word').join(' ');
    expect(estimateInputSeconds({ type: 'script', text: words })).toBe(60);
    expect(estimateInputSeconds({ type: 'script', text: words }, 1.5)).toBe(40);
    expect(estimateInputSeconds({ type: 'script', text: `${words} <break time="2s"/>` })).toBe(62);
    expect(estimateInputSeconds({ type: 'silence', seconds: 3 })).toBe(3);
  });

  it('sums scenes with each scene\'s voice speed and prices by engine', () => {
    const spec = makeSpec('a', {
      scenes: [
        { input: { type: 'script', text: Array.from({ length: 75 }, () => 'w').join(' ') } },
        { input: { type: 'silence', seconds: 10 } },
      ],
    });
    expect(estimateVideoSeconds(spec)).toBe(40);
    expect(videoCredits(40, 'avatar_iv')).toBe(4);
    expect(videoCredits(40, 'draft')).toBe(0);
  });
});

describe('scripts without spaces between words', () => {
  // One text and its translations: a sane estimate says about as long in each language.
  const en = 'Welcome to our product. This tool helps your team create videos quickly and easily. Every week, the dashboard shows what changed, and the reports tell you which videos need to be rendered again.';
  const ja = '私たちの製品へようこそ。このツールを使うと、チームで動画を素早く簡単に作成できます。毎週、ダッシュボードに変更点が表示され、レポートでどの動画を再びレンダリングする必要があるかがわかります。';
  const zh = '欢迎使用我们的产品。这个工具可以帮助您的团队快速、轻松地制作视频。每周，仪表板都会显示有哪些变化，报告会告诉您哪些视频需要重新渲染。';
  const th = 'ยินดีต้อนรับสู่ผลิตภัณฑ์ของเรา เครื่องมือนี้ช่วยให้ทีมของคุณสร้างวิดีโอได้อย่างรวดเร็วและง่ายดาย ทุกสัปดาห์ แดชบอร์ดจะแสดงสิ่งที่เปลี่ยนแปลง และรายงานจะบอกคุณว่าวิดีโอใดต้องเรนเดอร์ใหม่';
  const seconds = (text: string): number => estimateInputSeconds({ type: 'script', text });

  it('estimates Japanese, Chinese and Thai translations within a sane band of the English', () => {
    const base = seconds(en);
    expect(base).toBeCloseTo(13.2, 5); // 33 words at 150 wpm
    for (const [lang, text] of [['ja', ja], ['zh', zh], ['th', th]] as const) {
      const ratio = seconds(text) / base;
      expect(ratio, lang).toBeGreaterThan(0.7);
      expect(ratio, lang).toBeLessThan(1.5);
    }
  });

  it('times Japanese at 5 characters a second and Chinese at 4; punctuation is no word', () => {
    expect(seconds('こんにちは、世界。'.repeat(10))).toBeCloseTo(14, 5); // 70 kana and kanji
    expect(seconds('你好，世界。'.repeat(10))).toBeCloseTo(10, 5); // 40 hanzi
  });

  it('adds the spaced words of a mixed script, and breaks, to the characters', () => {
    expect(seconds('HeyGen Build で動画を作る <break time="1s"/>')).toBeCloseTo(2 * 0.4 + 6 / 5 + 1, 5);
  });

  it('prices a Japanese script like its English translation, so a budget holds', () => {
    const credits = (text: string): number => videoCredits(estimateVideoSeconds(makeSpec('v', { scenes: [{ input: { type: 'script', text } }] })), 'avatar_iv');
    expect(credits(ja)).toBeGreaterThan(credits(en) * 0.7);
  });

  it('keeps English with typographic quotes and dashes on the word count', () => {
    const words = 'He said \u201cship it\u201d \u2014 and we did\u2026';
    expect(seconds(words)).toBeCloseTo(wordCount(words) * 0.4, 5);
  });
});
