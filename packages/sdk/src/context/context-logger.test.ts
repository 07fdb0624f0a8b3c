import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import { VirtualClock } from "../service/clock.js";
import { runExecution } from "../orchestrator/run-execution.js";
import { createRetryStrategy } from "../retry/retry-strategy.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import { runLocal } from "../test-support/run-local.js";
import type { DurableLogData, DurableLoggingContext } from "../types/logger.js";

describe("ctx.logger", () => {
  it("logs each line once across suspensions: root, child context and step", async () => {
    const run = await runLocal(async (_e, ctx) => {
      ctx.logger.info("root before");
      await ctx.wait({ seconds: 1 });
      ctx.logger.info("root after first wait");
      await ctx.runInChildContext("child", async (child) => {
        child.logger.info("child before");
        await child.wait({ seconds: 1 });
        child.logger.info("child after");
      });
      await ctx.step("flaky", async (step) => {
        step.logger.info(`attempt ${step.attempt}`);
        if (step.attempt < 2) throw new Error("again");
      }, { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 } }) });
      ctx.logger.info("done");
    });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(run.invocations.length).toBeGreaterThanOrEqual(4);
    expect(run.logs.map((l) => l.message)).toEqual([
      "root before",
      "root after first wait",
      "child before",
      "child after",
      "attempt 1",
      "attempt 2",
      "done",
    ]);
  });

  it("stamps execution, operation, attempt, level and time on every record", async () => {
    const run = await runLocal(async (_e, ctx) => {
      ctx.logger.warn("top", { k: 1 });
      await ctx.step("greet", async (step) => step.logger.log("ERROR", "failed once", new TypeError("bad")));
    });
    const [top, inStep] = run.logs;
    expect(top).toMatchObject({ level: "WARN", message: 'top {"k":1}', executionArn: run.execution.executionArn });
    expect(top?.operationId).toBeUndefined();
    expect(Date.parse(top!.timestamp)).not.toBeNaN();
    expect(top?.requestId).toBe(run.invocations[0]?.requestId);
    expect(inStep).toMatchObject({ level: "ERROR", operationId: "1", operationName: "greet", attempt: 1 });
    expect(inStep?.error).toMatchObject({ errorType: "TypeError", errorMessage: "bad" });
  });

  it("emits replayed lines, marked, when not mode-aware", async () => {
    const run = await runLocal(async (_e, ctx) => {
      ctx.configureLogger({ modeAware: false });
      ctx.logger.info("before");
      await ctx.wait({ seconds: 1 });
    });
    expect(run.logs.map((l) => [l.message, l.replaying ?? false])).toEqual([
      ["before", false],
      ["before", true],
    ]);
  });

  it("hands a Powertools-style logger the caller's arguments plus one object of durable fields", async () => {
    const calls: { level: string; args: unknown[] }[] = [];
    const powertools = {
      debug: (...args: unknown[]) => calls.push({ level: "debug", args }),
      info: (...args: unknown[]) => calls.push({ level: "info", args }),
      warn: (...args: unknown[]) => calls.push({ level: "warn", args }),
      error: (...args: unknown[]) => calls.push({ level: "error", args }),
    };
    const run = await runLocal(async (_e, ctx) => {
      ctx.configureLogger({ customLogger: powertools });
      ctx.logger.info("order placed", { orderId: "o-1" });
      await ctx.wait({ seconds: 1 });
      await ctx.step("charge", async (step) => step.logger.error("declined"));
    });
    expect(calls).toEqual([
      { level: "info", args: ["order placed", { orderId: "o-1" }, expect.objectContaining({ executionArn: run.execution.executionArn })] },
      { level: "error", args: ["declined", expect.objectContaining({ operationId: "2", operationName: "charge", attempt: 1 })] },
    ]);
    // Still replay-aware, and the arguments are values, never a JSON string of them.
    expect(typeof calls[0]?.args[0]).toBe("string");
  });

  it("lets a logger with configureDurableLoggingContext read the durable fields during each call", async () => {
    const lines: { message: unknown; data: DurableLogData }[] = [];
    let context: DurableLoggingContext | undefined;
    const logger = {
      configureDurableLoggingContext: (c: DurableLoggingContext) => void (context = c),
      debug: () => undefined,
      info: (message: unknown, ...rest: unknown[]) => {
        expect(rest).toEqual([]);
        lines.push({ message, data: context!.getDurableLogData() });
      },
      warn: () => undefined,
      error: () => undefined,
    };
    await runLocal(async (_e, ctx) => {
      ctx.configureLogger({ customLogger: logger });
      ctx.logger.info("root");
      await ctx.step("s", async (step) => step.logger.info("in step"));
    });
    expect(lines.map((l) => [l.message, l.data.operationId])).toEqual([
      ["root", undefined],
      ["in step", "1"],
    ]);
  });

  it("never fails the execution because the custom logger throws", async () => {
    const broken = {
      debug: () => {
        throw new Error("x");
      },
      info: () => {
        throw new Error("x");
      },
      warn: () => undefined,
      error: () => undefined,
    };
    const run = await runLocal(async (_e, ctx) => {
      ctx.configureLogger({ customLogger: broken });
      ctx.logger.info("hello");
      return "ok";
    });
    expect(run.result).toBe("ok");
  });

  it("rejects a custom logger without the level methods, naming what is missing", async () => {
    const run = await runLocal(async (_e, ctx) => {
      try {
        ctx.configureLogger({ customLogger: { info: () => undefined } as never });
      } catch (error) {
        return [(error as Error).name, (error as Error).message, error instanceof ValidationError];
      }
      return "accepted";
    });
    expect(run.result).toEqual(["ValidationError", expect.stringContaining("missing debug, warn, error"), true]);
  });
});

