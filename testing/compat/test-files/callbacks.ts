// Callbacks answered by the outside world: createCallback, heartbeats, timeouts, waitForCallback.
import { CallbackError, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const approval = withDurableExecution(async (event: { orderId: string }, context: DurableContext) => {
  const [answer, callbackId] = await context.createCallback<string>("approval", { timeout: { hours: 1 } });
  await context.step("notify-approver", async () => `sent ${callbackId.length > 0}`);
  const decision = JSON.parse(await answer) as { approved: boolean };
  return { orderId: event.orderId, ...decision };
});

export const rejectable = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const [answer] = await context.createCallback("review");
  try {
    await answer;
    return { rejected: false };
  } catch (error) {
    return {
      rejected: true,
      isCallbackError: error instanceof CallbackError,
      name: (error as Error).name,
      message: (error as Error).message,
    };
  }
});

/** A long-running task that must report in every second, for up to a minute. */
export const heartbeats = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const [done] = await context.createCallback<string>("long-task", {
    timeout: { minutes: 1 },
    heartbeatTimeout: { seconds: 1 },
  });
  return { longTask: await done };
});

export const unanswered = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const [answer] = await context.createCallback("never-answered", { timeout: { seconds: 1 } });
  try {
    await answer;
    return "answered";
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
});

export const submitted = withDurableExecution(async (event: { user: string }, context: DurableContext) => {
  const reply = await context.waitForCallback<string>(
    "external-check",
    async (callbackId, callbackContext) => {
      callbackContext.logger.info("submitting", { callbackId });
      submissions.push({ user: event.user, callbackIdLength: callbackId.length });
    },
    { timeout: { minutes: 5 } },
  );
  return { reply: JSON.parse(reply) as unknown };
});

/** What the submitter handed to the outside system. */
export const submissions: { user: string; callbackIdLength: number }[] = [];
