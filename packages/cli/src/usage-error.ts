/** The command line itself is wrong (unknown flag, missing argument, bad JSON, unknown id): exit 2. */
export class UsageError extends Error {
  readonly errorType = "UsageError";
  constructor(
    message: string,
    /** The command whose help the user should read, if any. */
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export const EXIT = {
  succeeded: 0,
  failed: 1,
  usage: 2,
  /** Still RUNNING, suspended on something only the outside world can complete (a callback). */
  waiting: 3,
  interrupted: 130,
  terminated: 143,
} as const;
