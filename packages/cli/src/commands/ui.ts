import { spawn } from "node:child_process";
import { expectPositionals, flag, parseCommand, stringOption, type ParsedCommand } from "../args.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { requireStore, storeDirectory } from "../store.js";
import { fileUiDataSource, type UiDataSource } from "../ui/data-source.js";
import { dynamoDbUiDataSource } from "../ui/data-source-dynamodb.js";
import { startUiServer } from "../ui/server.js";
import { EXIT, UsageError } from "../usage-error.js";

/**
 * `cairn ui`: serves the web view of a store on 127.0.0.1 until Ctrl-C (or SIGTERM), then exits 0.
 * The first line on stdout is `cairn ui: <url>`, for people and for scripts that start it.
 */
export async function uiCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("ui", argv, {
    store: { type: "string" },
    port: { type: "string" },
    open: { type: "boolean" },
    table: { type: "string" },
    endpoint: { type: "string" },
    region: { type: "string" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.ui);
    return 0;
  }
  expectPositionals("ui", parsed, { required: [] });
  const port = parsePort(stringOption(parsed, "port"));
  const opened = await openDataSource(parsed, out);
  if (typeof opened === "number") return opened;

  let server;
  try {
    server = await startUiServer(opened.source, { port });
  } catch (error) {
    opened.close();
    if ((error as { code?: string }).code === "EADDRINUSE") {
      out.error(`cairn: port ${port} is in use on 127.0.0.1; pick another with --port N, or --port 0 for any free one.`);
      return EXIT.failed;
    }
    throw error;
  }
  out.line(`cairn ui: ${server.url}`);
  out.line(out.color.dim(`serving ${opened.what} on loopback only; Ctrl-C stops`));
  if (flag(parsed, "open")) openBrowser(server.url, out);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  await server.close();
  opened.close();
  out.line(out.color.dim(`cairn ui: stopped (${signal})`));
  return 0;
}

/** What the server shows: the file store, or a DynamoDB table when --table is given. */
interface OpenedSource {
  source: UiDataSource;
  /** For the "serving …" line. */
  what: string;
  close(): void;
}

/** The data source the flags name, or the exit code when it cannot be read. */
async function openDataSource(parsed: ParsedCommand, out: Output): Promise<OpenedSource | number> {
  const table = stringOption(parsed, "table");
  const endpoint = stringOption(parsed, "endpoint");
  const region = stringOption(parsed, "region");
  if (table === undefined) {
    if (endpoint !== undefined || region !== undefined) {
      throw new UsageError(`--${endpoint !== undefined ? "endpoint" : "region"} applies to a DynamoDB table; add --table NAME.`, "ui");
    }
    const directory = storeDirectory(stringOption(parsed, "store"));
    requireStore(directory);
    return { source: fileUiDataSource(directory), what: directory, close: () => undefined };
  }
  if (stringOption(parsed, "store") !== undefined) {
    throw new UsageError("--store and --table name two stores; give one (--table NAME for DynamoDB, --store DIR for files).", "ui");
  }
  if (table === "") throw new UsageError("--table needs the name of the table the workers run from.", "ui");
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    throw new UsageError(`--endpoint "${endpoint}" is not a URL; give one such as http://127.0.0.1:8000 (DynamoDB Local).`, "ui");
  }
  if (region === "") throw new UsageError("--region needs an AWS region name, e.g. eu-west-1.", "ui");
  const dynamo = await dynamoDbUiDataSource({ table, endpoint, region });
  try {
    await dynamo.check();
  } catch (error) {
    dynamo.close();
    // DynamoDbRequestError and DynamoDbUnavailableError say what failed and what to check.
    out.error(`cairn: cannot read DynamoDB table "${table}": ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
  return { source: dynamo.source, what: dynamo.source.description, close: dynamo.close };
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 4300;
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65_535) {
    throw new UsageError(`--port "${text}" is not a port; use a whole number from 0 to 65535 (0 picks any free port).`, "ui");
  }
  return port;
}

/** Best effort: a machine without a desktop simply keeps the printed URL. */
function openBrowser(url: string, out: Output): void {
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    const child = spawn(command, [url], { stdio: "ignore", detached: true });
    child.on("error", () => out.error(`cairn: could not start a browser (${command}); open ${url} yourself.`));
    child.unref();
  } catch {
    out.error(`cairn: could not start a browser (${command}); open ${url} yourself.`);
  }
}
