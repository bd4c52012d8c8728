/** One check for `plan`'s warning of a file HeyGen would not take, shared by the e2e files that upload local files. */
import { expect } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** What the plan of one project should say of its one refused file. */
export interface PlanWarning {
  /** The warning's one line, as the build's error says it. */
  said: string;
  hint: string;
  /** The plan's line of an item that uploads the file: still planned and priced (the build fails it). */
  planned: RegExp;
  /** Makes the file one HeyGen takes. */
  fix: () => void;
}

/**
 * `plan` (run in `dir` with `env`) warns of the file once, as `said` with `hint` (the other files are fine),
 * and still plans and prices what uploads it; `--json` lists the same warning; after `fix`, no warning.
 */
export async function expectPlanWarning(dir: string, env: Record<string, string>, { said, hint, planned, fix }: PlanWarning): Promise<void> {
  const r = await runCli(['plan'], { cwd: dir, env });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain(`warning: ${said}\nhint: ${hint}\n`);
  expect(r.stderr.match(/^warning:/gm)).toHaveLength(1);
  expect(r.stdout).toMatch(planned);
  const warnings = async (): Promise<string[]> => {
    const json = await runCli(['plan', '--json'], { cwd: dir, env });
    expect(json.code, json.stderr).toBe(0);
    return (JSON.parse(json.stdout) as { warnings: string[] }).warnings;
  };
  expect(await warnings()).toEqual([said]);
  fix();
  expect(await warnings()).toEqual([]);
}
