import { JitterStrategy, createWaitStrategy, type DurableContext } from "@cairn/sdk";
import type { JobService } from "./jobs.js";

export interface ReportRequest {
  report: string;
}

export type ReportOutcome =
  | { status: "READY"; jobId: string; outputUrl: string; checks: number }
  | { status: "JOB_FAILED"; jobId: string; reason: string };

interface PollState {
  jobId: string;
  state: string;
  checks: number;
  outputUrl?: string;
  reason?: string;
}

/**
 * Submits a report job once, then polls its status with backoff (10 s, 20 s, 40 s, … up to 5 min,
 * at most 20 checks). The execution is suspended between checks — nothing runs or is billed — and
 * each check's state is checkpointed, so a crash resumes polling where it was.
 */
export function createReportWorkflow(jobs: JobService) {
  return async (request: ReportRequest, ctx: DurableContext): Promise<ReportOutcome> => {
    if (!request || typeof request.report !== "string") {
      throw new TypeError('job-polling expects an event like {"report": "monthly-sales"}');
    }
    const { jobId } = await ctx.step("submit-job", async () => jobs.submit({ report: request.report }));

    const final = await ctx.waitForCondition<PollState>(
      "wait-for-job",
      async (state, { logger, attempt }) => {
        const status = await jobs.status(state.jobId);
        logger.info(`check ${attempt}: ${status.state}`);
        return { ...state, ...status, checks: state.checks + 1 };
      },
      {
        initialState: { jobId, state: "SUBMITTED", checks: 0 },
        waitStrategy: createWaitStrategy<PollState>({
          shouldContinuePolling: (s) => s.state !== "SUCCEEDED" && s.state !== "FAILED",
          initialDelay: { seconds: 10 },
          backoffRate: 2,
          maxDelay: { minutes: 5 },
          maxAttempts: 20,
          jitter: JitterStrategy.NONE,
        }),
      },
    );

    if (final.state === "FAILED") return { status: "JOB_FAILED", jobId, reason: final.reason ?? "unknown" };
    return { status: "READY", jobId, outputUrl: final.outputUrl ?? "", checks: final.checks };
  };
}
