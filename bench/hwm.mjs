// Loaded with `node --import`: prints the process's own peak RSS (VmHWM) to stderr as its last line.
// Not ru_maxrss: Linux carries that across fork and exec, so a child of a bench process that holds
// 200 MB (an in-process S3 server receiving a file) would report the parent's peak as its own.
import { readFileSync } from 'node:fs';

process.on('exit', () => {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? String(process.resourceUsage().maxRSS);
  process.stderr.write(`\nmaxrss ${kb}\n`);
});
