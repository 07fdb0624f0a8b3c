import type { CallbackCompletionResult } from "@cairn/sdk/service";
import type { ErrorObject } from "@cairn/sdk";
import { expectPositionals, parseCommand, stringOption } from "../args.js";
import { resumeCommandFor } from "../drive.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { openService, requireStore, shortIdOf, storeDirectory } from "../store.js";
import { EXIT, UsageError } from "../usage-error.js";

const ACTIONS = ["succeed", "fail", "heartbeat"] as const;
type Action = (typeof ACTIONS)[number];

/** The service's refusals that mean "this id is wrong": like an unknown execution id, exit 2. */
const BAD_ID = new Set(["InvalidCallbackIdError", "CallbackNotFoundError"]);
/** Refusals that mean "too late": the callback or its execution has ended; nothing changed. */
const TOO_LATE = new Set(["CallbackAlreadyCompletedError", "ExecutionClosedError"]);

/**
 * `cairn callback succeed|fail|heartbeat <callback-id>`: answers a callback in the file store, as
 * the external system would. The store is shared between processes, so a `cairn run` waiting for
 * the answer picks it up and carries on; otherwise `cairn resume` does.
 */
export async function callbackCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("callback", argv, {
    payload: { type: "string" },
    error: { type: "string" },
    store: { type: "string" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.callback);
    return 0;
  }
  expectPositionals("callback", parsed, { required: ["succeed, fail or heartbeat", "<callback-id>"] });
  const [actionText, callbackId] = parsed.positionals as [string, string];
  const action = parseAction(actionText);
  const payloadText = stringOption(parsed, "payload");
  const errorText = stringOption(parsed, "error");
  if (payloadText !== undefined && action !== "succeed") {
    throw new UsageError(`--payload goes with "cairn callback succeed"; "${action}" takes none.`, "callback");
  }
  if (errorText !== undefined && action !== "fail") {
    throw new UsageError(`--error goes with "cairn callback fail"; "${action}" takes none.`, "callback");
  }
  const payload = parsePayload(payloadText);
  const error = parseError(errorText);
  const directory = storeDirectory(stringOption(parsed, "store"));
  requireStore(directory);
  const service = openService(directory);

  let done: CallbackCompletionResult;
  try {
    done =
      action === "succeed"
        ? await service.sendCallbackSuccess(callbackId, payload)
        : action === "fail"
          ? await service.sendCallbackFailure(callbackId, error)
          : await service.sendCallbackHeartbeat(callbackId);
  } catch (failure) {
    if (!(failure instanceof Error)) throw failure;
    if (BAD_ID.has(failure.name)) {
      throw new UsageError(`${failure.message} Running executions list their callback ids in "cairn inspect <execution-id>".`, "callback");
    }
    if (TOO_LATE.has(failure.name)) {
      out.error(`cairn: ${failure.message}`);
      return EXIT.failed;
    }
    throw failure;
  }

  const execution = await service.getExecution(done.executionArn);
  const id = shortIdOf(execution);
  const what = action === "heartbeat" ? "heartbeat sent to" : action === "succeed" ? "succeeded" : "failed";
  out.line(`callback ${what} — execution ${out.color.bold(id)}, operation ${done.operationId}`);
  if (action !== "heartbeat") {
    out.line(
      out.color.dim(`a "cairn run" or "cairn resume" waiting on it carries on now; if none is running: ${resumeCommandFor(directory, id)}`),
    );
  }
  return EXIT.succeeded;
}

function parseAction(text: string): Action {
  if ((ACTIONS as readonly string[]).includes(text)) return text as Action;
  throw new UsageError(`Unknown callback action "${text}". Use succeed, fail or heartbeat, e.g. cairn callback succeed <callback-id> --payload '{"approved":true}'.`, "callback");
}

/** The payload is stored as sent; it must be JSON so the handler's default deserializer can read it. */
function parsePayload(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    JSON.parse(text);
    return text;
  } catch (error) {
    throw new UsageError(
      `--payload is not valid JSON (${error instanceof Error ? error.message : String(error)}). ` +
        `Quote it for your shell, e.g. --payload '{"approved":true}' or --payload '"yes"'.`,
      "callback",
    );
  }
}

const ERROR_FIELDS = ["ErrorType", "ErrorMessage", "ErrorData"] as const;

function parseError(text: string | undefined): ErrorObject | undefined {
  if (text === undefined) return undefined;
  const example = `e.g. --error '{"ErrorType":"Rejected","ErrorMessage":"over budget"}'`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--error is not valid JSON (${error instanceof Error ? error.message : String(error)}); ${example}.`, "callback");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`--error must be a JSON object with ErrorType, ErrorMessage and/or ErrorData; ${example}.`, "callback");
  }
  const object = value as Record<string, unknown>;
  const unknown = Object.keys(object).filter((key) => !(ERROR_FIELDS as readonly string[]).includes(key) && key !== "StackTrace");
  if (unknown.length > 0) {
    throw new UsageError(`--error has unknown field${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; use ErrorType, ErrorMessage, ErrorData, StackTrace; ${example}.`, "callback");
  }
  for (const field of ERROR_FIELDS) {
    if (object[field] !== undefined && typeof object[field] !== "string") {
      throw new UsageError(`--error field ${field} must be a string; ${example}.`, "callback");
    }
  }
  const stack = object.StackTrace;
  if (stack !== undefined && !(Array.isArray(stack) && stack.every((line) => typeof line === "string"))) {
    throw new UsageError("--error field StackTrace must be an array of strings.", "callback");
  }
  return object as ErrorObject;
}
