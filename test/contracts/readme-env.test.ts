/**
 * Every environment variable the product reads is named in the README (the emulator, a tool of its own,
 * is left out): a variable nobody can find is a setting nobody can use, or a surprise in CI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../../src/config/env.js';
import { REPO } from '../helpers/cli.js';

/** Read but not a setting: said in other words where they matter, or set by us. */
const NOT_SETTINGS = new Set([
  'PATH', // where ffmpeg and espeak-ng are looked for ("from PATH")
  'DISPLAY', // `avatars --open`: "when there is a display"
  'WAYLAND_DISPLAY',
  'GITHUB_RUN_ID', // a claim's job: "(GitHub run <id> job <name>) in Actions"
  'GITHUB_JOB',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', // set by us, for the AWS SDK
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'emulator' ? [] : sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('environment variables', () => {
  it('each one the product reads is in the README', () => {
    const names = new Set<string>(ENV_KEYS);
    for (const file of sources(join(REPO, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\benv(?:\.|\[['"])([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
    }
    // The scan must see what we know is read, or it scans nothing.
    expect([...names]).toEqual(expect.arrayContaining(['HEYGEN_API_KEY', 'CI', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR', 'HEYGEN_DEBUG_SNAPSHOT']));
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const missing = [...names].filter((n) => !NOT_SETTINGS.has(n) && !readme.includes(`\`${n}\``)).sort();
    expect(missing).toEqual([]);
  });
});
