/** Errors a user can hit: each has a code, a message and, where one exists, a hint. */

/** A user error's code (`E_…`) or a warning's (`W_…`); see the README's error table. */
export type ErrorCode = string;

export interface SourceLocation {
  /** Project-relative path (or as given). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
  location?: SourceLocation;
  /** A code frame around the location, ready to print. */
  frame?: string;
}

export class HeygenBuildError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly diagnostics: Diagnostic[];

  constructor(
    code: string,
    message: string,
    options: { hint?: string; location?: SourceLocation; diagnostics?: Diagnostic[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HeygenBuildError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.diagnostics = options.diagnostics ?? [];
  }
}

export function isHeygenBuildError(e: unknown): e is HeygenBuildError {
  return e instanceof HeygenBuildError;
}
