// Names every SDK error class an error is an instance of, so a handler can return how it
// classified a failure and the two SDKs' classifications can be compared as plain data.
import {
  BatchCompletionError,
  CallbackError,
  CallbackExternalError,
  CallbackSubmitterError,
  CallbackTimeoutError,
  ChildContextError,
  DurableOperationError,
  InvokeError,
  PromiseCombinatorError,
  StepError,
  StepInterruptedError,
  WaitForConditionError,
} from "@aws/durable-execution-sdk-js";

const classes = {
  DurableOperationError,
  StepError,
  ChildContextError,
  BatchCompletionError,
  CallbackError,
  CallbackExternalError,
  CallbackSubmitterError,
  CallbackTimeoutError,
  InvokeError,
  PromiseCombinatorError,
  StepInterruptedError,
  WaitForConditionError,
};

export interface ErrorDescription {
  instanceOf: string[];
  message: string;
  errorType: string | undefined;
  cause: string | undefined;
}

export function describeError(error: unknown): ErrorDescription {
  if (!(error instanceof Error)) return { instanceOf: [], message: String(error), errorType: undefined, cause: undefined };
  const instanceOf = Object.entries(classes)
    .filter(([, cls]) => error instanceof cls)
    .map(([name]) => name);
  const errorType = error instanceof DurableOperationError ? error.errorType : undefined;
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return { instanceOf, message: error.message, errorType, cause };
}
