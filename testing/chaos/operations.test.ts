// Purpose-built handlers for the operations added after the original interruption suite —
// callbacks, waitForCallback, waitForCondition, invoke, ctx.promise.*, itemTimeout — each crashed
// before and after every checkpoint and inside every side-effecting body (see crash-sweep.ts).
import {
  JitterStrategy,
  allCompleted,
  createRetryStrategy,
  createWaitStrategy,
  withDurableExecution,
  withRetry,
  type HistoryEvent,
} from "@cairn/sdk";
import { WaitingOperationStatus } from "@cairn/testing";
import { afterAll, describe, expect, it } from "vitest";
import {
  cleanRun,
  expectSameAsClean,
  runChaos,
  sweep,
  type ChaosWorld,
  type CrashPoint,
  type SweepReport,
  type SweepScenario,
} from "./crash-sweep.js";
import { SideEffectLedger } from "./side-effect-ledger.js";
import { storedLabels } from "./stored-labels.js";

const reports = new Map<string, SweepReport>();
afterAll(() => {
  console.log(`crash points per scenario:\n${[...reports].map(([name, r]) => `  ${name}: ${r.points} (${r.checkpoints} checkpoints)`).join("\n")}`);
});

async function sweepAndReport(scenario: SweepScenario): Promise<SweepReport> {
  const report = await sweep(scenario);
  reports.set(scenario.name, report);
  return report;
}

const count = (events: readonly HistoryEvent[], type: string) => events.filter((e) => e.EventType === type).length;

const storedLabel = storedLabels({ check: { prefix: "check", checkNumber: (state) => (state as { n: number }).n } });

describe("interrupting callbacks", () => {
  /**
   * createCallback, then two steps, then the answer. The outside world answers once, after the
   * `answerAfter`-th checkpoint was stored — so crash points fall both before and after the answer.
   */
  function createCallbackWorld(answerAfter: number) {
    return (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel });
      const published: string[] = [];
      const handler = withDurableExecution(async (_event: unknown, ctx) => {
        const [answer, callbackId] = await ctx.createCallback("answer", { timeout: { hours: 1 } });
        await ctx.step("publish", async () => {
          ledger.call("publish");
          published.push(callbackId);
        });
        const factor = await ctx.step("prepare", async () => (ledger.call("prepare"), 3));
        const value = await answer;
        return ctx.step("apply", async () => (ledger.call("apply"), `${value} x${factor}`));
      });
      return {
        handler,
        ledger,
        drive: async (runner, progress) => {
          await progress.stored(answerAfter);
          const op = await runner.getOperation("answer").waitForData(WaitingOperationStatus.STARTED);
          ledger.call("answer-sent");
          await op.sendCallbackSuccess("approved");
        },
        // Only one callback was ever created; it is the one published (however often) and answered.
        verify: (result, where) => {
          const started = result.getHistoryEvents().find((e) => e.EventType === "CallbackStarted");
          expect(published.length, where).toBeGreaterThan(0);
          expect(new Set(published), where).toEqual(new Set([started?.CallbackStartedDetails?.CallbackId]));
        },
      };
    };
  }

  const callbackChecks: SweepScenario["check"] = (run, _clean, where) => {
    const events = run.result.getHistoryEvents();
    expect(count(events, "CallbackStarted"), where).toBe(1);
    expect(count(events, "CallbackSucceeded"), where).toBe(1);
  };

  it("a callback answered after each checkpoint survives a crash at every checkpoint: answered once, applied once", async () => {
    // The first invocation stores 3 checkpoints (callback, publish, prepare) before it suspends on the answer.
    const answerPoints = [1, 2, 3];
    let points = 0;
    let checkpoints = 0;
    for (const answerAfter of answerPoints) {
      const scenario: SweepScenario = {
        name: `createCallback answered after checkpoint ${answerAfter}`,
        world: createCallbackWorld(answerAfter),
        exact: ["answer-sent"],
        unstored: ["answer-sent"],
        check: callbackChecks,
      };
      const report = await sweep(scenario);
      expect(report.checkpoints).toBe(4);
      points += report.points;
      checkpoints = report.checkpoints;
    }
    reports.set("createCallback (answered after checkpoint 1, 2, 3)", { points, checkpoints });
    // 3 answer moments x (4 checkpoints x 2 phases + 4 bodies: publish, prepare, apply, answer-sent
    // + a crash after each checkpoint).
    expect(points).toBe(3 * (8 + 4 + 1));
  });

  it("a callback answered while the crashed invocation is frozen is seen by the next one", async () => {
    // The answer goes out exactly when the crash happens: right after the callback's START is stored.
    const scenario: SweepScenario = { name: "createCallback answered at the crash", world: createCallbackWorld(1), exact: ["answer-sent"], unstored: ["answer-sent"], check: callbackChecks };
    const clean = await cleanRun(scenario);
    for (const point of [{ phase: "after", checkpoint: 1 }, { phase: "before", checkpoint: 2 }] satisfies CrashPoint[]) {
      expectSameAsClean(scenario, await runChaos(scenario.world, undefined, point), clean, point);
    }
  });

  it("waitForCallback whose submitter crashes mid-body: one callback, asked again with the same id, answered once", async () => {
    const world = (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel });
      const asked: string[] = [];
      const handler = withDurableExecution(async (event: { claim: string }, ctx) => {
        const decision = await ctx.waitForCallback<{ ok: boolean }>(
          "approval",
          async (callbackId) => {
            ledger.call("submit:approval");
            asked.push(callbackId);
          },
          { timeout: { hours: 2 }, serdes: { deserialize: async (data) => JSON.parse(data ?? "null") as { ok: boolean } } },
        );
        return ctx.step("settle", async () => (ledger.call("settle"), { claim: event.claim, ok: decision.ok }));
      });
      return {
        handler,
        ledger,
        drive: async (runner) => {
          const op = await runner.getOperation("approval").waitForData(WaitingOperationStatus.SUBMITTED);
          ledger.call("answer-sent");
          await op.sendCallbackSuccess(JSON.stringify({ ok: true }));
        },
        // A re-run submitter hands out the same callback id: the callback is not re-created.
        verify: (result, where) => {
          const started = result.getHistoryEvents().find((e) => e.EventType === "CallbackStarted");
          expect(asked.length, where).toBeGreaterThan(0);
          expect(new Set(asked), where).toEqual(new Set([started?.CallbackStartedDetails?.CallbackId]));
        },
      };
    };
    const report = await sweepAndReport({
      name: "waitForCallback",
      payload: { claim: "c-1" },
      world,
      exact: ["answer-sent"],
      unstored: ["answer-sent"],
      check: callbackChecks,
    });
    // callback, submitter, context done, settle — each before/after — plus 3 bodies (submitter
    // included) and one run crashing after each checkpoint.
    expect(report).toEqual({ checkpoints: 4, points: 12 });
  });
});

