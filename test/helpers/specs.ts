/** Hand-built VideoSpecs for tests that do not need the manifest loader. */
import type { VideoSpec } from '../../src/model/spec.js';
import type { Mutable } from '../hash/specs.js';

/** A spec the test may change in place. */
export function makeSpec(id: string, over: Partial<VideoSpec> = {}): Mutable<VideoSpec> {
  return {
    id,
    source: `videos/${id}.yaml`,
    tags: [],
    output: `out/${id}.mp4`,
    dimension: { width: 1280, height: 720 },
    caption: 'none',
    avatar: { id: 'Daisy-inskirt-20220818', label: 'presenter', style: 'normal', scale: 1, offset: { x: 0, y: 0 } },
    voice: { id: 'voice-1', label: 'narrator', speed: 1, pitch: 0 },
    scenes: [
      { input: { type: 'script', text: 'Hello and welcome to the product tour. Today we look at three things.' } },
      { input: { type: 'script', text: 'First, the dashboard. <break time="1.5s"/> Then the reports.' } },
    ],
    translations: [],
    ...over,
  } as Mutable<VideoSpec>;
}
