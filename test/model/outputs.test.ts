import { describe, expect, it } from 'vitest';
import { captionsPath, draftOutput, translationOutput, writtenFiles } from '../../src/model/outputs.js';
import type { VideoSpec } from '../../src/model/spec.js';

const spec = (output: string, languages: string[] = []): VideoSpec =>
  ({ output, translations: languages.map((language) => ({ language })) }) as unknown as VideoSpec;

describe('writtenFiles', () => {
  it('lists each rendition with its captions, its draft and the draft captions, as the path helpers name them', () => {
    for (const s of [spec('out/a.mp4', ['es', 'Spanish (Spain)']), spec('out/v.webm'), spec('out/voice.MP3'), spec('out/noext')]) {
      const videos = [s.output, ...s.translations.map((t) => translationOutput(s.output, t.language))];
      const expected = videos.flatMap((v) => [v, captionsPath(v), draftOutput(v), captionsPath(draftOutput(v))]);
      expect(writtenFiles(s)).toEqual(expected);
    }
    expect(writtenFiles(spec('out/a.webm'))).toEqual(['out/a.webm', 'out/a.srt', 'out/a.draft.webm', 'out/a.draft.srt']);
  });
});
