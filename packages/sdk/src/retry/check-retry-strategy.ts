import { ValidationError } from "../errors/validation-error.js";

/**
 * Refuses a `retryStrategy` option that is not a function, where it is given (a step, a map or a
 * parallel): otherwise it is found out only at the first failure, which then is not retried.
 * Undefined and null leave the default.
 */
export function checkRetryStrategyOption(where: string, retryStrategy: unknown): void {
  if (retryStrategy !== undefined && retryStrategy !== null && typeof retryStrategy !== "function") {
    throw new ValidationError(
      `${where}: retryStrategy must be a function (error, attempt) => { shouldRetry, delay? }, e.g. createRetryStrategy({ maxAttempts: 3 }); got ${typeof retryStrategy}.`,
    );
  }
}
