/**
 * `heygen-build init`: the files a new project needs, in an empty or an existing folder. It never
 * overwrites: a file that exists is left as it is and named in the output (with what to add by hand
 * when that matters); `.gitignore` only ever gets lines appended.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILES } from '../config/defaults.js';
import { createExclusive } from '../fsx/atomic.js';
import { makeStyle, useColor } from '../reporters/style.js';
import { EXIT } from './exit.js';
import * as F from './init-files.js';
import { GITATTRIBUTES_LINE, SHARDED_WORKFLOW_PATH, shardedWorkflow } from './init-shards.js';
import type { GlobalOptions } from './options.js';

/** What init did with one file. */
export interface InitStep {
  path: string;
  result: 'created' | 'updated' | 'skipped';
  /** Why it was skipped or what was changed. */
  note?: string;
}

async function create(root: string, path: string, text: string): Promise<InitStep> {
  const abs = join(root, path);
  await mkdir(dirname(abs), { recursive: true });
  // Exclusive create: even a file that appears meanwhile is not overwritten.
  return (await createExclusive(abs, text)) ? { path, result: 'created' } : { path, result: 'skipped', note: 'exists' };
}

async function configStep(root: string): Promise<InitStep> {
  const existing = CONFIG_FILES.find((name) => existsSync(join(root, name)));
  if (existing) return { path: existing, result: 'skipped', note: 'exists' };
  return create(root, 'heygen.config.ts', F.CONFIG_TS);
}

async function vscodeStep(root: string): Promise<InitStep> {
  const path = '.vscode/settings.json';
  const step = await create(root, path, F.VSCODE_SETTINGS);
  if (step.result !== 'skipped') return step;
  // Settings that map our schema already (a second init) need nothing added; VS Code's JSON may hold comments, so no parse.
  const text = await readFile(join(root, path), 'utf8').catch(() => '');
  if (!text.includes(F.SCHEMA_PATH)) step.note = `exists; to get the schema in manifests, add: "yaml.schemas": { "./${F.SCHEMA_PATH}": ["videos/**/*.yaml", "videos/**/*.yml"] }`;
  return step;
}

/**
 * `.heygen/` ignored, and with `out` (init wrote the starter config, whose videos go to `out/`) the
 * output folder too; only lines missing are appended.
 */
async function gitignoreStep(root: string, out: boolean): Promise<InitStep> {
  const path = '.gitignore';
  const abs = join(root, path);
  const wanted = [F.GITIGNORE_ENTRY, ...(out ? F.GITIGNORE_OUT : [])];
  const text = existsSync(abs) ? await readFile(abs, 'utf8') : undefined;
  if (text === undefined) return create(root, path, `${wanted.join('\n')}\n`);
  const lines = new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/^\//, '').replace(/\/$/, '')));
  const missing: string[] = [];
  if (!lines.has('.heygen')) missing.push(F.GITIGNORE_ENTRY);
  if (out && !lines.has('out')) missing.push(...F.GITIGNORE_OUT);
  const names = missing.filter((l) => !l.startsWith('#'));
  if (names.length === 0) return { path, result: 'skipped', note: `already ignores ${out ? '.heygen/ and out/' : '.heygen/'}` };
  await appendFile(abs, `${text === '' || text.endsWith('\n') ? '' : '\n'}${missing.join('\n')}\n`);
  return { path, result: 'updated', note: `added ${names.join(' and ')}` };
}

/** The lockfile's merge driver in `.gitattributes` (README "Teams and CI"); the line is appended once. */
async function gitattributesStep(root: string): Promise<InitStep> {
  const path = '.gitattributes';
  const abs = join(root, path);
  const text = existsSync(abs) ? await readFile(abs, 'utf8') : undefined;
  if (text === undefined) return create(root, path, `${GITATTRIBUTES_LINE}\n`);
  if (text.split(/\r?\n/).some((l) => l.trim() === GITATTRIBUTES_LINE)) return { path, result: 'skipped', note: 'already names the merge driver' };
  await appendFile(abs, `${text === '' || text.endsWith('\n') ? '' : '\n'}${GITATTRIBUTES_LINE}\n`);
  return { path, result: 'updated', note: `added ${GITATTRIBUTES_LINE}` };
}

/** What init writes besides the starter files: `shards`, a sharded CI workflow of that many jobs. */
export interface InitOptions {
  shards?: number;
}

/** Writes the starter files into `root`; returns what happened to each, in order. */
export async function initProject(root: string, opts: InitOptions = {}): Promise<InitStep[]> {
  await mkdir(root, { recursive: true });
  const config = await configStep(root);
  const steps = [
    config,
    await create(root, F.SAMPLE_PATH, F.SAMPLE_YAML),
    await vscodeStep(root),
    // The videos of a config init did not write may go anywhere: only the starter's `out/` is known.
    await gitignoreStep(root, config.result === 'created'),
    await create(root, F.WORKFLOW_PATH, F.WORKFLOW_YAML),
  ];
  if (opts.shards !== undefined) {
    steps.push(await create(root, SHARDED_WORKFLOW_PATH, shardedWorkflow(opts.shards)), await gitattributesStep(root));
  }
  return steps;
}

/** Runs `heygen-build init` in the working folder (or -C); resolves to the exit code. */
export async function runInit(opts: GlobalOptions & InitOptions): Promise<number> {
  const root = resolve(opts.cwd ?? process.cwd());
  const style = makeStyle(useColor(process.stdout));
  const steps = await initProject(root, opts.shards !== undefined ? { shards: opts.shards } : {});
  for (const s of steps) {
    const word = s.result === 'skipped' ? style.yellow('skipped') : style.green(s.result.padEnd(7));
    process.stdout.write(`${word} ${s.path}${s.note ? style.dim(` (${s.note})`) : ''}\n`);
  }
  process.stdout.write(
    [
      '',
      'Next:',
      '  npm install --save-dev heygen-build   (the config imports it; the editor reads its schema)',
      '  npx heygen-build validate             (check the manifests, free)',
      '  npx heygen-build build                (offline drafts without HEYGEN_API_KEY; HeyGen with it)',
      `  add the HEYGEN_API_KEY secret to the repository for ${F.WORKFLOW_PATH}`,
      ...(opts.shards !== undefined
        ? [
            `  ${SHARDED_WORKFLOW_PATH} builds in ${opts.shards} shards: keep one of the two workflows (both build on pushes to main)`,
            "  git config merge.heygen-lock.driver 'npx heygen-build lock merge-driver %O %A %B %P'   (once per clone)",
          ]
        : []),
      '',
    ].join('\n'),
  );
  return EXIT.OK;
}
