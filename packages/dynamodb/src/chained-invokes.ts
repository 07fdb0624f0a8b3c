// Chained invokes (ctx.invoke) on a worker pool. The target of an invoke runs as its own execution
// in the same table, started with the name and id the invoke reserved, so any worker with a
// handler of that name runs it. The orchestrator's ChainedInvokeDispatcher does the bookkeeping;
// here its "run a target" step only starts the target (idempotently: the name is the key) and
// reports the target's outcome once it has one. The parent is told in two ways:
//
// - the worker that finishes a target completes the parent's invoke right away, and
// - a parent waiting on an invoke stays in the due index (see dueAtOf), so if that worker died in
//   between, the next worker to look at the parent completes the invoke from the stored outcome.
import { ChainedInvokeDispatcher, type ChainedFunctionRegistry, type DurableInvocationHandler } from "@cairn/sdk/orchestrator";
import {
  ExecutionClosedError,
  InvalidRequestError,
  systemClock,
  type DurableExecutionService,
  type ExecutionSummary,
} from "@cairn/sdk/service";

type RunTarget = ConstructorParameters<typeof ChainedInvokeDispatcher>[3];

/** Target executions are named `<parent execution id>.invoke-<operation id>` (see targetExecutionName). */
const TARGET_NAME = /^([0-9A-HJKMNP-TV-Z]{26})\.invoke-(.+)$/;

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"]);

export class WorkerChainedInvokes {
  private readonly registry: ChainedFunctionRegistry;

  constructor(
    private readonly service: DurableExecutionService,
    private readonly handlers: Record<string, DurableInvocationHandler>,
    private readonly parentArnOf: (parentExecutionId: string) => Promise<string | undefined>,
  ) {
    this.registry = new Map(Object.entries(handlers).map(([name, handler]) => [name, { durable: true as const, handler }]));
  }

  /**
   * Starts the target of every invoke of `executionArn` still waiting for one, and completes each
   * invoke whose target has ended. An invoke naming a handler this worker does not have fails.
   */
  async dispatch(executionArn: string): Promise<void> {
    const pending = await this.service.pendingChainedInvokes(executionArn);
    if (pending.length === 0) return;
    for (const invoke of pending) {
      if (Object.hasOwn(this.handlers, invoke.functionName)) continue;
      await this.complete(executionArn, invoke.operationId, invoke.functionName);
    }
    // The dispatcher turns a target that fails to run into a failed invoke, and drops errors of
    // completing one. Here both are store errors (e.g. DynamoDB unreachable): the invoke must stay
    // pending, to be retried on the parent's next look, and the error must reach onError.
    const errors: unknown[] = [];
    const startTarget: RunTarget = async ({ service, start }) => {
      try {
        const target = await service.startExecution(start);
        return TERMINAL.has(target.status) ? target : undefined;
      } catch (error) {
        errors.push(error);
        return undefined;
      }
    };
    const service = this.service;
    const reporting = new Proxy(service, {
      get: (target, property) => {
        if (property === "completeChainedInvoke") {
          return async (...args: Parameters<DurableExecutionService["completeChainedInvoke"]>) => {
            try {
              await service.completeChainedInvoke(...args);
            } catch (error) {
              if (!(error instanceof ExecutionClosedError || error instanceof InvalidRequestError)) errors.push(error);
              throw error;
            }
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const dispatcher = new ChainedInvokeDispatcher(reporting, systemClock, this.registry, startTarget);
    try {
      await dispatcher.dispatch(executionArn);
    } finally {
      await dispatcher.close();
    }
    if (errors.length > 0) throw errors[0];
  }

  /** When `execution` is the target of a chained invoke and has ended: completes the parent's invoke. */
  async reportToParent(execution: ExecutionSummary): Promise<void> {
    if (!TERMINAL.has(execution.status)) return;
    const match = TARGET_NAME.exec(execution.executionName);
    if (!match) return;
    const parentArn = await this.parentArnOf(match[1]!);
    if (parentArn !== undefined) await this.dispatch(parentArn);
  }

  private async complete(executionArn: string, operationId: string, functionName: string): Promise<void> {
    try {
      await this.service.completeChainedInvoke(executionArn, operationId, {
        status: "FAILED",
        error: {
          ErrorType: "FunctionNotFoundError",
          ErrorMessage:
            `No handler named "${functionName}" in the worker that ran ctx.invoke (operation ${operationId}). ` +
            `Add it to createWorker({ handlers: { "${functionName}": handler } }) on every worker of the table.`,
        },
      });
    } catch (error) {
      // Ended meanwhile, or another worker completed it first.
      if (!(error instanceof ExecutionClosedError || error instanceof InvalidRequestError)) throw error;
    }
  }
}
