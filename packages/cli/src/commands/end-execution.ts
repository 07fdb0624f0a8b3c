import type { ErrorObject } from "@cairn/sdk";
import {
  FileExecutionStore,
  executionIdOfArn,
  planFailExecution,
  planStopExecution,
  randomIds,
  type CoreContext,
  type ExecutionMutation,
  type ExecutionRecord,
} from "@cairn/sdk/service";
import { expectPositionals, parseCommand, stringOption } from "../args.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { printOutcome } from "../show-execution.js";
import { openService, resolveExecution, shortIdOf, storeDirectory } from "../store.js";
import { EXIT, UsageError } from "../usage-error.js";

type Plan = (record: ExecutionRecord, error: ErrorObject | undefined, ctx: CoreContext) => ExecutionMutation;

const ENDINGS = {
  stop: { plan: planStopExecution, status: "STOPPED", errorType: "Execution.Stopped", verb: "stopped" },
  fail: { plan: planFailExecution, status: "FAILED", errorType: "Execution.FailedByOperator", verb: "failed" },
} as const satisfies Record<string, { plan: Plan; status: string; errorType: string; verb: string }>;

/**
 * `cairn stop <id>` and `cairn fail <id>`: end a RUNNING execution from outside, as STOPPED or
 * FAILED. The decision runs under the execution's lock against its newest record, so a `cairn
 * run` driving it in another process sees its token revoked and stops writing.
 */
export async function endExecutionCommand(command: keyof typeof ENDINGS, argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand(command, argv, {
    "error-message": { type: "string" },
    "error-type": { type: "string" },
    store: { type: "string" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP[command]);
    return 0;
  }
  expectPositionals(command, parsed, { required: ["<execution-id>"] });
  const ending = ENDINGS[command];
  const message = stringOption(parsed, "error-message");
  const type = stringOption(parsed, "error-type");
  if (message !== undefined && message.trim() === "") throw new UsageError("--error-message must not be empty.", command);
  if (type !== undefined && !/^[A-Za-z][\w.:-]*$/.test(type)) {
    throw new UsageError(`--error-type must be a name like "Cancelled" or "Ops.GaveUp" (letters, digits, . _ : -), got "${type}".`, command);
  }
  const error: ErrorObject | undefined =
    message === undefined && type === undefined
      ? undefined
      : { ErrorType: type ?? ending.errorType, ...(message === undefined ? {} : { ErrorMessage: message }) };

  const directory = storeDirectory(stringOption(parsed, "store"));
  const service = openService(directory);
  const summary = await resolveExecution(service, directory, parsed.positionals[0] as string);
  const id = shortIdOf(summary);
  if (summary.status !== "RUNNING") {
    out.error(`cairn: execution ${id} already ended (${summary.status}); nothing to ${command}.`);
    return EXIT.failed;
  }
  const store = new FileExecutionStore(directory);
  const executionId = executionIdOfArn(summary.executionArn) as string;
  try {
    await store.update(executionId, (record) => ({
      mutation: ending.plan(record, error, { now: new Date(), ids: randomIds }),
      result: true,
    }));
  } catch (failure) {
    // It ended between the read above and the locked update (e.g. the run finished it).
    if (failure instanceof Error && failure.name === "ExecutionClosedError") {
      out.error(`cairn: execution ${id} ended meanwhile; nothing to ${command}. ${failure.message}`);
      return EXIT.failed;
    }
    throw failure;
  }
  const after = await service.getExecution(summary.executionArn);
  out.line(`execution ${out.color.bold(id)} ${ending.verb} (${after.status})`);
  printOutcome(out, after);
  return EXIT.succeeded;
}
