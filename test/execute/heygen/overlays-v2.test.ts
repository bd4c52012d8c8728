/** The legacy v2 API renders whole videos with nothing laid on top: a video with overlays is refused, never drawn without them. */
import { describe, expect, it } from 'vitest';
import { apiProblems } from '../../../src/execute/heygen/expressible.js';
import { plan } from '../../../src/plan/plan.js';
import { emptyLockfile } from '../../../src/model/lock.js';
import type { VideoSpec } from '../../../src/model/spec.js';
import { mutable, sampleSpec } from '../../hash/specs.js';

function planned(spec: VideoSpec): ReturnType<typeof plan> {
  return plan({ specs: [spec], lock: emptyLockfile(), outputs: new Map(), engine: 'avatar_iv' });
}

describe('overlays on the legacy v2 API', () => {
  it('are refused by name on v2 and accepted on v3', () => {
    const s = mutable(sampleSpec());
    s.text = [{ value: { default: 'Hi' }, position: { anchor: 'top' }, start: 0, style: { font: 'sans', size: 30, color: '#FFFFFF', align: 'center', padding: 0 } }];
    const spec = s as VideoSpec;
    expect(apiProblems(planned(spec), [spec], 'v2')).toContain('intro: text overlays are composed over scene clips, which only HeyGen v3 renders');
    expect(apiProblems(planned(spec), [spec], 'v3').some((p) => p.includes('overlays'))).toBe(false);
    expect(apiProblems(planned(sampleSpec()), [sampleSpec()], 'v2').some((p) => p.includes('overlays'))).toBe(false);
  });
});
