import { expectPositionals, flag, parseCommand, stringOption } from "../args.js";
import { driveExecution } from "../drive.js";
import { COMMAND_HELP } from "../help.js";
import { loadHandler } from "../handler-loader.js";
import type { Output } from "../output.js";
import { payloadValue } from "../format.js";
import { openService, shortIdOf, storeDirectory } from "../store.js";
import { EXIT, UsageError } from "../usage-error.js";
import { nondeterminismPolicyOf } from "../blocked-section.js";

/** Validates --input and normalises it, so the same event always serializes the same way. */
export function parseInput(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `--input is not valid JSON (${reason}). Pass a JSON document, quoted for your shell, ` +
        `e.g. --input '{"orderId":"ord-1001"}' or --input '42' or --input '"text"'.`,
      "run",
    );
  }
}

export async function runCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("run", argv, {
    input: { type: "string" },
    store: { type: "string" },
    name: { type: "string" },
    export: { type: "string" },
    "no-wait": { type: "boolean" },
    json: { type: "boolean" },
    "on-nondeterminism": { type: "string" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.run);
    return 0;
  }
  expectPositionals("run", parsed, { required: ["<handler-file>"] });
  const input = parseInput(stringOption(parsed, "input"));
  const onNondeterminism = nondeterminismPolicyOf(stringOption(parsed, "on-nondeterminism"), "run");
  const name = stringOption(parsed, "name");
  if (name !== undefined && name.trim() === "") throw new UsageError("--name must not be empty.", "run");
  const directory = storeDirectory(stringOption(parsed, "store"));
  const handler = await loadHandler(parsed.positionals[0] as string, stringOption(parsed, "export"));
  const json = flag(parsed, "json");
  try {
    const outcome = await driveExecution({
      // With --json, stdout carries the outcome object alone; progress goes to stderr.
      out: json ? out.toStderr() : out,
      directory,
      handler,
      target: { start: { input, executionName: name } },
      noWait: flag(parsed, "no-wait"),
      onNondeterminism,
    });
    if (json && outcome.executionArn !== undefined) {
      out.line(JSON.stringify(await outcomeJson(directory, outcome.executionArn, outcome.code)));
    }
    return outcome.code;
  } catch (error) {
    if (error instanceof Error && error.name === "ExecutionAlreadyExistsError") {
      throw new UsageError(
        `${error.message} Choose another --name, or leave --name out to start a new execution.`,
        "run",
      );
    }
    if (error instanceof Error && error.name === "InvalidRequestError") throw new UsageError(error.message, "run");
    throw error;
  }
}

/** What `run --json` prints: one object, the same fields whatever the outcome. */
async function outcomeJson(directory: string, executionArn: string, exitCode: number): Promise<Record<string, unknown>> {
  const summary = await openService(directory).getExecution(executionArn);
  return {
    id: shortIdOf(summary),
    executionArn: summary.executionArn,
    executionName: summary.executionName,
    status: summary.status,
    outcome: OUTCOMES[exitCode] ?? "failed",
    exitCode,
    result: payloadValue(summary.result),
    error: summary.error,
    blocked: summary.blocked,
  };
}

const OUTCOMES: Record<number, string> = {
  [EXIT.succeeded]: "succeeded",
  [EXIT.failed]: "failed",
  [EXIT.waiting]: "waiting",
  [EXIT.blocked]: "blocked",
  [EXIT.interrupted]: "interrupted",
  [EXIT.terminated]: "interrupted",
};
