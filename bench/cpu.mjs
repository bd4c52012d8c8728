// Loaded with `node --import`: prints the process's CPU time (user + system, ms) to stderr as its last
// line, so whole-process figures can be read next to wall time on a shared, busy machine.
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`\ncpu ${((u.user + u.system) / 1000).toFixed(0)}\n`);
});
