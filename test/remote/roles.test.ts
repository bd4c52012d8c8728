/**
 * The plan prices a store record free only when a build could restore from it; the build restores what
 * each kind's `place()` takes. Both read src/remote/roles.ts: here, every record a kind could be given
 * (every set of file roles) is one that both accept, or both refuse.
 */
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/execute/heygen/context.js';
import type { ClipJob } from '../../src/execute/heygen/clip-job.js';
import type { StoreItem } from '../../src/execute/heygen/remote-item.js';
import { proofreadItem, translationItem } from '../../src/execute/heygen/remote-translations.js';
import { clipItem, videoItem } from '../../src/execute/heygen/remote.js';
import type { PlanItem } from '../../src/model/plan.js';
import type { TranslationSpec } from '../../src/model/spec.js';
import { recordProblem } from '../../src/remote/plan-read.js';
import { RECORD_KINDS, type RecordKind, type RemoteRecord } from '../../src/remote/record.js';
import { ROLES } from '../../src/remote/roles.js';
import { makeSpec } from '../helpers/specs.js';

const KEY = 'a'.repeat(64);
// place() reads neither the run nor the lockfile: only journal() does.
const ctx = {} as RunContext;
const spec = makeSpec('intro', { caption: 'file' });
const es: TranslationSpec = { language: 'es', mode: 'speed', captions: true, audioOnly: false, review: { state: 'review', srt: 'translations/intro.es.srt' } };
const item: PlanItem = { kind: 'translation', id: 'intro@es', videoId: 'intro', language: 'es', action: 'create', key: KEY, reasons: [], output: 'out/intro.es.mp4', estimate: { seconds: 10, credits: 1 } };
const job = { key: KEY, label: 'intro#1', clip: { kind: 'avatar' } } as unknown as ClipJob;

const items: Record<RecordKind, StoreItem> = {
  clip: clipItem(ctx, job),
  video: videoItem(ctx, spec, { ...item, kind: 'video', id: 'intro', output: spec.output }, {}, false),
  translation: translationItem(ctx, spec, { t: es, item }),
  proofread: proofreadItem(ctx, spec, { t: es, item }),
};

const everyRole = [...new Set(Object.values(ROLES).flatMap((r) => [...r.serve, ...r.extra]))];
const subsets = (xs: readonly string[]): string[][] => xs.reduce<string[][]>((acc, x) => [...acc, ...acc.map((s) => [...s, x])], [[]]);

function record(kind: RecordKind, roles: readonly string[], layer?: string): RemoteRecord {
  const files = Object.fromEntries(roles.map((r) => [r, { sha256: 'b'.repeat(64), size: 1, ext: r === 'srt' || r === 'captions' ? 'srt' : 'mp4' }]));
  return { version: 1, key: KEY, kind, api: 'v3', files, at: '2026-01-01T00:00:00.000Z', ...(layer ? { layer } : {}) };
}

describe('where a record of each kind goes: one table for the build and the plan', () => {
  it('has a row for every record kind', () => {
    expect(Object.keys(ROLES).sort()).toEqual([...RECORD_KINDS].sort());
  });

  it("each kind's place() takes a record exactly when the plan prices it free, and only the files the table names", () => {
    for (const kind of Object.keys(items) as RecordKind[]) {
      const roles = ROLES[kind];
      for (const named of subsets(everyRole)) {
        const rec = record(kind, named);
        const placed = items[kind].place(rec);
        const free = recordProblem(Buffer.from(JSON.stringify(rec)), KEY, kind) === undefined;
        expect(placed !== undefined, `${kind} naming [${named.join(', ')}]: placed by the build iff free in the plan`).toBe(free);
        if (!placed) continue;
        const taken = Object.keys(placed);
        expect(taken.filter((r) => (roles.serve as readonly string[]).includes(r)), `${kind} [${named.join(', ')}]: one output`).toHaveLength(1);
        for (const r of taken) expect([...roles.serve, ...roles.extra], `${kind}: ${r} is in the table`).toContain(r);
        for (const r of roles.extra) if (named.includes(r)) expect(taken, `${kind}: ${r} restored with the output`).toContain(r);
      }
    }
  });

  it("a translation drawn with another text layer is restored from HeyGen's raw translation only", () => {
    const t = items.translation;
    expect(t.place(record('translation', ['video'], 'another-layer'))).toBeUndefined();
    expect(t.place(record('translation', ['video', 'raw'], 'another-layer'))).toEqual({ raw: 'out/intro.es.mp4' });
    expect(t.place(record('translation', ['video', 'raw']))).toEqual({ video: 'out/intro.es.mp4' });
  });
});
