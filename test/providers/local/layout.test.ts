import { describe, expect, it } from 'vitest';
import type { AvatarSpec } from '../../../src/model/spec.js';
import { avatarShape } from '../../../src/providers/local/index.js';

const dim = { width: 1280, height: 720 };
const avatar = (over: Partial<AvatarSpec> = {}): AvatarSpec => ({
  id: 'a',
  label: 'a',
  style: 'normal',
  scale: 1,
  offset: { x: 0, y: 0 },
  ...over,
});

describe('avatar placeholder geometry', () => {
  it('stands a normal avatar on the bottom edge, centred, taller than wide', () => {
    const s = avatarShape(avatar(), dim);
    expect(s.x + s.w / 2).toBeCloseTo(640);
    expect(s.y + s.h).toBeCloseTo(720);
    expect(s.h).toBeGreaterThan(s.w);
  });

  it('draws closeUp bigger than normal, and circle as a circle', () => {
    const n = avatarShape(avatar(), dim);
    const c = avatarShape(avatar({ style: 'closeUp' }), dim);
    expect(c.w * c.h).toBeGreaterThan(n.w * n.h);
    const o = avatarShape(avatar({ style: 'circle' }), dim);
    expect(o.w).toBe(o.h);
    expect(o.radius).toBe(o.w / 2);
  });

  it('moves by offset as fractions of the frame and scales about the anchor', () => {
    const base = avatarShape(avatar(), dim);
    const moved = avatarShape(avatar({ offset: { x: 0.25, y: -0.1 } }), dim);
    expect(moved.x - base.x).toBeCloseTo(320);
    expect(moved.y - base.y).toBeCloseTo(-72);
    const half = avatarShape(avatar({ scale: 0.5 }), dim);
    expect(half.h).toBeCloseTo(base.h / 2);
    expect(half.y + half.h).toBeCloseTo(720); // still on the floor
  });
});
