/**
 * How far a checkpoint backend's failure reaches:
 * - `INVOCATION`: this invocation stops; the execution carries on in the next one (throttling,
 *   server errors, a stale checkpoint token, a lost connection);
 * - `EXECUTION`: retrying cannot help (a rejected request, missing permissions, an unknown
 *   execution): the execution fails.
 */
export const DurableExecutionClientErrorScope = {
  /** Transient: only this invocation stops. */
  INVOCATION: "INVOCATION",
  /** Permanent: the execution fails. */
  EXECUTION: "EXECUTION",
} as const;
/** One of {@link DurableExecutionClientErrorScope}. */
export type DurableExecutionClientErrorScope =
  (typeof DurableExecutionClientErrorScope)[keyof typeof DurableExecutionClientErrorScope];

/** Options of a {@link DurableExecutionClientError}. */
export interface DurableExecutionClientErrorOptions {
  /** Default INVOCATION: an error nobody classified is taken to be transient. */
  scope?: DurableExecutionClientErrorScope;
  /** The underlying error (e.g. the HTTP or SDK error). */
  cause?: unknown;
}

/**
 * What a checkpoint backend throws to say how a failed call is to be treated. Recognised by its
 * marker property rather than `instanceof`, so a backend bundled with its own copy of this class
 * is still understood.
 */
export class DurableExecutionClientError extends Error {
  /** The marker the engine recognises the error by. */
  readonly isDurableExecutionClientError = true;
  /** `"DurableExecutionClientError"`. */
  readonly errorType = "DurableExecutionClientError";
  /** How far the failure reaches. */
  readonly scope: DurableExecutionClientErrorScope;

  constructor(message: string, options: DurableExecutionClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DurableExecutionClientError";
    this.scope = options.scope ?? DurableExecutionClientErrorScope.INVOCATION;
  }
}

/**
 * Whether `error` is a DurableExecutionClientError, by its marker (works across bundled copies of this
 * class).
 */
export function isDurableExecutionClientError(error: unknown): error is DurableExecutionClientError {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as Partial<DurableExecutionClientError>;
  return (
    candidate.isDurableExecutionClientError === true &&
    (candidate.scope === DurableExecutionClientErrorScope.INVOCATION || candidate.scope === DurableExecutionClientErrorScope.EXECUTION)
  );
}

/** True when a backend failure means the execution itself must fail, not just this invocation. */
export function failsExecution(error: unknown): boolean {
  return isDurableExecutionClientError(error) && error.scope === DurableExecutionClientErrorScope.EXECUTION;
}