describe("interrupting waitForCondition", () => {
  it("threads the state through every check: no check skipped or counted twice, whatever the crash", async () => {
    interface Poll {
      n: number;
      attempts: number[];
    }
    const world = (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel });
      const handler = withDurableExecution(async (event: { until: number }, ctx) => {
        const final = await ctx.waitForCondition<Poll>(
          "poll",
          async (state, { attempt }) => {
            ledger.call(`check@${state.n + 1}`);
            return { n: state.n + 1, attempts: [...state.attempts, attempt] };
          },
          {
            initialState: { n: 0, attempts: [] },
            waitStrategy: createWaitStrategy<Poll>({
              shouldContinuePolling: (s) => s.n < event.until,
              initialDelay: { seconds: 5 },
              jitter: JitterStrategy.NONE,
            }),
          },
        );
        return ctx.step("report", async () => (ledger.call("report"), final));
      });
      return { handler, ledger };
    };
    const report = await sweepAndReport({
      name: "waitForCondition",
      payload: { until: 4 },
      world,
      check: (run, _clean, where) => {
        // Each check saw the previous one's state and its own attempt number.
        expect(run.result.getResult(), where).toEqual({ n: 4, attempts: [1, 2, 3, 4] });
      },
    });
    // 4 checks + report = 5 checkpoints, before/after each, plus 5 bodies and a crash after each checkpoint.
    expect(report).toEqual({ checkpoints: 5, points: 16 });
  });
});

