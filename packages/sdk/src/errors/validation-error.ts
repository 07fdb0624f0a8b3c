/** Bad input to the SDK (a config, a duration, a name): raised before anything is checkpointed. */
export class ValidationError extends Error {
  /** The error type recorded in checkpoints (`ErrorType`); survives replay where `instanceof` does not. */
  readonly errorType = "ValidationError";
  constructor(message: string) {
    super(message);
    this.name = "ValidationError";
  }
}
