#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// undici parses HTTP with llhttp compiled to WebAssembly. V8 re-compiles it with its optimizing tier
// in the background a moment after the first requests, which holds ~35 MB for a while: a third of
// the CLI's peak memory, for a parser that is not our bottleneck. The baseline tier is plenty.
setFlagsFromString('--liftoff-only');

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
