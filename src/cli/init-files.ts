/**
 * What `heygen-build init` writes: a config, a sample manifest wired to the schema, editor settings and
 * a GitHub Actions workflow. The avatar and voice ids are HeyGen's public stock ones, so the sample
 * validates and drafts as it is.
 */

/** The config: manifests under videos/, one avatar alias and its voice, drafts without a key. */
export const CONFIG_TS = `import { defineConfig } from 'heygen-build';

export default defineConfig({
  manifests: ['videos/**/*.{yaml,yml}'],
  outDir: 'out',
  lockfile: 'heygen.lock.yaml',
  // auto: HeyGen when HEYGEN_API_KEY is set, free offline drafts otherwise.
  provider: 'auto',
  defaults: { dimension: '720p', background: '#0F172A' },
  // The names your manifests use, and the HeyGen ids behind them (see HeyGen's avatar and voice libraries).
  avatars: {
    presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' },
  },
  voices: {
    narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54',
  },
  // build refuses a plan estimated above this.
  budget: { maxCredits: 50 },
});
`;

/** Where the schema is once the package is installed, from the project root. */
export const SCHEMA_PATH = 'node_modules/heygen-build/schema/video.schema.json';

/** The sample manifest's path. */
export const SAMPLE_PATH = 'videos/welcome.yaml';

/**
 * The sample manifest. The modeline is relative to the manifest (yaml-language-server resolves it from
 * the file's folder), so videos/welcome.yaml points one folder up to node_modules.
 */
export const SAMPLE_YAML = `# yaml-language-server: $schema=../${SCHEMA_PATH}
# One scene, one avatar alias from heygen.config.ts (its voice comes with it).
# heygen-build validate · heygen-build plan · heygen-build build
title: Welcome
avatar: presenter
scenes:
  - script: >-
      Hi, and welcome. This video is declared in a small YAML file, checked against a schema,
      and rendered again only when it changes.
`;

/** VS Code (with the YAML extension): every manifest gets the schema's completion, hover and checks. */
export const VSCODE_SETTINGS = `${JSON.stringify({ 'yaml.schemas': { [`./${SCHEMA_PATH}`]: ['videos/**/*.yaml', 'videos/**/*.yml'] } }, null, 2)}\n`;

/** The line `.gitignore` needs: the working folder (journal, caches, draft renders). */
export const GITIGNORE_ENTRY = '.heygen/';

/**
 * The lines for the starter config's output folder (`out/`), added when init writes the config: the
 * videos stay out of git, as in the starter workflow, which uploads them as artifacts and commits only
 * the lockfile.
 */
export const GITIGNORE_OUT = ['# rendered videos: the lockfile records them, and a build downloads a missing one again', 'out/'];

/** The workflow's path. */
export const WORKFLOW_PATH = '.github/workflows/heygen-build.yml';

/**
 * Pull requests: validate (annotations on the changed lines) and plan against the lockfile (a table of
 * what merging would render and cost, in the job summary); both free, no key. The main branch: build
 * with the key from the repository's secrets, then commit the lockfile back, also after a failed or
 * cancelled build, since it records what was paid for and what is still rendering.
 */
export const WORKFLOW_YAML = `# Written by heygen-build init. Add the HEYGEN_API_KEY secret:
# Settings > Secrets and variables > Actions > New repository secret.
name: heygen-build

on:
  pull_request:
    paths: ['videos/**', 'heygen.config.ts', 'heygen.lock.yaml', 'package-lock.json']
  push:
    branches: [main]
    paths: ['videos/**', 'heygen.config.ts', 'package-lock.json']
  workflow_dispatch:

permissions:
  contents: read

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      # Inside Actions, errors become annotations on the pull request's lines.
      - name: Validate
        run: npx heygen-build validate
      # What merging would render and what it would cost, in the job summary. Free: no key needed.
      - name: Plan
        run: npx heygen-build plan --provider heygen

  build:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    # One build at a time, never cancelled halfway: a render in flight is already paid for.
    concurrency:
      group: heygen-build
      cancel-in-progress: false
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Build
        run: npx heygen-build build --provider heygen
        env:
          HEYGEN_API_KEY: \${{ secrets.HEYGEN_API_KEY }}
      - name: Upload the videos
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: videos
          path: out/
          if-no-files-found: ignore
      # The lockfile records every render, even of a failed or interrupted build: commit it back.
      - name: Commit the lockfile
        if: always()
        run: |
          # A build refused before its first render (the key, the budget) recorded nothing: no lockfile yet.
          if [ ! -f heygen.lock.yaml ]; then exit 0; fi
          git add heygen.lock.yaml
          if git diff --cached --quiet; then exit 0; fi
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          git commit -m "heygen-build: update heygen.lock.yaml [skip ci]"
          git push
`;