describe("interrupting invoke", () => {
  it("a durable and a plain target each run once and their results are delivered once, whatever the caller's crash", async () => {
    const world = (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel });
      const payments = withDurableExecution(async (event: { cents: number }, ctx) => {
        await ctx.wait("settlement", { seconds: 30 });
        return ctx.step("capture", async () => (ledger.call("target:capture"), { captured: event.cents }));
      });
      const handler = withDurableExecution(async (event: { sku: string; qty: number }, ctx) => {
        const cents = await ctx.step("price", async () => (ledger.call("price"), 250 * event.qty));
        const charge = await ctx.invoke<{ cents: number }, { captured: number }>("charge", "payments", { cents });
        const stock = await ctx.invoke<{ sku: string }, { left: number }>("stock", "inventory", { sku: event.sku });
        return ctx.step("record", async () => (ledger.call("record"), { ...charge, ...stock }));
      });
      return {
        handler,
        ledger,
        prepare: (runner) => {
          runner.registerDurableFunction("payments", payments);
          runner.registerFunction("inventory", async (input: { sku: string }) => {
            ledger.call("target:inventory");
            return { left: input.sku.length };
          });
        },
      };
    };
    const report = await sweepAndReport({
      name: "invoke",
      payload: { sku: "A-100", qty: 4 },
      world,
      // Caller crashes never restart a target: the target bodies run exactly as often as cleanly.
      exact: ["target:capture", "target:inventory"],
      // The targets' own checkpoints are not the caller's: the injector neither sees nor crashes them.
      unstored: ["target:capture", "target:inventory"],
      check: (run, _clean, where) => {
        const events = run.result.getHistoryEvents();
        expect(run.result.getResult(), where).toEqual({ captured: 1000, left: 5 });
        expect(count(events, "ChainedInvokeStarted"), where).toBe(2);
        expect(count(events, "ChainedInvokeSucceeded"), where).toBe(2);
      },
    });
    // price, charge start, stock start, record — before/after each — plus 4 bodies and a crash after each.
    expect(report).toEqual({ checkpoints: 4, points: 13 });
  });
});

describe("interrupting ctx.promise combinators", () => {
  it("race, any, all and allSettled of waits and steps replay the same winners and values after every crash", async () => {
    const retryAfter20s = createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 20 }, jitter: JitterStrategy.NONE });
    const world = (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel });
      const handler = withDurableExecution(async (_event: unknown, ctx) => {
        // The wait wins the race: the step only succeeds on its retry, 20 s in.
        const race = await ctx.promise.race("race", [
          ctx.wait("short", { seconds: 5 }).then(() => "short-wait"),
          ctx.step(
            "flaky",
            async ({ attempt }) => {
              ledger.call("flaky");
              if (attempt === 1) throw new Error("not yet");
              return "flaky-step";
            },
            { retryStrategy: retryAfter20s },
          ),
        ]);
        // any: the first input that fulfils; the failing step does not win.
        const any = await ctx.promise.any("any", [
          ctx.step("fails", async () => (ledger.call("fails"), Promise.reject(new Error("no"))), { retryStrategy: createRetryStrategy({ maxAttempts: 1 }) }),
          ctx.wait("w10", { seconds: 10 }).then(() => "ten"),
          ctx.step("quick", async () => (ledger.call("quick"), "quick")),
        ]);
        const all = await ctx.promise.all("all", [
          ctx.step("a", async () => (ledger.call("a"), 1)),
          ctx.wait("w3", { seconds: 3 }).then(() => 2),
          ctx.step("b", async () => (ledger.call("b"), 3)),
        ]);
        const settled = await ctx.promise.allSettled("settled", [
          ctx.step("bad", async () => (ledger.call("bad"), Promise.reject(new RangeError("bad input"))), {
            retryStrategy: createRetryStrategy({ maxAttempts: 1 }),
          }),
          ctx.wait("w1", { seconds: 1 }).then(() => "ok"),
        ]);
        // Outlive every input, so later replays see all of them finished.
        await ctx.wait("outlive", { seconds: 60 });
        return ctx.step("summary", async () => {
          ledger.call("summary");
          return {
            race,
            any,
            all,
            settled: settled.map((s) => (s.status === "fulfilled" ? s.value : `${(s.reason as Error).name}`)),
          };
        });
      });
      return { handler, ledger };
    };
    const report = await sweepAndReport({
      name: "promise combinators",
      world,
      unstored: ["fails", "bad"],
      check: (run, _clean, where) => {
        expect(run.result.getResult(), where).toEqual({ race: "short-wait", any: "quick", all: [1, 2, 3], settled: ["StepError", "ok"] });
      },
    });
    expect(report.points).toBe(2 * report.checkpoints + 7 + 1);
  });
});

