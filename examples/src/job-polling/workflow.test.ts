import { WaitForConditionError, withDurableExecution } from "@cairn/sdk";
import { LocalDurableTestRunner, type CheckpointFaultInfo } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { simulatedJobs, type JobService } from "./jobs.js";
import { createReportWorkflow, type ReportOutcome } from "./workflow.js";

const runnerFor = (jobs: JobService) =>
  new LocalDurableTestRunner<ReportOutcome>({ handlerFunction: withDurableExecution(createReportWorkflow(jobs)), skipTime: true });

const progressCheckpoint = (info: CheckpointFaultInfo) => info.updates.some((u) => u.Action === "RETRY" && u.Name === "wait-for-job");

describe("job polling (waitForCondition with backoff)", () => {
  it("submits once and polls with growing delays until the job is done", async () => {
    const { service, calls } = simulatedJobs(3);
    const runner = runnerFor(service);
    const result = await runner.run({ payload: { report: "sales" } });

    expect(result.getResult()).toEqual({ status: "READY", jobId: "job-sales-1", outputUrl: "s3://reports/job-sales-1.csv", checks: 4 });
    expect(calls).toEqual({ submit: 1, status: 4 });
    // Suspended between checks: one invocation per check.
    expect(result.getInvocations()).toHaveLength(4);
    const delays = result
      .getHistoryEvents()
      .filter((e) => e.EventType === "StepSucceeded" && e.Name === "wait-for-job")
      .map((e) => e.StepSucceededDetails?.RetryDetails?.NextAttemptDelaySeconds);
    expect(delays).toEqual([10, 20, 40, undefined]);
    expect(result.getLogs().map((l) => l.message)).toEqual(["check 1: QUEUED", "check 2: RUNNING", "check 3: RUNNING", "check 4: SUCCEEDED"]);
  });

  it("reports a failed job with its reason", async () => {
    const result = await runnerFor(simulatedJobs(2, true).service).run({ payload: { report: "r" } });
    expect(result.getResult()).toEqual({ status: "JOB_FAILED", jobId: "job-r-1", reason: "out of memory" });
  });

  it("fails the execution with WaitForConditionError when the job never finishes within 20 checks", async () => {
    const { service, calls } = simulatedJobs(1_000);
    const result = await runnerFor(service).run({ payload: { report: "stuck" } });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorType).toBe(WaitForConditionError.name);
    expect(result.getError().errorMessage).toMatch(/gave up after 20 checks/);
    expect(calls.status).toBe(20);
  });

  it("resumes polling from the stored state after crashes, without resubmitting or re-checking stored checks", async () => {
    const { service, calls } = simulatedJobs(3);
    // Crash after the 1st and after the 2nd progress checkpoint is stored.
    const nth = (n: number) => {
      let seen = 0;
      return (i: CheckpointFaultInfo) => i.phase === "after" && progressCheckpoint(i) && ++seen === n;
    };
    const result = await runnerFor(service).run({ payload: { report: "sales" }, faults: { crashWhen: [nth(1), nth(2)] } });
    expect(result.getInjectedCrashCount()).toBe(2);
    expect(result.getResult()).toMatchObject({ status: "READY", checks: 4 });
    expect(calls).toEqual({ submit: 1, status: 4 });
  });

  it("a crash mid-check repeats only that check (at least once per check), from the same state", async () => {
    const { service, calls } = simulatedJobs(3);
    const result = await runnerFor(service).run({
      payload: { report: "sales" },
      faults: { crashBeforeCompletion: "wait-for-job" },
    });
    expect(result.getInjectedCrashCount()).toBe(1);
    // The interrupted check's status call is repeated once; the simulated job has moved on by one look.
    expect(calls).toEqual({ submit: 1, status: 4 });
    expect(result.getResult()).toMatchObject({ status: "READY", checks: 3 });
  });
});
