// The exported types a user's handler names in annotations, and the retry helpers, a plugin and
// the wire enums, so the type check covers them; the handler also runs.
import {
  BatchItemStatus,
  createLinearRetryStrategy,
  createRetryStrategy,
  InvocationStatus,
  JitterStrategy,
  OperationStatus,
  OperationSubType,
  OperationType,
  PluginOperationStatus,
  retryPresets,
  withDurableExecution,
  type BatchItem,
  type BatchResult,
  type ChildConfig,
  type CompletionConfig,
  type CompletionReason,
  type DurableContext,
  type DurableLogger,
  type DurableExecutionConfig,
  type DurableExecutionHandler,
  type DurableExecutionInvocationInput,
  type DurableExecutionInvocationOutput,
  type DurableInstrumentationPlugin,
  type DurableLambdaHandler,
  type DurablePromise,
  type ErrorObject,
  type MapFunc,
  type Operation,
  type OperationInfo,
  type RetryDecision,
  type StepFunc,
  type WaitForConditionDecision,
  type AnySerdesDeserializer,
  type ConcurrencyConfig,
  type ConcurrentExecutionItem,
  type ConcurrentExecutor,
  type WireOperation as WireOperationShape,
  type WireStepDetails,
  type WireTimestamp,
  type WireWaitDetails,
} from "@aws/durable-execution-sdk-js";

const started: string[] = [];
const plugin: DurableInstrumentationPlugin = {
  onOperationStart: async (info: OperationInfo) => {
    if (info.type === OperationType.STEP && info.name !== undefined) started.push(info.name);
  },
};
const config: DurableExecutionConfig = { plugins: [plugin] };

const linear = createLinearRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 2 }, increment: { seconds: 3 }, jitter: JitterStrategy.NONE });
const backoff = createRetryStrategy({ maxAttempts: 2, jitter: JitterStrategy.NONE, retryableErrors: [/retry me/] });
const decide = (error: Error, attempt: number): RetryDecision => backoff(error, attempt);
const double: StepFunc<number> = async () => 42 * 2;
const squareItem: MapFunc<number, number, DurableLogger> = async (ctx: DurableContext, item) => ctx.step(async () => item * item);
// A map function declared on its own, with the items array typed as the AWS SDK passes it.
async function positionOf(ctx: DurableContext, item: number, index: number, items: number[]): Promise<string> {
  return ctx.step(async () => `${item} at ${index} of ${items.length}`);
}
const atLeastOne: CompletionConfig = { minSuccessful: 1 };
const childConfig: ChildConfig<string> = {};
const keepPolling: WaitForConditionDecision = { shouldContinue: true, delay: { seconds: 1 } };
// Types a handler's helpers may name: the wire forms of an operation, a deserializer, and the
// concurrent-execution shapes.
const startedAt: WireTimestamp = "2026-01-01T00:00:00.000Z";
const wireStep: WireStepDetails = { Attempt: 2, NextAttemptTimestamp: startedAt };
const wireWait: WireWaitDetails = { ScheduledEndTimestamp: new Date(startedAt) };
const wireOperation: WireOperationShape = {
  Id: "1",
  Type: OperationType.STEP,
  Status: OperationStatus.PENDING,
  StartTimestamp: startedAt,
  StepDetails: wireStep,
};
const passThrough: AnySerdesDeserializer = { deserialize: async (data) => data };
const executionItem: ConcurrentExecutionItem<number> = { id: "item-0", data: 7, index: 0 };
const doubleItem: ConcurrentExecutor<number, number, DurableLogger> = async (item) => item.data * 2;
const concurrency: ConcurrencyConfig<number> = { maxConcurrency: 2, completionConfig: { minSuccessful: 1 } };

const body: DurableExecutionHandler<{ x: number }, Record<string, unknown>> = async (event, ctx) => {
  const pending: DurablePromise<number> = ctx.step("double", double, { retryStrategy: retryPresets.default });
  const doubled = await pending;
  const retried = await ctx.step("linear", async (step) => { if (step.attempt < 3) throw new Error("flaky"); return "fine"; }, { retryStrategy: linear });
  const linearDelays = [1, 2].map((attempt) => linear(new Error("x"), attempt));
  const decided = await ctx.step("decided", async () => event.x, { retryStrategy: decide });
  const squares: BatchResult<number> = await ctx.map("squares", [1, 2], squareItem);
  const positions = await ctx.map("positions", [7, 8], positionOf);
  const firstItem: BatchItem<number> | undefined = squares.all[0];
  const reason: CompletionReason = squares.completionReason;
  const both = await ctx.parallel("both", [async () => "l", async () => "r"], { maxConcurrency: 2, completionConfig: atLeastOne });
  const child = await ctx.runInChildContext("child", async () => "child", childConfig);
  return {
    doubled,
    retried,
    linearDelays,
    decided,
    firstItemSucceeded: firstItem?.status === BatchItemStatus.SUCCEEDED,
    reason,
    positions: positions.getResults(),
    both: both.getResults(),
    child,
    keepPolling: keepPolling.shouldContinue,
    wire: [wireOperation.StartTimestamp, wireOperation.StepDetails?.Attempt, wireWait.ScheduledEndTimestamp instanceof Date],
    passedThrough: await passThrough.deserialize("raw", { entityId: "1", durableExecutionArn: "arn" }),
    concurrency: [executionItem.index, concurrency.maxConcurrency, typeof doubleItem],
    started: [...started],
    enums: [OperationStatus.SUCCEEDED, OperationSubType.WAIT_FOR_CALLBACK, InvocationStatus.PENDING, PluginOperationStatus.STARTED],
  };
};

export const handler: DurableLambdaHandler = withDurableExecution(body, config);

// A handler is a function from the durable invocation input to its output.
export async function invokeDirectly(input: DurableExecutionInvocationInput): Promise<ErrorObject | undefined> {
  const output: DurableExecutionInvocationOutput = await handler(input, {} as Parameters<DurableLambdaHandler>[1]);
  return output.Status === InvocationStatus.FAILED ? output.Error : undefined;
}

export type WireOperation = Operation;
