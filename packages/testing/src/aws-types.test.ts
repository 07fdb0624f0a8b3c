// Type-level checks, made by `tsc` (the package's typecheck covers test files): what a test
// ported from @aws/durable-execution-sdk-js-testing does with Cairn's types compiles. The
// runtime part only makes vitest count the file.
import type {
  CallbackStartedDetails,
  Event,
  ExecutionStatus as LambdaExecutionStatus,
  InvocationCompletedDetails,
  InvocationType as LambdaInvocationType,
  StepFailedDetails,
  StepSucceededDetails,
  WaitStartedDetails,
} from "@aws-sdk/client-lambda";
import type * as Aws from "@aws/durable-execution-sdk-js-testing";
import type { HistoryEvent as ServiceHistoryEvent } from "@cairn/sdk";
import { describe, expectTypeOf, it } from "vitest";
import type {
  CloudDurableTestRunner,
  CloudDurableTestRunnerParameters,
  DurableOperation,
  DurableTestRunner,
  ExecutionStatus,
  HistoryEvent,
  InvocationType,
  LocalDurableTestRunner,
  TestResult,
  TestResultError,
} from "./index.js";

describe("types a ported test relies on", () => {
  it("history events are client-lambda Events, nested details included", () => {
    expectTypeOf<HistoryEvent>().toMatchTypeOf<Event>();
    expectTypeOf<ReturnType<TestResult["getHistoryEvents"]>>().toMatchTypeOf<Event[]>();
    expectTypeOf<ReturnType<DurableOperation["getEvents"]>>().toMatchTypeOf<Event[] | undefined>();
    // Details whose members client-lambda declares required (present, possibly undefined).
    expectTypeOf<NonNullable<HistoryEvent["StepSucceededDetails"]>>().toMatchTypeOf<StepSucceededDetails>();
    expectTypeOf<NonNullable<HistoryEvent["StepFailedDetails"]>>().toMatchTypeOf<StepFailedDetails>();
    expectTypeOf<NonNullable<HistoryEvent["WaitStartedDetails"]>>().toMatchTypeOf<WaitStartedDetails>();
    expectTypeOf<NonNullable<HistoryEvent["CallbackStartedDetails"]>>().toMatchTypeOf<CallbackStartedDetails>();
    expectTypeOf<NonNullable<HistoryEvent["InvocationCompletedDetails"]>>().toMatchTypeOf<InvocationCompletedDetails>();
    // The check has teeth: the service's own type, with those members optional, is not an Event.
    expectTypeOf<ServiceHistoryEvent>().not.toMatchTypeOf<Event>();
    // And the events still go where Cairn's own history type is expected.
    expectTypeOf<HistoryEvent>().toMatchTypeOf<ServiceHistoryEvent>();

    function portedAssertions(result: TestResult): Event[] {
      const events: Event[] = result.getHistoryEvents();
      const started: Event | undefined = events.find((e) => e.EventType === "StepStarted");
      return started ? [started] : [];
    }
    void portedAssertions;
  });

  it("both runners are DurableTestRunners", () => {
    expectTypeOf<LocalDurableTestRunner<{ ok: boolean }>>().toMatchTypeOf<DurableTestRunner<DurableOperation, { ok: boolean }>>();
    expectTypeOf<CloudDurableTestRunner<{ ok: boolean }>>().toMatchTypeOf<DurableTestRunner<DurableOperation, { ok: boolean }>>();
  });

  it("enums and shared shapes are the AWS ones", () => {
    expectTypeOf<ExecutionStatus>().toEqualTypeOf<LambdaExecutionStatus>();
    expectTypeOf<InvocationType>().toEqualTypeOf<LambdaInvocationType>();
    expectTypeOf<TestResultError>().toEqualTypeOf<Aws.TestResultError>();
    expectTypeOf<Aws.CloudDurableTestRunnerParameters>().toMatchTypeOf<CloudDurableTestRunnerParameters>();
    expectTypeOf<Aws.CloudDurableTestRunnerConfig>().toMatchTypeOf<NonNullable<CloudDurableTestRunnerParameters["config"]>>();
    expectTypeOf<Aws.Invocation>().toEqualTypeOf<import("./index.js").Invocation>();
    // What a ported test passes in is accepted.
    expectTypeOf<Aws.InvokeRequest>().toMatchTypeOf<import("./index.js").InvokeRequest>();
    expectTypeOf<Aws.LocalDurableTestRunnerSetupParameters>().toMatchTypeOf<import("./index.js").LocalDurableTestRunnerSetupParameters>();
    expectTypeOf<NonNullable<Parameters<Aws.TestResult["print"]>[0]>>().toMatchTypeOf<NonNullable<Parameters<TestResult["print"]>[0]>>();
    expectTypeOf<Aws.WaitResultDetails>().toEqualTypeOf<import("./index.js").WaitResultDetails>();
    expectTypeOf<Aws.StepDetails<number>>().toEqualTypeOf<import("./index.js").StepDetails<number>>();
    expectTypeOf<Aws.ContextDetails<number>>().toEqualTypeOf<import("./index.js").ContextDetails<number>>();
    expectTypeOf<Aws.CallbackDetails<number>>().toEqualTypeOf<import("./index.js").CallbackDetails<number>>();
    expectTypeOf<Aws.ChainedInvokeDetails<number>>().toEqualTypeOf<import("./index.js").ChainedInvokeDetails<number>>();
  });

  it("results and operations default to any, as in the AWS library", () => {
    function ported(result: TestResult, op: DurableOperation): number {
      // Compiles only with the AWS defaults (any), not with unknown.
      return result.getResult().orderId.length + op.getStepDetails()?.result.total;
    }
    void ported;
  });
});
