// Polling, invokes, promise combinators and the logger.
import {
  createWaitStrategy,
  JitterStrategy,
  withDurableExecution,
  type DurableContext,
} from "@aws/durable-execution-sdk-js";

export const pollJob = withDurableExecution(async (event: { readyAfter: number }, context: DurableContext) => {
  const job = await context.waitForCondition(
    "poll-job",
    async (state: { checks: number; ready: boolean }) => {
      const checks = state.checks + 1;
      return { checks, ready: checks >= event.readyAfter };
    },
    {
      initialState: { checks: 0, ready: false },
      waitStrategy: createWaitStrategy({
        shouldContinuePolling: (state) => !state.ready,
        initialDelay: { seconds: 5 },
        maxAttempts: 10,
        jitter: JitterStrategy.NONE,
      }),
    },
  );
  return job;
});

export const doubler = withDurableExecution(async (event: { n?: number }, context: DurableContext) => {
  return context.step("double", async () => ({ doubled: (event.n ?? 0) * 2, keys: Object.keys(event) }));
});

export const echo = async (event: unknown) => ({ echoed: event });

export const caller = withDurableExecution(async (event: { n: number }, context: DurableContext) => {
  const durable = await context.invoke("call-doubler", "doubler", { n: event.n });
  const plain = await context.invoke("call-echo", "echo", { hello: "world" });
  const noInput = await context.invoke("call-doubler-without-input", "doubler");
  return { durable, plain, noInput };
});

export const failingCall = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  try {
    await context.invoke("call-broken", "broken", {});
    return "no error";
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
});

export const broken = withDurableExecution(async () => {
  throw new TypeError("target is broken");
});

/** The payload the handler was given, as it saw it. */
export const payloadProbe = withDurableExecution(async (event: unknown) => ({ event, type: typeof event }));

export const combinators = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const all = await context.promise.all("all", [
    context.step("a", async () => "A"),
    context.step("b", async () => "B"),
  ]);
  const settled = await context.promise.allSettled("settled", [
    context.step("ok", async () => 1),
    context.step("bad", async () => {
      throw new Error("nope");
    }, { retryStrategy: () => ({ shouldRetry: false }) }),
  ]);
  const any = await context.promise.any("any", [
    context.step("first-fails", async () => {
      throw new Error("first");
    }, { retryStrategy: () => ({ shouldRetry: false }) }),
    context.step("second-wins", async () => "second"),
  ]);
  const race = await context.promise.race("race", [
    context.step("hare", async () => "hare"),
    context.runInChildContext("tortoise", async (child) => {
      await child.wait({ hours: 1 });
      return "tortoise";
    }),
  ]);
  return {
    all,
    settled: settled.map((s) => (s.status === "fulfilled" ? { status: s.status, value: s.value } : { status: s.status, reason: (s.reason as Error).message })),
    any,
    race,
  };
});

export const logs = withDurableExecution(async (event: { orderId: string }, context: DurableContext) => {
  context.logger.info("order received", { orderId: event.orderId });
  await context.wait("settle", { seconds: 30 });
  await context.step("charge", async (step) => {
    step.logger.warn("charging", { attempt: step.attempt });
    return "charged";
  });
  context.logger.error("charged", new Error("card expires soon"));
  return "logged";
});
