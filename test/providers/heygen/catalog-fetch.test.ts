/** Fetching the catalog against the emulator over HTTP: few round trips, and one request for a refused key. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { HeygenClient } from '../../../src/providers/heygen/client-types.js';
import { createHeygenClient } from '../../../src/providers/heygen/client.js';

const KEY = 'catalog-fetch-key-7';
let emu: Emulator;
let client: HeygenClient;

beforeAll(async () => {
  emu = await startEmulator({ apiKey: KEY, latencyMs: 100 });
  client = createHeygenClient({ apiKey: KEY, api: 'v3', baseUrl: emu.url, uploadBaseUrl: emu.url });
});
afterAll(async () => {
  await client.close();
  await emu.stop();
});

describe('fetchCatalog', () => {
  it('asks for the other lists once the first page is in, all beside each other: two rounds for a small account', async () => {
    emu.reset();
    const catalog = await client.listCatalog();
    expect(catalog.looks.length).toBeGreaterThan(0);
    const asked = emu.requests.map((r) => r.at);
    expect(asked.length).toBe(7);
    // The first request alone; the six others (the public looks' second page and five lists) sent before any of them is answered.
    const rest = asked.slice(1);
    expect(Math.min(...rest) - asked[0]!).toBeGreaterThanOrEqual(90);
    expect(Math.max(...rest) - Math.min(...rest)).toBeLessThan(80);
  });

  it('sends nothing more when the first page is refused', async () => {
    emu.reset();
    emu.faults.httpStatus = { count: 100, status: 401 };
    await expect(client.listCatalog()).rejects.toMatchObject({ code: 'E_HEYGEN_AUTH' });
    expect(emu.requests).toHaveLength(1);
  });
});

describe('lookupCatalog', () => {
  it('asks for each look and voice by id, all at once, and names the ids HeyGen does not know', async () => {
    emu.reset();
    delete emu.faults.httpStatus;
    const ids = { looks: ['Daisy-inskirt-20220818', 'no-such-look'], voices: ['2d5b0e6cf36f460aa7fc47e3eee4ba54'] };
    const { catalog, missing } = await client.lookupCatalog(ids);
    expect(catalog.looks.map((l) => [l.id, l.ownership])).toEqual([['Daisy-inskirt-20220818', 'public']]);
    expect(catalog.voices.map((v) => [v.voice_id, v.name, v.support_pause])).toEqual([['2d5b0e6cf36f460aa7fc47e3eee4ba54', 'Rachel', true]]);
    expect(missing).toEqual(['no-such-look']);
    // One round: the three requests were sent before any of them was answered (100 ms latency).
    const asked = emu.requests.map((r) => r.at);
    expect(asked).toHaveLength(3);
    expect(Math.max(...asked) - Math.min(...asked)).toBeLessThan(80);
  });
});
