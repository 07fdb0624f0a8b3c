import type { DurableInstrumentationPlugin, InvocationInfo, OperationInfo } from "@cairn/sdk";

/**
 * The vectors' instrumentation plugins print one JSON object per hook to plain stdout, stamped
 * with the execution ARN they received at invocation start.
 */
export class StdoutRecorder {
  #arn: string | undefined;

  constructor(readonly plugin: string) {}

  start(info: InvocationInfo): void {
    this.#arn = info.executionArn;
  }

  emit(hook: string, fields: Record<string, unknown> = {}): void {
    process.stdout.write(`${JSON.stringify({ plugin: this.plugin, hook, ...fields, durableExecutionArn: this.#arn })}\n`);
  }
}

/** Terminal invocation statuses, as the vectors derive `terminal`. */
export function isTerminal(status: string): boolean {
  return status === "SUCCEEDED" || status === "FAILED";
}

/** A canonical camelCase dump of an operation info: absent fields stay absent. */
export function dumpOperation(info: OperationInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { id: info.id };
  if (info.name !== undefined) out.name = info.name;
  out.type = info.type.toUpperCase();
  if (info.subType !== undefined) out.subType = info.subType;
  if (info.parentId !== undefined) out.parentId = info.parentId;
  if (info.status !== undefined) out.status = info.status.toUpperCase();
  if (info.startTimestamp !== undefined) out.startTimestamp = info.startTimestamp.toISOString();
  if (info.endTimestamp !== undefined) out.endTimestamp = info.endTimestamp.toISOString();
  if (info.error !== undefined) out.error = info.error.message;
  if (info.attempt !== undefined) out.attempt = info.attempt;
  out.isReplay = info.isReplay;
  return out;
}

/** A plugin whose every hook prints its name and then throws (10.4, 10.17). */
export function faultyPlugin(onlySteps = true): DurableInstrumentationPlugin {
  const out = new StdoutRecorder("CONFPLUGIN-FAULTY");
  const fail = (hook: string): never => {
    out.emit(hook);
    throw new Error(`faulty plugin: ${hook}`);
  };
  const step = (info: OperationInfo): boolean => !onlySteps || info.type === "STEP";
  return {
    onInvocationStart: async (info) => {
      out.start(info);
      fail("invocation-start");
    },
    onInvocationEnd: () => fail("invocation-end"),
    onOperationStart: (info) => (step(info) ? fail("operation-start") : undefined),
    onOperationEnd: async (info) => (step(info) ? fail("operation-end") : undefined),
    onOperationAttemptStart: (info) => (step(info) ? fail("attempt-start") : undefined),
    onOperationAttemptEnd: async (info) => (step(info) ? fail("attempt-end") : undefined),
  };
}
