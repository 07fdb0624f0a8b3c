// The external system of the callback vectors: once a callback has started, wait `Delay` seconds
// on the runner's clock (skipped or real), then send success / failure / heartbeat.
import type { DurableOperation, LocalDurableTestRunner } from "@cairn/testing";

export interface CallbackAction {
  /** The callback's (or its waitForCallback's) name; '*' is the first callback of any name. */
  CallbackName: string;
  Operation: "success" | "failure" | "heartbeat";
  Payload?: unknown;
  Delay?: number;
}

export interface RunningActions {
  /** After the run: why actions failed or never ran (empty when all went through). */
  outcome(): Promise<string[]>;
}

/** Starts every action at once; each waits for its own callback, so their order is their delays'. */
export function startCallbackActions(runner: LocalDurableTestRunner, actions: readonly unknown[]): RunningActions {
  const results = actions.map((raw, index) => {
    const action = raw as CallbackAction;
    const label = `CallbackActions[${index}] (${action.Operation} ${action.CallbackName})`;
    let done = false;
    const promise = perform(runner, action).then(
      () => {
        done = true;
        return undefined;
      },
      (error: unknown) => {
        done = true;
        return `${label}: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
    return { label, promise, done: () => done };
  });
  return {
    async outcome() {
      // Actions still sleeping when the run ended will never run; let those that can, finish.
      await new Promise((resolve) => setImmediate(resolve));
      const problems: string[] = [];
      for (const r of results) {
        if (!r.done()) problems.push(`${r.label}: did not run before the execution ended`);
        else {
          const problem = await r.promise;
          if (problem) problems.push(problem);
        }
      }
      return problems;
    },
  };
}

async function perform(runner: LocalDurableTestRunner, action: CallbackAction): Promise<void> {
  const op = await findCallback(runner, action.CallbackName);
  if (action.Delay) await runner.sleep({ seconds: action.Delay });
  switch (action.Operation) {
    case "success":
      await op.sendCallbackSuccess(action.Payload === undefined ? undefined : externalJson(action.Payload));
      return;
    case "failure":
      await op.sendCallbackFailure((action.Payload ?? {}) as { ErrorType?: string; ErrorMessage?: string; ErrorData?: string });
      return;
    case "heartbeat":
      await op.sendCallbackHeartbeat();
      return;
    default:
      throw new Error(`unknown Operation ${JSON.stringify(action.Operation)}`);
  }
}

async function findCallback(runner: LocalDurableTestRunner, name: string): Promise<DurableOperation> {
  if (name !== "*") return runner.getOperation(name).waitForData();
  // Operations appear in order; the first CALLBACK among them is the one.
  for (let index = 0; ; index++) {
    const op = await runner.getOperationByIndex(index).waitForData();
    if (op.isCallback()) return op;
  }
}

/**
 * The payload as the vectors' external system writes it: JSON with a space after ',' and ':'
 * (the vectors compare the stored text, e.g. `{"status": "approved"}`).
 */
export function externalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(externalJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${externalJson(v)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
}
