import type { DurableOperation } from "./durable-operation.js";
import type { InvokeRequest } from "./local-durable-test-runner.js";
import type { TestResult } from "./test-result.js";

/**
 * What every test runner offers, whether it runs the handler in-process
 * ({@link LocalDurableTestRunner}) or follows a function deployed on AWS Lambda
 * ({@link CloudDurableTestRunner}): a test written against this interface runs on either.
 *
 * @typeParam TDurableOperation - the operation handles the runner returns
 * @typeParam ResultType - the handler's result
 */
export interface DurableTestRunner<TDurableOperation extends DurableOperation, ResultType> {
  /** Runs one execution to its end and returns what happened. */
  run(params?: InvokeRequest): Promise<TestResult<ResultType>>;
  /** The first operation named `name`; the handle fills in as the run reaches it. */
  getOperation(name: string): TDurableOperation;
  /** The operation at `index` in execution order (0-based). */
  getOperationByIndex(index: number): TDurableOperation;
  /** The `index`-th (0-based) operation named `name`. */
  getOperationByNameAndIndex(name: string, index: number): TDurableOperation;
  /** The operation with id `id`. */
  getOperationById(id: string): TDurableOperation;
}
