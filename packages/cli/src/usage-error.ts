/** The command line itself is wrong (unknown flag, missing argument, bad JSON, unknown id): exit 2. */
export class UsageError extends Error {
  /** Always `"UsageError"`: the error's type as Cairn errors name theirs. */
  readonly errorType = "UsageError";
  /**
   * @param message - what is wrong, printed after `cairn: `.
   * @param command - the command whose help the user should read, if any.
   */
  constructor(
    message: string,
    /** The command whose help the user should read, if any. */
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** The exit codes of the `cairn` command, for scripts that branch on them. */
export const EXIT = {
  /** The execution SUCCEEDED (or the command did what it was asked). */
  succeeded: 0,
  /** The execution FAILED, or the command failed (e.g. a callback that has already ended). */
  failed: 1,
  /** The command line is wrong: unknown command or flag, missing argument, bad JSON, unknown id. */
  usage: 2,
  /** Still RUNNING, suspended on something only the outside world can complete (a callback). */
  waiting: 3,
  /**
   * Still RUNNING, but blocked: its replay diverged from its checkpoints (the handler changed). Deploy
   * fixed or reverted code and `cairn resume`, or `cairn fail` it.
   */
  blocked: 4,
  /** Stopped by SIGINT (Ctrl-C) between invocations; `cairn resume` carries on. */
  interrupted: 130,
  /** Stopped by SIGTERM between invocations; `cairn resume` carries on. */
  terminated: 143,
} as const;
