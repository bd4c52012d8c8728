/** `heygen-build claims` and `claims release`: who holds which key of the remote store, and freeing a stuck one. */
import { readClaims, releaseClaims, type ClaimRow } from '../remote/claims-list.js';
import { open } from '../remote/commands.js';
import { EXIT } from './exit.js';
import { withJsonErrors } from './json-error.js';
import type { GlobalOptions } from './options.js';
import { versioned } from '../reporters/json-format.js';

function age(s: number): string {
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

function line(r: ClaimRow): string {
  const what = r.ids.length > 0 ? r.ids.join(', ') : '(not in this lockfile)';
  const state = r.state === 'submitted' ? `submitted ${r.remoteId}` : r.state === 'live' || r.state === 'stale' ? `${r.state}, last seen ${age(r.idleSeconds)} ago` : r.state;
  return `  ${r.key.slice(0, 12)}  ${state.padEnd(28)} ${what}  by ${r.job} since ${r.at}\n`;
}

/** Runs `claims`: lists the claims whose key has no record yet (all with --all). Exit 0. */
export function runClaims(flags: GlobalOptions & { json?: boolean; all?: boolean }): Promise<number> {
  return withJsonErrors(flags.json, () => claims(flags));
}

async function claims(flags: GlobalOptions & { json?: boolean; all?: boolean }): Promise<number> {
  const { store, lock } = await open({ cwd: flags.cwd, configFile: flags.config });
  try {
    const claims = await readClaims(store, { all: flags.all === true, lock });
    if (flags.json) {
      process.stdout.write(JSON.stringify(versioned({ store: store.display, claims }), null, 2) + '\n');
      return EXIT.OK;
    }
    for (const r of claims) process.stdout.write(line(r));
    const stale = claims.filter((r) => r.state === 'stale').length;
    const tail = stale > 0 ? `; ${stale} stale: free with \`heygen-build claims release <key>\` or \`build --take-over-stale\`` : '';
    process.stdout.write(`${store.display}: ${claims.length} claim${claims.length === 1 ? '' : 's'}${flags.all ? '' : ' in flight'}${tail}\n`);
    return EXIT.OK;
  } finally {
    await store.close();
  }
}

/** Runs `claims release <refs...>`: frees each named claim (E_CLAIM_HELD / E_CLAIM_NOT_FOUND otherwise). */
export function runClaimsRelease(refs: string[], flags: GlobalOptions & { json?: boolean; force?: boolean }): Promise<number> {
  return withJsonErrors(flags.json, () => release(refs, flags));
}

async function release(refs: string[], flags: GlobalOptions & { json?: boolean; force?: boolean }): Promise<number> {
  const { store } = await open({ cwd: flags.cwd, configFile: flags.config });
  try {
    const released = await releaseClaims(store, refs, { force: flags.force === true });
    if (flags.json) {
      process.stdout.write(JSON.stringify(versioned({ store: store.display, released }), null, 2) + '\n');
      return EXIT.OK;
    }
    for (const r of released) {
      const what = r.action === 'deleted' ? 'deleted' : "released: the next build takes it over with its holder's Idempotency-Key";
      process.stdout.write(`  ${r.key.slice(0, 12)}  (${r.state}) ${what}\n`);
    }
    return EXIT.OK;
  } finally {
    await store.close();
  }
}