describe("interrupting a map with itemTimeout", () => {
  it("keeps each item's deadline across crashes before and after it passes: same statuses, timed-out work never run", async () => {
    const world = (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel });
      const handler = withDurableExecution(async (event: { jobs: number[] }, ctx) => {
        const result = await ctx.map(
          "jobs",
          event.jobs,
          async (item, seconds, index) => {
            await item.step("begin", async () => (ledger.call(`begin:${index}`), index));
            await item.wait("work", { seconds });
            return item.step("finish", async () => (ledger.call(`finish:${index}`), seconds));
          },
          { itemTimeout: { seconds: 60 }, completionConfig: allCompleted(), maxConcurrency: 2 },
        );
        return ctx.step("summarise", async () => (ledger.call("summarise"), result.all.map((i) => i.status)));
      });
      return { handler, ledger };
    };
    const report = await sweepAndReport({
      name: "map itemTimeout",
      payload: { jobs: [10, 600, 30, 90] },
      world,
      check: (run, _clean, where) => {
        expect(run.result.getResult(), where).toEqual(["SUCCEEDED", "TIMED_OUT", "SUCCEEDED", "TIMED_OUT"]);
        // Items past their deadline never reach their last step.
        expect(run.world.ledger.calls("finish:1") + run.world.ledger.calls("finish:3"), where).toBe(0);
      },
    });
    expect(report.checkpoints).toBeGreaterThan(4);
  });
});

describe("interrupting mapBatches with partitionKey, retries and itemTimeout together", () => {
  it("keeps key order and chunk outcomes — a retried chunk, a chunk past its deadline, a failed key's held-back chunk", async () => {
    interface Event {
      key: string;
      seq: number;
    }
    const retry = createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 10 }, backoffRate: 1, jitter: JitterStrategy.NONE });
    const world = (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel });
      const handler = withDurableExecution(async (event: { events: Event[] }, ctx) => {
        const result = await ctx.mapBatches(
          "write",
          event.events,
          async (chunk, events, { batchIndex }) => {
            const label = `write:${batchIndex}`;
            const written = await chunk.step(
              "write",
              async ({ attempt }) => {
                ledger.call(label);
                // Key "b" is throttled on its first attempt; key "c" fails for good; key "d" is slow.
                if (events[0]?.key === "b" && attempt === 1) throw new Error("throttled");
                if (events[0]?.key === "c") throw new Error("rejected");
                return events.map((e) => `${e.key}${e.seq}`);
              },
              { retryStrategy: retry },
            );
            if (events[0]?.key === "d") await chunk.wait("slow-io", { minutes: 5 });
            return written;
          },
          {
            itemBatcher: { maxItemsPerBatch: 2 },
            partitionKey: (e) => e.key,
            maxConcurrency: 2,
            itemTimeout: { minutes: 1 },
            retryStrategy: retry,
            completionConfig: allCompleted(),
          },
        );
        return ctx.step("summary", async () => (ledger.call("summary"), result.all.map((i) => `${i.index}:${i.status}:${String(i.result ?? "")}`)));
      });
      return { handler, ledger };
    };
    const events: Event[] = [];
    for (const key of ["a", "b", "c", "d"]) for (let seq = 1; seq <= 4; seq++) events.push({ key, seq });
    const report = await sweepAndReport({
      name: "mapBatches + partitionKey + itemTimeout",
      payload: { events },
      world,
      // Two chunks run at once: after a resume, the cancellations of their deadline WAITs may be
      // stored in the other order (each operation's own outcomes must still match).
      order: "per-operation",
      // The "c" chunk fails on every attempt, so no result of it is ever stored.
      unstored: ["write:4"],
      check: (run, _clean, where) => {
        const statuses = (run.result.getResult() as string[]).map((s) => s.split(":").slice(0, 2).join(":"));
        expect(statuses, where).toEqual([
          ...["0", "1", "2", "3"].map((i) => `${i}:SUCCEEDED`),
          ...["4", "5", "6", "7"].map((i) => `${i}:SUCCEEDED`),
          "8:FAILED",
          "9:FAILED",
          "10:SKIPPED",
          "11:SKIPPED",
          "12:TIMED_OUT",
          "13:TIMED_OUT",
          "14:SKIPPED",
          "15:SKIPPED",
        ]);
        // Within a key, chunks are written in order (a repeat of the same chunk aside).
        const calls = run.world.ledger.callLog().filter((l) => l.startsWith("write:")).map((l) => Number(l.slice(6)));
        for (const [first, second] of [[0, 1], [2, 3], [4, 5], [6, 7]]) {
          const positions = calls.map((c, i) => (c === first || c === second ? [c, i] : undefined)).filter((x) => x !== undefined);
          expect(positions.map(([c]) => c), `${where}: chunks ${first},${second}`).toEqual([...positions.map(([c]) => c)].sort((x, y) => x! - y!));
        }
      },
    });
    expect(report.checkpoints).toBeGreaterThan(5);
  });
});

