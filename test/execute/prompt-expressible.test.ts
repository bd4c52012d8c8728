/** A prompt video on the legacy API: Video Agent is v3 only, so the plan warns and a build refuses it by name. */
import { describe, expect, it } from 'vitest';
import { apiProblems } from '../../src/execute/heygen/expressible.js';
import { emptyLockfile } from '../../src/model/lock.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { plan } from '../../src/plan/plan.js';
import { makeSpec } from '../helpers/specs.js';

describe('prompt videos and the API version', () => {
  it('v2 cannot express a prompt video; v3 can', () => {
    const spec: VideoSpec = { ...makeSpec('launch', { scenes: [] }), prompt: { text: 'A teaser.', files: [], seconds: 60 } };
    const p = plan({ specs: [spec], lock: emptyLockfile(), outputs: new Map(), engine: 'avatar_iv' });
    expect(apiProblems(p, [spec], 'v2')).toEqual([expect.stringContaining('launch: prompt videos are written by Video Agent, which only HeyGen v3 serves')]);
    expect(apiProblems(p, [spec], 'v3')).toEqual([]);
  });
});
