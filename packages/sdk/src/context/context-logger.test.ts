import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { withDurableExecution } from "../engine/with-durable-execution.js";
import { VirtualClock } from "../orchestrator/clock.js";
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

  it("writes one JSON object per line to stdout when no orchestrator collects the lines", async () => {
    const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
    const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      if (typeof chunk === "string" && chunk.includes("to stdout")) {
        written.push(chunk);
        return true;
      }
      return original(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      await runExecution({
        service,
        clock,
        handler: withDurableExecution(async (_e, ctx) => ctx.logger.info("to stdout", { n: 1 })),
        target: { start: {} },
      });
    } finally {
      process.stdout.write = original;
    }
    expect(written).toHaveLength(1);
    expect(written[0]?.endsWith("\n")).toBe(true);
    expect(JSON.parse(written[0]!)).toMatchObject({ level: "INFO", message: 'to stdout {"n":1}', executionArn: expect.stringMatching(/^arn:/) });
  });
});
