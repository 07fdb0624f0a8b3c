// What each handler module is run with: its payload, the functions it invokes, and how the
// outside world answers its callbacks. Written once, driven through either SDK's runner.
import type { CompatRunner, ResultView, RunnerKit } from "./runners.js";

export interface Scenario {
  /** The test's name. */
  name: string;
  /** The handler module in handlers/, without extension. */
  module: string;
  payload?: unknown;
  /** Exports of the module to register as invoke targets: function name -> [export, durable?]. */
  targets?: Record<string, [exportName: string, durable: boolean]>;
  /** Answers callbacks while the run is in flight. */
  drive?: (runner: CompatRunner, kit: RunnerKit) => Promise<void>;
}

export const scenarios: Scenario[] = [
  { name: "step", module: "step", payload: { name: "ada" } },
  { name: "wait", module: "wait" },
  { name: "child context", module: "child-context", payload: { values: [1, 2, 3] } },
  { name: "child context config", module: "child-config" },
  { name: "map", module: "map", payload: { items: [1, 2, -3, 4] } },
  { name: "parallel", module: "parallel" },
  {
    name: "createCallback",
    module: "callback",
    payload: { orderId: "o-1" },
    drive: async (runner, kit) => {
      const approval = runner.getOperation("approval");
      await approval.waitForData(kit.started);
      await approval.sendCallbackSuccess(JSON.stringify({ approved: true }));
      const second = runner.getOperation("second-opinion");
      await second.waitForData(kit.started);
      await second.sendCallbackFailure({ ErrorType: "Rejected", ErrorMessage: "not approved" });
    },
  },
  {
    name: "waitForCallback",
    module: "wait-for-callback",
    drive: async (runner, kit) => {
      const external = runner.getOperation("external");
      await external.waitForData(kit.started);
      await external.sendCallbackSuccess(JSON.stringify({ score: 7 }));
    },
  },
  { name: "waitForCondition", module: "wait-for-condition" },
  {
    name: "invoke",
    module: "invoke",
    payload: { n: 21 },
    targets: { doubler: ["doubler", true], echo: ["echo", false] },
  },
  { name: "promise combinators", module: "promise-combinators" },
  { name: "durable promise", module: "durable-promise" },
  { name: "logger", module: "logger" },
  { name: "logger fields", module: "logger-fields" },
  { name: "errors caught", module: "errors", payload: {} },
  { name: "step error types", module: "step-error-types" },
  { name: "execution fails in a step", module: "errors", payload: { failIn: "step" } },
  { name: "execution fails in the handler", module: "errors", payload: { failIn: "handler" } },
  { name: "serdes", module: "serdes" },
  { name: "class serdes", module: "class-serdes" },
  { name: "file-system serdes", module: "file-system-serdes" },
  { name: "withRetry", module: "with-retry" },
  { name: "type surface", module: "type-surface", payload: { x: 5 } },
];

/** What is compared between the SDKs: no ids, timestamps or callback ids. */
export interface Outcome {
  status: string | undefined;
  result: unknown;
  error: { errorType: string | undefined; errorMessage: string | undefined } | undefined;
  /** `parent names > type/subType name status`, sorted: the operation tree without ids or order. */
  operations: string[];
}

export async function runScenario(kit: RunnerKit, modulePath: string, scenario: Scenario): Promise<Outcome> {
  const mod = (await import(modulePath)) as Record<string, unknown>;
  const runner = kit.create(mod.handler);
  for (const [functionName, [exportName, durable]] of Object.entries(scenario.targets ?? {})) {
    if (durable) runner.registerDurableFunction(functionName, mod[exportName]);
    else runner.registerFunction(functionName, mod[exportName]);
  }
  const running = runner.run({ payload: scenario.payload });
  await scenario.drive?.(runner, kit);
  return outcomeOf(await running);
}

function outcomeOf(result: ResultView): Outcome {
  const status = result.getStatus();
  const error = status === "SUCCEEDED" ? undefined : result.getError();
  return {
    status,
    result: status === "SUCCEEDED" ? result.getResult() : undefined,
    error: error && { errorType: error.errorType, errorMessage: error.errorMessage },
    operations: operationTree(result),
  };
}

function operationTree(result: ResultView): string[] {
  const operations = result.getOperations();
  const byId = new Map(operations.map((op) => [op.getId(), op]));
  const path = (id: string | undefined): string[] => {
    const op = id === undefined ? undefined : byId.get(id);
    return op ? [...path(op.getParentId()), op.getName() ?? "-"] : [];
  };
  return operations
    .map((op) => `${path(op.getParentId()).join(" > ")} | ${op.getType()}/${op.getSubType() ?? "-"} ${op.getName() ?? "-"} ${op.getStatus()}`)
    .sort();
}
