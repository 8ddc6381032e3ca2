/** The shape of a `nabla` subcommand, and the error type whose message is shown without a stack trace. */

export interface Command {
  name: string;
  summary: string;
  /** The full --help text. */
  help: string;
  /** Runs with the arguments after the subcommand's name; resolves to the exit code. */
  run(argv: string[]): Promise<number> | number;
}

/** A user error (bad option, unreadable file): printed as one line, exit code 2. */
export class UsageError extends Error {}
