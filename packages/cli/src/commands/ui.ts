import { spawn } from "node:child_process";
import { expectPositionals, flag, parseCommand, stringOption } from "../args.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { requireStore, storeDirectory } from "../store.js";
import { fileUiDataSource } from "../ui/data-source.js";
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
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.ui);
    return 0;
  }
  expectPositionals("ui", parsed, { required: [] });
  const port = parsePort(stringOption(parsed, "port"));
  const directory = storeDirectory(stringOption(parsed, "store"));
  requireStore(directory);

  let server;
  try {
    server = await startUiServer(fileUiDataSource(directory), { port });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      out.error(`cairn: port ${port} is in use on 127.0.0.1; pick another with --port N, or --port 0 for any free one.`);
      return EXIT.failed;
    }
    throw error;
  }
  out.line(`cairn ui: ${server.url}`);
  out.line(out.color.dim(`serving ${directory} on loopback only; Ctrl-C stops`));
  if (flag(parsed, "open")) openBrowser(server.url, out);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  await server.close();
  out.line(out.color.dim(`cairn ui: stopped (${signal})`));
  return 0;
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
