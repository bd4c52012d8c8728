/**
 * Draft speech: the voice's delivery settings reach espeak-ng. A stand-in espeak-ng on PATH records
 * the arguments it was started with (espeak-ng itself is optional and absent on most CI machines).
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../../src/compose/speech.js';
import type { VoiceSpec } from '../../src/model/spec.js';

function standIn(): { bin: string; args: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'hb-espeak-'));
  const bin = join(dir, 'espeak-ng');
  const log = join(dir, 'args');
  writeFileSync(bin, `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\ncat > /dev/null\n`);
  chmodSync(bin, 0o755);
  return { bin, args: () => readFileSync(log, 'utf8').trim().split('\n') };
}

const voice = (v: Partial<VoiceSpec>): VoiceSpec => ({ id: 'v1', label: 'v1', speed: 1, pitch: 0, ...v });
const flag = (args: string[], f: string): string | undefined => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);

describe('draft speech (espeak-ng)', () => {
  it('speaks at the voice volume: 0.3 is amplitude 30 of espeak-ng 100; no volume keeps its default', async () => {
    const e = standIn();
    await synthesize(e.bin, 'Hello.', voice({ volume: 0.3 }), join(tmpdir(), 'unused.wav'));
    expect(flag(e.args(), '-a')).toBe('30');
    await synthesize(e.bin, 'Hello.', voice({}), join(tmpdir(), 'unused.wav'));
    expect(flag(e.args(), '-a')).toBeUndefined();
  });

  it('speed and pitch too: 1.5x the words per minute, pitch +10 around espeak-ng 50', async () => {
    const e = standIn();
    await synthesize(e.bin, 'Hello.', voice({}), join(tmpdir(), 'unused.wav'));
    const normal = Number(flag(e.args(), '-s'));
    await synthesize(e.bin, 'Hello.', voice({ speed: 1.5, pitch: 10 }), join(tmpdir(), 'unused.wav'));
    expect(Number(flag(e.args(), '-s'))).toBe(Math.round(normal * 1.5));
    expect(flag(e.args(), '-p')).toBe('60');
  });
});
