// Loaded with `node --import`: prints the process's peak RSS to stderr as its last line.
process.on('exit', () => process.stderr.write(`\nmaxrss ${process.resourceUsage().maxRSS}\n`));
