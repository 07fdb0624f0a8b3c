/**
 * Why a batch item ended TIMED_OUT: the reason its context's signal aborts with, and the cause of
 * the ChildContextError in its BatchItem. Its `name` is what the item's checkpoint records, so a
 * replay recognises the timeout from the checkpoint alone.
 */
export class BatchItemTimeoutError extends Error {
  /** The error type recorded in checkpoints (`ErrorType`); survives replay where `instanceof` does not. */
  readonly errorType = "BatchItemTimeoutError";
  constructor(message: string) {
    super(message);
    this.name = "BatchItemTimeoutError";
  }
}