describe("the default logger outside an orchestrator that collects lines", () => {
  /** Runs `handler` with no log sink and returns the JSON lines it wrote to stdout and stderr. */
  async function capture(handler: Parameters<typeof withDurableExecution>[0], logLevel?: string) {
    const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
    const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
    const lines = { stdout: [] as Record<string, unknown>[], stderr: [] as Record<string, unknown>[] };
    const originals = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
    const previousLevel = process.env.AWS_LAMBDA_LOG_LEVEL;
    if (logLevel === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
    else process.env.AWS_LAMBDA_LOG_LEVEL = logLevel;
    for (const name of ["stdout", "stderr"] as const) {
      process[name].write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        if (typeof chunk === "string" && chunk.includes('"executionArn"')) {
          expect(chunk.endsWith("\n")).toBe(true);
          lines[name].push(JSON.parse(chunk) as Record<string, unknown>);
          return true;
        }
        return originals[name](chunk, ...rest);
      }) as typeof process.stdout.write;
    }
    try {
      await runExecution({ service, clock, handler: withDurableExecution(handler), target: { start: {} } });
    } finally {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
      if (previousLevel === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
      else process.env.AWS_LAMBDA_LOG_LEVEL = previousLevel;
    }
    return lines;
  }

  it("writes the AWS SDK's JSON lines: DEBUG and INFO to stdout, WARN and ERROR to stderr", async () => {
    const { stdout, stderr } = await capture(async (_e, ctx) => {
      ctx.logger.debug("checking");
      ctx.logger.info("to stdout", { n: 1 }, [1, 2]);
      ctx.logger.warn("careful %s", "now");
      await ctx.step("charge", async (step) => step.logger.error("declined", new TypeError("card")));
    });
    expect(stdout.map((line) => [line.level, line.message])).toEqual([
      ["DEBUG", "checking"],
      ["INFO", "to stdout { n: 1 } [ 1, 2 ]"],
    ]);
    expect(Object.keys(stdout[1] ?? {})).toEqual(["requestId", "timestamp", "level", "executionArn", "message"]);
    expect(stdout[1]).toMatchObject({ executionArn: expect.stringMatching(/^arn:/), requestId: expect.any(String) });
    expect(Date.parse(stdout[1]?.timestamp as string)).not.toBeNaN();
    expect(stderr).toEqual([
      expect.objectContaining({ level: "WARN", message: "careful now" }),
      expect.objectContaining({
        level: "ERROR",
        operationId: "1",
        operationName: "charge",
        attempt: 1,
        message: expect.stringMatching(/^declined TypeError: card\n/),
        errorType: "TypeError",
        errorMessage: "card",
        stackTrace: expect.arrayContaining(["TypeError: card"]),
      }),
    ]);
  });

  it("keeps a single logged value as the message itself, an Error as errorType/errorMessage/stackTrace", async () => {
    const { stdout, stderr } = await capture(async (_e, ctx) => {
      ctx.logger.info({ orderId: "o-1", items: 2 });
      ctx.logger.error(new RangeError("too many"));
      ctx.logger.info();
    });
    expect(stdout.map((line) => line.message)).toEqual([{ orderId: "o-1", items: 2 }, ""]);
    expect(stderr[0]?.message).toEqual({ errorType: "RangeError", errorMessage: "too many", stackTrace: expect.arrayContaining(["RangeError: too many"]) });
  });

  it.each([
    ["WARN", ["WARN", "ERROR"]],
    ["error", ["ERROR"]],
    ["info", ["INFO", "WARN", "ERROR"]],
    ["not-a-level", ["DEBUG", "INFO", "WARN", "ERROR"]],
    [undefined, ["DEBUG", "INFO", "WARN", "ERROR"]],
  ])("honours AWS_LAMBDA_LOG_LEVEL=%s", async (level, expected) => {
    const { stdout, stderr } = await capture(async (_e, ctx) => {
      ctx.logger.debug("d");
      ctx.logger.info("i");
      ctx.logger.log("WARN", "w");
      ctx.logger.error("e");
    }, level);
    expect([...stdout, ...stderr].map((line) => line.level)).toEqual(expected);
  });
});
