// Loaded with `node --import`: prints the process's peak RSS to stderr as its last line, and before it
// its CPU seconds (`cpu S`) and how many times the lockfile was read (`lockreads N`): a build and a plan each read it once.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

let lockReads = 0;
const isLock = (p) => typeof p === 'string' && p.endsWith('.lock.yaml');
const readFile = fs.promises.readFile;
fs.promises.readFile = function (p, ...rest) {
  if (isLock(p)) lockReads++;
  return readFile.call(this, p, ...rest);
};
const readFileSync = fs.readFileSync;
fs.readFileSync = function (p, ...rest) {
  if (isLock(p)) lockReads++;
  return readFileSync.call(this, p, ...rest);
};
// ESM named imports of builtins (`import { readFile } from 'node:fs/promises'`) see the patch too.
syncBuiltinESMExports();

process.on('exit', () => {
  const u = process.resourceUsage();
  // CPU seconds of this process (user + system): comparable on a busy machine, where wall time is not.
  process.stderr.write(`\nlockreads ${lockReads}\ncpu ${((u.userCPUTime + u.systemCPUTime) / 1e6).toFixed(2)}\nmaxrss ${u.maxRSS}\n`);
});
