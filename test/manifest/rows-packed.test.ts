/** The rows cache's packed specs read back exactly: the same values, in the same key order. */
import { describe, expect, it } from 'vitest';
import { pack, unpack } from '../../src/manifest/rows/packed.js';

/** What the cache file does: the packed texts in a JSON document, parsed, then unpacked. */
function roundTrip(specs: object[]): unknown[] {
  const { table, specs: packed } = pack(specs);
  const file = JSON.parse(`{"table":[${table.join(',')}],"rows":[${packed.join(',')}]}`) as { table: unknown[]; rows: Record<string, unknown>[] };
  return file.rows.map((r) => unpack(r, file.table));
}

const row = (i: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: `hi/${i}`,
  voice: { id: 'v1', speed: 1 },
  tags: [],
  scenes: [{ input: { type: 'script', text: `Hi ${i}` } }, { input: { type: 'script', text: 'Bye' } }],
  ...extra,
});

describe('packed rows', () => {
  it('write shared values once and read every spec back equal, keys in order', () => {
    const specs = [row(1), row(2), row(3, { title: 'x' })];
    const { table } = pack(specs);
    expect(table).toContain(JSON.stringify({ input: { type: 'script', text: 'Bye' } }));
    expect(table).not.toContain(JSON.stringify({ input: { type: 'script', text: 'Hi 1' } }));
    const back = roundTrip(specs);
    expect(back).toStrictEqual(specs);
    expect(back.map((s) => Object.keys(s as object))).toEqual(specs.map((s) => Object.keys(s)));
  });

  it('a string that starts with NUL is not taken for a reference, and undefined fields are left out as JSON does', () => {
    const specs = [row(1, { title: '\u00000', note: undefined }), row(2, { title: '\u0000x' })];
    expect(roundTrip(specs)).toStrictEqual(JSON.parse(JSON.stringify(specs)));
  });

  it('a reference outside the table reads as nothing (a damaged cache)', () => {
    expect(unpack({ id: '\u00009' }, [])).toBeUndefined();
  });
});
