/** `heygen-build status --remote`: each completed render of the lockfile, and whether it is local, remote or missing. */
import { remoteStatus } from '../remote/commands.js';
import { EXIT } from './exit.js';
import { withJsonErrors } from './json-error.js';
import type { GlobalOptions } from './options.js';
import { versioned } from '../reporters/json-format.js';

/** Runs `status --remote`; exit 1 when some render is in neither place. */
export function runStatusRemote(flags: GlobalOptions & { json?: boolean }): Promise<number> {
  return withJsonErrors(flags.json, () => statusRemote(flags));
}

async function statusRemote(flags: GlobalOptions & { json?: boolean }): Promise<number> {
  const s = await remoteStatus({ cwd: flags.cwd, configFile: flags.config });
  if (flags.json) {
    process.stdout.write(JSON.stringify(versioned(s), null, 2) + '\n');
  } else {
    const where = (r: { local: boolean; remote: boolean }): string => (r.local && r.remote ? 'local+remote' : r.local ? 'local only' : r.remote ? 'remote only' : 'MISSING');
    for (const r of s.items.filter((x) => x.kind !== 'clip')) process.stdout.write(`  ${where(r).padEnd(13)} ${r.id}\n`);
    const t = s.totals;
    const clips = s.items.filter((x) => x.kind === 'clip');
    process.stdout.write(
      `${s.store}: ${t.both} in both, ${t.localOnly} local only (run \`heygen-build push\`), ${t.remoteOnly} remote only (run \`heygen-build pull\`), ${t.missing} missing` +
        ` (${clips.length} scene clip${clips.length === 1 ? '' : 's'} counted)${t.pendingPushes ? `; ${t.pendingPushes} push${t.pendingPushes === 1 ? '' : 'es'} pending` : ''}\n`,
    );
    for (const c of s.claims.filter((x) => x.state === 'stale')) {
      process.stdout.write(`  STALE CLAIM  ${c.key.slice(0, 12)} ${c.ids.join(', ') || '(not in this lockfile)'}: ${c.job} since ${c.at}, no HeyGen id, last seen ${c.idleSeconds} s ago\n`);
    }
    if (t.claims > 0) {
      process.stdout.write(`${t.claims} claim${t.claims === 1 ? '' : 's'} in flight${t.staleClaims ? `, ${t.staleClaims} stale: free with \`heygen-build claims release <key>\` or \`build --take-over-stale\`` : ''} (\`heygen-build claims\` lists them)\n`);
    }
  }
  return s.totals.missing > 0 ? EXIT.ERROR : EXIT.OK;
}