describe("interrupting a fan-out of invokes", () => {
  it("a parallel of invokes — one target fails — completes each invoke once with the same outcome", async () => {
    const world = (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel });
      const target = (name: string, seconds: number, fail = false) =>
        withDurableExecution(async (event: { n: number }, ctx) => {
          await ctx.wait("work", { seconds });
          return ctx.step("result", async () => {
            ledger.call(`target:${name}`);
            if (fail) throw new RangeError(`${name} refused ${event.n}`);
            return event.n * 10;
          }, { retryStrategy: createRetryStrategy({ maxAttempts: 1 }) });
        });
      const handler = withDurableExecution(async (_event: unknown, ctx) => {
        const batch = await ctx.parallel(
          "fan-out",
          [
            (c) => c.invoke<{ n: number }, number>("slow", { n: 1 }),
            (c) => c.invoke<{ n: number }, number>("failing", { n: 2 }),
            (c) => c.invoke<{ n: number }, number>("fast", { n: 3 }),
          ],
          { completionConfig: allCompleted() },
        );
        return ctx.step("summary", async () => {
          ledger.call("summary");
          return batch.all.map((i) => (i.status === "SUCCEEDED" ? i.result : `${i.status}: ${i.error?.message}`));
        });
      });
      return {
        handler,
        ledger,
        prepare: (runner) =>
          runner
            .registerDurableFunction("slow", target("slow", 60))
            .registerDurableFunction("failing", target("failing", 20, true))
            .registerDurableFunction("fast", target("fast", 5)),
      };
    };
    const report = await sweepAndReport({
      name: "invoke fan-out",
      world,
      exact: ["target:slow", "target:failing", "target:fast"],
      unstored: ["target:slow", "target:failing", "target:fast"],
      check: (run, _clean, where) => {
        expect(run.result.getResult(), where).toEqual([10, "FAILED: failing refused 2", 30]);
        expect(count(run.result.getHistoryEvents(), "ChainedInvokeStarted"), where).toBe(3);
      },
    });
    expect(report.checkpoints).toBeGreaterThan(3);
  });
});

describe("interrupting withRetry", () => {
  it("resumes in the attempt it was in: no attempt skipped or run twice once stored, the waits between them kept", async () => {
    const world = (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel });
      const handler = withDurableExecution(async (event: { succeedAt: number }, ctx) => {
        const paid = await withRetry(
          ctx,
          "pay",
          (child, attempt) =>
            child.step(
              `charge-${attempt}`,
              async () => {
                ledger.call(`charge-${attempt}`);
                if (attempt < event.succeedAt) throw new Error(`declined on attempt ${attempt}`);
                return `paid on attempt ${attempt}`;
              },
              { retryStrategy: () => ({ shouldRetry: false }) },
            ),
          { retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 3, delay: { seconds: 5 } }) },
        );
        return ctx.step("receipt", async () => (ledger.call("receipt"), `receipt: ${paid}`));
      });
      return { handler, ledger };
    };
    const report = await sweepAndReport({
      name: "withRetry",
      payload: { succeedAt: 3 },
      world,
      unstored: ["charge-1", "charge-2"],
      check: (run, _clean, where) => {
        expect(run.result.getResult(), where).toBe("receipt: paid on attempt 3");
        const waits = run.result.getHistoryEvents().filter((e) => e.EventType === "WaitSucceeded").map((e) => e.Name);
        expect(waits, where).toEqual(["pay-backoff-1", "pay-backoff-2"]);
      },
    });
    // 7 checkpoints before/after each, the 4 bodies (three attempts and the receipt), and one run
    // crashing after each checkpoint.
    expect(report).toEqual({ checkpoints: 7, points: 19 });
  });
});
