/**
 * The sharded GitHub Actions workflow (`heygen-build init --shards <n>`, and README "Teams and CI"):
 * plan, then n matrix jobs each building one shard, then one job merging their partial lockfiles and
 * committing the lockfile. A test keeps the README's copy (n = 4) equal to this one.
 */

/** The sharded workflow's path. */
export const SHARDED_WORKFLOW_PATH = '.github/workflows/heygen-build-shards.yml';

/** The `.gitattributes` line that gives the lockfile its merge driver. */
export const GITATTRIBUTES_LINE = 'heygen.lock.yaml merge=heygen-lock';

/** The workflow for `n` shards. */
export function shardedWorkflow(n: number): string {
  return WORKFLOW_HEAD + PLAN_JOB + buildJob(n) + MERGE_JOB;
}

/** Its trigger, permissions and concurrency: one sharded build at a time. */
const WORKFLOW_HEAD = `name: heygen-build (sharded)
on:
  push:
    branches: [main]
    paths: ['videos/**', 'heygen.config.ts', 'package-lock.json']
  workflow_dispatch:
permissions:
  contents: read
# One sharded build at a time, never cancelled halfway: a render in flight is already paid for.
concurrency:
  group: heygen-build
  cancel-in-progress: false
jobs:
`;

/** The plan job: says whether there is anything to build (`--detailed-exitcode`). */
const PLAN_JOB = `  plan:
    runs-on: ubuntu-latest
    outputs:
      changes: \${{ steps.plan.outputs.changes }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci
      - id: plan
        run: |
          set +e
          npx heygen-build plan --provider heygen --detailed-exitcode
          code=$?
          if [ $code -eq 2 ]; then echo "changes=true" >> "$GITHUB_OUTPUT"; exit 0; fi
          echo "changes=false" >> "$GITHUB_OUTPUT"; exit $code
`;

/** The matrix job: shard i of n builds its share, then uploads its partial lockfile and videos. */
function buildJob(n: number): string {
  return `  build:
    needs: plan
    if: needs.plan.outputs.changes == 'true'
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false          # a failed shard must not cancel the others' paid renders
      matrix:
        shard: [${Array.from({ length: n }, (_, i) => i).join(', ')}]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci
      - run: npx heygen-build build --provider heygen --shard \${{ matrix.shard }}/${n}
        env:
          HEYGEN_API_KEY: \${{ secrets.HEYGEN_API_KEY }}
          # With a \`remote:\` store in the config: its credentials (empty secrets are ignored). With an
          # AWS role instead, add aws-actions/configure-aws-credentials before this step.
          AWS_ACCESS_KEY_ID: \${{ secrets.AWS_ACCESS_KEY_ID }}
          AWS_SECRET_ACCESS_KEY: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
      # What the shard paid for, also after a failure or a cancel: the merge job needs it.
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: lock-shard-\${{ matrix.shard }}
          path: heygen.lock.shard-*.yaml
          if-no-files-found: ignore
      - uses: actions/upload-artifact@v4
        if: \${{ !cancelled() }}
        with:
          name: videos-\${{ matrix.shard }}
          path: out/
          if-no-files-found: ignore
`;
}

/** The job that merges the shards' partial lockfiles and commits the lockfile. */
const MERGE_JOB = `  merge:
    needs: build
    if: always() && needs.build.result != 'skipped'
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v4   # the same commit the shards built
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci
      - uses: actions/download-artifact@v4
        with:
          pattern: lock-shard-*
          merge-multiple: true
      # A shard that failed before it planned left no partial: lock merge then refuses
      # (E_LOCK_MERGE_SHARDS) and commits nothing. "Re-run failed jobs" runs that shard again (it pays
      # for nothing already rendered) and this job with it. README "lock merge" explains --force.
      - name: Merge and commit the lockfile
        run: |
          shopt -s nullglob
          npx heygen-build lock merge heygen.lock.shard-*.yaml
          git add heygen.lock.yaml
          if git diff --cached --quiet; then exit 0; fi
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          git config merge.heygen-lock.driver 'npx heygen-build lock merge-driver %O %A %B %P'
          git commit -m "heygen-build: update heygen.lock.yaml [skip ci]"
          # main may have moved on: the merge driver joins the lockfiles on the rebase.
          git pull --rebase && git push
`;
