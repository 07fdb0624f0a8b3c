import { retryPresets, StepSemantics, withDurableExecution } from "@cairn/sdk";
import type { HandlerOptions } from "../../lib/handler-module.js";

export const STEP_NAME = "at_most_once_flaky_step";

// 1.17: an at-most-once step with no retry logs its input and then the process dies (Lambda's
// process.exit). The replay finds the step STARTED without a result, does not run the body
// again, and fails the step with a StepInterruptedError: the execution fails.
export const handler = withDurableExecution(async (event: string, ctx) => {
  return ctx.step(
    STEP_NAME,
    async ({ logger }): Promise<string> => {
      logger.info(`processing input ${event}`);
      // Stands for process.exit(): the runner's fault plan below crashes the invocation before
      // the step's completion is stored, so nothing of this attempt after the log is ever stored.
      throw new Error("process exited");
    },
    { semantics: StepSemantics.AtMostOncePerRetry, retryStrategy: retryPresets.noRetry },
  );
});

export const options: HandlerOptions = {
  faults: {
    // The process dies mid-body: the body ran (and logged), its outcome is never stored.
    crashBeforeCompletion: STEP_NAME,
  },
};
