/** The live state the preview shows: statuses from plans and build events, translations, invalid videos. */
import { describe, expect, it } from 'vitest';
import { StateModel, type PlannedVideo } from '../../src/watch/state.js';

const planned = (key: string, needsWork: boolean): PlannedVideo[] => [
  {
    id: 'intro',
    title: 'Intro',
    source: 'videos/intro.yaml',
    items: [
      { id: 'intro', key, output: 'out/intro.draft.mp4', needsWork },
      { id: 'intro@es', language: 'es', key: `${key}-es`, output: 'out/intro.es.draft.mp4', needsWork },
    ],
  },
];

describe('StateModel', () => {
  it('follows a video and its translation from queued to ready', () => {
    let changes = 0;
    const m = new StateModel('/p', 'local', () => void changes++);
    m.setPlan(planned('k1', true), new Map());
    expect(m.snapshot().videos[0]).toMatchObject({ id: 'intro', status: 'queued', translations: [{ id: 'intro@es', language: 'es', status: 'queued' }] });
    m.apply({ type: 'status', id: 'intro@es', state: 'rendering' });
    m.apply({ type: 'downloaded', id: 'intro@es', path: 'out/intro.es.draft.mp4', size: 10, sha256: 'abc' });
    m.apply({ type: 'status', id: 'intro@es', state: 'done' });
    m.apply({ type: 'failed', id: 'intro', code: 'E_FFMPEG', message: 'boom' });
    const v = m.snapshot().videos[0]!;
    expect(v).toMatchObject({ status: 'failed', error: '[E_FFMPEG] boom' });
    expect(v.translations[0]).toMatchObject({ status: 'ready', output: 'out/intro.es.draft.mp4', version: 'abc' });
    expect(changes).toBeGreaterThanOrEqual(5);
  });

  it('keeps the last output of a video while it is invalid or re-rendering, and drops removed ones', () => {
    const m = new StateModel('/p', 'local', () => undefined);
    m.setPlan(planned('k1', true), new Map());
    m.apply({ type: 'downloaded', id: 'intro', path: 'out/intro.draft.mp4', size: 10, sha256: 'v1' });
    m.apply({ type: 'status', id: 'intro', state: 'done' });

    m.setPlan([], new Map([['videos/intro.yaml', 'E_YAML_SYNTAX: bad']]));
    expect(m.snapshot().videos[0]).toMatchObject({ status: 'invalid', error: 'E_YAML_SYNTAX: bad', version: 'v1' });

    // Fixed back to the same content: ready again with the same draft.
    m.setPlan(planned('k1', false), new Map());
    expect(m.snapshot().videos[0]).toMatchObject({ status: 'ready', version: 'v1' });
    expect(m.snapshot().videos[0]?.error).toBeUndefined();

    // Changed content: queued, still showing the old draft (and when it was built) until the new one lands.
    const builtAt = m.snapshot().videos[0]?.builtAt;
    expect(builtAt).toBeDefined();
    m.setPlan(planned('k2', true), new Map());
    expect(m.snapshot().videos[0]).toMatchObject({ status: 'queued', key: 'k2', version: 'v1', builtAt });
    expect(m.readyOutputs()).toEqual([]);
    m.apply({ type: 'downloaded', id: 'intro', path: 'out/intro.draft.mp4', size: 10, sha256: 'v1' });
    m.apply({ type: 'status', id: 'intro', state: 'done' });
    // Built again, byte for byte the same: the same version, a new build time.
    expect(m.snapshot().videos[0]).toMatchObject({ status: 'ready', version: 'v1' });
    expect(m.snapshot().videos[0]!.builtAt! >= builtAt!).toBe(true);
    expect(m.readyOutputs()).toEqual([{ output: 'out/intro.draft.mp4', key: 'k2' }]);

    m.setPlan([], new Map());
    expect(m.snapshot().videos).toEqual([]);
  });

  it('follows a dub, whose first item is its first language, to ready', () => {
    // A dub makes no video of its own: the card's item is its first translation.
    const m = new StateModel('/p', 'local', () => undefined);
    const dub: PlannedVideo = {
      id: 'webinar',
      source: 'videos/webinar.yaml',
      items: [
        { id: 'webinar@es', language: 'es', key: 'k-es', output: 'out/webinar.es.draft.mp4', needsWork: true },
        { id: 'webinar@fr', language: 'fr', key: 'k-fr', output: 'out/webinar.fr.draft.mp4', needsWork: true },
      ],
    };
    m.setPlan([dub], new Map());
    m.apply({ type: 'downloaded', id: 'webinar@es', path: 'out/webinar.es.draft.mp4', size: 10, sha256: 'es1' });
    m.apply({ type: 'status', id: 'webinar@es', state: 'done' });
    expect(m.snapshot().videos[0]).toMatchObject({ id: 'webinar@es', status: 'ready', output: 'out/webinar.es.draft.mp4', version: 'es1' });
    expect(m.item('webinar@es')?.status).toBe('ready');
  });

  it('hands out copies: a reader cannot change the state', () => {
    const m = new StateModel('/p', 'local', () => undefined);
    m.setPlan(planned('k1', true), new Map());
    const snap = m.snapshot();
    snap.videos[0]!.status = 'ready';
    expect(m.snapshot().videos[0]?.status).toBe('queued');
  });
});
