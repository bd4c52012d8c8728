/** Exit codes (README "Exit codes"). A command stopped by a signal exits 128 + the signal's number, as shells report it. */
export const EXIT = {
  OK: 0,
  /** Invalid input, a failed render, a refused build, or any other error. */
  ERROR: 1,
  /** `plan --detailed-exitcode` only: there are changes to build. */
  CHANGES: 2,
  /** `status` only: HeyGen could not be reached; the states printed are the lockfile's, maybe stale. */
  STALE: 3,
  /** Interrupted by Ctrl-C (SIGINT); the lockfile holds what was in flight. */
  INTERRUPTED: 130,
  /** stdout was closed by its reader (`| head`): 128 + SIGPIPE. A build stops as on Ctrl-C. */
  BROKEN_PIPE: 141,
  /** Stopped by SIGTERM (a CI cancel, `kill`); the lockfile holds what was in flight. */
  TERMINATED: 143,
} as const;
