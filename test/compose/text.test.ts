/** The overlay layer's pure parts: font coverage, layout and word timing. */
import { describe, expect, it } from 'vitest';
import { bundledFont, cjkFallbacks } from '../../src/compose/fonts.js';
import { readCoverage } from '../../src/compose/text/cmap.js';
import { fontFor } from '../../src/compose/text/layer.js';
import { overflow, overlayBox } from '../../src/compose/text/layout.js';
import { cueWords, findWord, scriptSays, spreadWords } from '../../src/compose/text/words.js';
import { buildCues } from '../../src/compose/captions.js';
import type { TextOverlaySpec, TextStyle } from '../../src/model/overlay.js';

const style: TextStyle = { font: 'sans', size: 40, color: '#FFFFFF', align: 'left', padding: 10 };
const dim = { width: 1280, height: 720 };

describe('fonts', () => {
  it('come from the dejavu-fonts-ttf package, whose Sans covers Latin, Cyrillic and Arabic but not CJK', async () => {
    const file = bundledFont('sans');
    expect(file).toMatch(/node_modules[\\/]dejavu-fonts-ttf[\\/]ttf[\\/]DejaVuSans\.ttf$/);
    const c = await readCoverage(file);
    expect(c.missing('Ñandú Жук سلام €→')).toEqual([]);
    expect(c.missing('中文 한국어')).toEqual(['中', '文', '한', '국', '어']);
  });

  it('never drop an overlay: text no installed font covers is an error naming the characters', async () => {
    const o = { value: { default: '中文' }, position: { anchor: 'top' }, start: 0, style } as TextOverlaySpec;
    if (cjkFallbacks().length === 0) {
      await expect(fontFor(o, '中文', 'text[0]')).rejects.toMatchObject({ code: 'E_OVERLAY_FONT', message: expect.stringMatching(/text\[0\].*"中" "文"/) });
    } else {
      expect(await fontFor(o, '中文', 'text[0]')).toMatch(/Noto/);
    }
    expect(await fontFor(o, 'Hello', 'text[0]')).toBe(bundledFont('sans'));
  });
});

describe('layout', () => {
  it('puts anchors inside a 5% margin and stacks lines', () => {
    const top = overlayBox({ anchor: 'top-left' }, style, 2, dim);
    expect(top.x).toBe(36 + 10);
    expect(top.lineTops).toEqual([36 + 10, 36 + 10 + top.step]);
    const bottom = overlayBox({ anchor: 'bottom-right' }, style, 1, dim);
    expect(bottom.x).toBe(1280 - 36 - 10);
    expect(bottom.lineTops[0]! - 10 + bottom.step).toBe(720 - 36);
    const pct = overlayBox({ x: { value: 10, unit: '%' }, y: { value: 50, unit: '%' } }, style, 1, dim);
    expect([pct.x, pct.lineTops[0]]).toEqual([128, 360]);
  });

  it('estimates overflow: a short title fits, a long line at a big size does not', () => {
    expect(overflow('Our team', { anchor: 'lower-third' }, style, dim)).toBe(0);
    expect(overflow('A title far too long to fit on one line of this frame', { anchor: 'center' }, { ...style, size: 90, align: 'center' }, dim)).toBeGreaterThan(0);
    expect(overflow('x', { x: { value: 1270, unit: 'px' }, y: { value: 10, unit: 'px' } }, style, dim)).toBeGreaterThan(0);
  });
});

describe('word timing', () => {
  it('a draft word starts when its draft caption says it', () => {
    const script = 'Welcome to the tour. Our chief engineer Smith shows the lab.';
    const cues = buildCues([{ start: 0, seconds: 6, script }]);
    const words = spreadWords(script, 6);
    expect(findWord(words, 'Our')).toBeCloseTo(cues[1]!.start, 9);
    expect(findWord(words, 'smith,')).toBeGreaterThan(cues[1]!.start);
    expect(findWord(words, 'chief engineer')).toBe(findWord(words, 'chief'));
    expect(findWord(words, 'nobody')).toBeUndefined();
  });

  it('a clip word starts with its cue, or shares the cue evenly', () => {
    const w = cueWords([{ start: 2, end: 4, text: 'Jane Smith speaks' }, { start: 0, end: 2, text: 'Hello there' }]);
    expect(findWord(w, 'Hello')).toBe(0);
    expect(findWord(w, 'Jane')).toBe(2);
    expect(findWord(w, 'speaks')).toBeCloseTo(2 + 4 / 3, 9);
  });

  it('validation matches words whatever their case and punctuation', () => {
    expect(scriptSays('Meet Jane Smith, our CEO.', 'smith')).toBe(true);
    expect(scriptSays('Meet Jane <break time="1s"/> Smith.', 'Jane Smith')).toBe(true);
    expect(scriptSays('Meet Jane.', 'Smith')).toBe(false);
  });
});
