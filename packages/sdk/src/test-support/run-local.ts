// Runs a durable handler to completion on the in-memory service with a virtual clock, for the
// engine's own tests (the full-featured runner lives in @cairn/testing, which depends on this package).
import type { DurableLogRecord } from "../engine/invocation-environment.js";
import { withDurableExecution, type DurableExecutionConfig } from "../handler/with-durable-execution.js";
import { VirtualClock } from "../service/clock.js";
import type { BackendWrapper } from "../orchestrator/invocation.js";
import { runExecution, type OrchestrationResult } from "../orchestrator/run-execution.js";
import type { HistoryEvent } from "../protocol/history.js";
import type { CheckpointDurableExecutionRequest, Operation } from "../protocol/wire.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import type { DurableExecutionHandler } from "../types/context.js";

export interface LocalRun extends OrchestrationResult {
  history: HistoryEvent[];
  operations: Operation[];
  logs: DurableLogRecord[];
  /** Every checkpoint request the handler sent, in order. */
  checkpointCalls: CheckpointDurableExecutionRequest[];
  /** Parsed JSON result, if SUCCEEDED. */
  result: unknown;
  service: CheckpointService;
}

export async function runLocal(
  handler: DurableExecutionHandler,
  input?: unknown,
  options: { wrapBackend?: BackendWrapper; config?: DurableExecutionConfig; maxInvocations?: number } = {},
): Promise<LocalRun> {
  const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  const logs: DurableLogRecord[] = [];
  const checkpointCalls: CheckpointDurableExecutionRequest[] = [];
  const run = await runExecution({
    service,
    clock,
    handler: withDurableExecution(handler, options.config),
    target: { start: { input: input === undefined ? undefined : JSON.stringify(input) } },
    logSink: (record) => logs.push(record),
    maxInvocations: options.maxInvocations,
    wrapBackend: (backend, control) => {
      const inner = options.wrapBackend ? options.wrapBackend(backend, control) : backend;
      return {
        getExecutionState: (request) => inner.getExecutionState(request),
        checkpoint: (request) => {
          checkpointCalls.push(request);
          return inner.checkpoint(request);
        },
      };
    },
  });
  const arn = run.execution.executionArn;
  return {
    ...run,
    history: await service.getHistory(arn),
    operations: await service.getOperations(arn),
    logs,
    checkpointCalls,
    result: run.execution.result === undefined ? undefined : JSON.parse(run.execution.result),
    service,
  };
}

/** Compact `EventType Id Name` lines, for readable assertions on history order. */
export function eventLines(history: HistoryEvent[]): string[] {
  return history.map((e) => [e.EventType, e.Id, e.Name].filter((x) => x !== undefined).join(" "));
}
