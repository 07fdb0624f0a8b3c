// What a failed step throws when its body threw one of the SDK's own errors (a StepError of a
// step it awaited before, a CallbackError, an InvokeError) or an ordinary one: the durable errors
// come out as themselves, anything else inside a StepError. Also after a replay.
import { CallbackError, InvokeError, StepError, withDurableExecution } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

const noRetry = { retryStrategy: () => ({ shouldRetry: false }) };

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const thrown: Record<string, unknown> = {};
  const cases: Record<string, () => Error> = {
    step: () => new StepError("an earlier step failed"),
    callback: () => new CallbackError("the callback said no", undefined, "callback data"),
    invoke: () => new InvokeError("the target failed"),
    type: () => new TypeError("not a number"),
  };
  for (const [name, make] of Object.entries(cases)) {
    try {
      await ctx.step(`throws-${name}`, async () => {
        throw make();
      }, noRetry);
    } catch (error) {
      thrown[name] = { ...describeError(error), errorData: (error as { errorData?: unknown }).errorData ?? null };
    }
  }
  await ctx.wait("replay-after", { seconds: 1 });
  return thrown;
});
