/** Exit codes (README "Exit codes"). */
export const EXIT = {
  OK: 0,
  /** Invalid input, a failed render, a refused build, or any other error. */
  ERROR: 1,
  /** `plan --detailed-exitcode` only: there are changes to build. */
  CHANGES: 2,
  /** Interrupted (Ctrl-C / SIGTERM); the lockfile holds what was in flight. */
  INTERRUPTED: 130,
} as const;
